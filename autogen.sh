#!/bin/sh
# Installs the build dependencies on Debian/Ubuntu (as root, when missing), then
# generates the build system. Usage: ./autogen.sh [--no-deps]
set -eu
cd "$(dirname "$0")"

DEPS="autoconf automake libtool pkg-config make gcc clang libclang-rt-14-dev \
libsystemd-dev libinih-dev check libjansson-dev libcurl4-openssl-dev libmount-dev \
valgrind clang-format systemd dbus docker.io busybox-static util-linux jq libxml2-utils diffutils patch"
# issue 12: summarize's HTML is checked in headless chromium; the Ansible role with ansible-core
# (and linted with ansible-lint)
DEPS="$DEPS chromium ansible-core ansible-lint"

if [ "${1:-}" != "--no-deps" ] && command -v dpkg-query >/dev/null 2>&1; then
        missing=
        for p in $DEPS; do
                dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
                        missing="$missing $p"
        done
        if [ -n "$missing" ]; then
                if [ "$(id -u)" != 0 ]; then
                        echo "autogen.sh: missing packages:$missing (run as root to install them)" >&2
                        exit 1
                fi
                echo "autogen.sh: installing$missing"
                export DEBIAN_FRONTEND=noninteractive
                apt-get update -qq
                # docker.io must not start a daemon on the host: the tests run their own.
                policy=
                if [ ! -e /usr/sbin/policy-rc.d ]; then
                        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
                        chmod 755 /usr/sbin/policy-rc.d
                        policy=yes
                fi
                apt-get install -y -qq --no-install-recommends $missing
                [ -z "$policy" ] || rm -f /usr/sbin/policy-rc.d
        fi
fi

mkdir -p m4
autoreconf -fi
