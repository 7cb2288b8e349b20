#!/bin/sh
# SPDX-License-Identifier: MIT
# The Debian packages dockaudit needs, installed without replacing a Docker the host has.
#
#   build-aux/deps.sh build   what building needs (./autogen.sh runs this)
#   build-aux/deps.sh test    that plus what the tests need (tests/run-all runs this)
#
# Installs only what is missing (as root, apt-get). docker.io conflicts with Docker CE, Moby
# and podman-docker: where one of them is installed, docker.io, containerd and runc are never
# installed (apt would remove the host's Docker); the tests then use the installed dockerd,
# or, when its tools are not all there, this says what is missing and exits 1. docker.io
# never starts a daemon on the host while it is installed (policy-rc.d).
#
# The decision is deps_plan(), a function of the dpkg-query view, so that it can be tested
# against made-up hosts (tests/package/test-deps.sh sources this file with DEPS_LIB=1).
# scdoc builds the man pages; libgcrypt20-dev is SHA-256's; libarchive-dev's headers unpack sos
# reports (the binary loads libarchive13 only then).
DEPS_BUILD="autoconf automake libtool pkg-config make gcc libc6-dev libsystemd-dev libinih-dev \
check libjansson-dev libgcrypt20-dev libmount-dev libarchive-dev scdoc"
# The tests: clang-format (tests/check-format.sh), valgrind, clang + libclang-rt (fuzzers);
# the integration tests' systemd, dbus, dockerd and a static busybox (the test image); jq,
# xmllint, util-linux (unshare, nsenter, setpriv, flock), diff/patch; the package test's
# build-essential (dpkg-buildpackage requires it), debhelper, lintian, dpkg-dev and mmdebstrap;
# man-db, zsh and bash-completion (the man pages and completions); xfsprogs and e2fsprogs (the
# storage test's file systems); python3-jsonschema (the SARIF schema), prometheus-node-exporter
# and curl (the metrics file, served by a real node_exporter); chromium (summarize's HTML page,
# in a headless browser), ansible-core and ansible-lint (the role in contrib/ansible).
DEPS_TEST="clang clang-format libclang-rt-14-dev valgrind systemd dbus busybox-static \
util-linux bsdutils jq libxml2-utils diffutils patch tar docker.io containerd runc \
build-essential dpkg-dev debhelper lintian mmdebstrap man-db zsh bash-completion xfsprogs \
e2fsprogs python3-jsonschema prometheus-node-exporter curl chromium ansible-core ansible-lint"
# Packages that give the host its own Docker (or a docker command) and that docker.io,
# containerd or runc would replace.
DEPS_FOREIGN_DOCKER="docker-ce docker-ce-cli docker-ee docker-ee-cli docker-engine moby-engine \
moby-cli moby-containerd moby-runc containerd.io podman-docker"
# What the foreign Docker replaces: never installed next to it.
DEPS_DOCKER_IO="docker.io docker-cli containerd runc"
# The commands the integration tests run (tests/integration/lib.sh).
DEPS_DOCKER_TOOLS="dockerd docker containerd containerd-shim-runc-v2 runc"
# Where they are looked for, the policy file and dpkg's database; tests/package/test-deps.sh
# points them at a scratch directory.
DEPS_PATH=${DEPS_PATH:-/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin}
DEPS_POLICY_RC_D=${DEPS_POLICY_RC_D:-/usr/sbin/policy-rc.d}
DEPS_ADMINDIR=${DEPS_ADMINDIR:-/var/lib/dpkg}

# deps_packages SET: the packages of SET (build or test), one a line.
deps_packages() {
        case $1 in
        build) echo $DEPS_BUILD ;;
        test) echo $DEPS_BUILD $DEPS_TEST ;;
        *) echo "deps.sh: unknown set '$1' (build or test)" >&2; return 2 ;;
        esac | tr ' ' '\n'
}

# deps_plan SET [UNMANAGED_DOCKERD] < VIEW: the decision. VIEW is dpkg's view of the host,
# "PACKAGE STATUS" a line (dpkg-query -W -f '${Package} ${db:Status-Status}\n'); STATUS
# "installed" satisfies a need, and any state but not-installed and config-files counts as
# present for a conflict. UNMANAGED_DOCKERD: a dockerd that no package owns (a static
# install), which docker.io must not be put next to either. Prints, a line each:
#   install PKG    missing: to install
#   keep PKG       the host's own Docker: docker.io and its parts are not installed
#   skip PKG       needed by the tests but replaced by what is kept
deps_plan() {
        set_=$1 unmanaged_=${2:-}
        view_=$(cat)
        present_() { printf '%s\n' "$view_" | awk -v p="$1" '$1 == p && $2 != "not-installed" && $2 != "config-files" { f = 1 } END { exit !f }'; }
        installed_() { printf '%s\n' "$view_" | awk -v p="$1" '$1 == p && $2 == "installed" { f = 1 } END { exit !f }'; }
        foreign_=
        for p in $DEPS_FOREIGN_DOCKER; do
                if present_ "$p"; then
                        echo "keep $p"
                        foreign_=yes
                fi
        done
        if [ -n "$unmanaged_" ] && ! installed_ docker.io; then
                echo "keep $unmanaged_"
                foreign_=yes
        fi
        for p in $(deps_packages "$set_"); do
                installed_ "$p" && continue
                case " $DEPS_DOCKER_IO " in
                *" $p "*) [ -z "$foreign_" ] || { echo "skip $p"; continue; } ;;
                esac
                echo "install $p"
        done
}

# deps_unmanaged_dockerd: the path of a dockerd on PATH that no package owns, if any.
deps_unmanaged_dockerd() {
        d=$(PATH=$DEPS_PATH command -v dockerd) || return 0
        dpkg-query --admindir="$DEPS_ADMINDIR" -S "$(readlink -f "$d")" >/dev/null 2>&1 ||
                dpkg-query --admindir="$DEPS_ADMINDIR" -S "$d" >/dev/null 2>&1 || echo "$d"
}

# deps_docker_tools_missing: the test's Docker commands not on PATH, space-separated.
deps_docker_tools_missing() {
        m=
        for t in $DEPS_DOCKER_TOOLS; do
                PATH=$DEPS_PATH command -v "$t" >/dev/null || m="$m $t"
        done
        echo "${m# }"
}

# deps_apt_install PKG...: apt-get install, with no service started on the host meanwhile.
deps_apt_install() {
        export DEBIAN_FRONTEND=noninteractive
        policy=$DEPS_POLICY_RC_D
        if [ -e "$policy" ]; then
                # Someone else's policy: it must forbid the start, or docker.io would start dockerd.
                rc=0
                "$policy" docker start >/dev/null 2>&1 || rc=$?
                if [ "$rc" != 101 ]; then
                        echo "deps.sh: $policy allows services to start (exit $rc for 'docker start'): refusing to install$*" >&2
                        return 1
                fi
                apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@"
                return
        fi
        printf '#!/bin/sh\n# deps.sh: no service starts while packages are installed.\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        rc=0
        { apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@"; } || rc=$?
        rm -f "$policy"
        return "$rc"
}

deps_main() {
        [ $# = 1 ] || { echo "usage: build-aux/deps.sh build|test" >&2; return 2; }
        deps_packages "$1" >/dev/null || return 2
        if ! command -v dpkg-query >/dev/null 2>&1; then
                echo "deps.sh: no dpkg-query: not Debian; install the packages of build-aux/deps.sh yourself" >&2
                return 0
        fi
        plan=$(dpkg-query --admindir="$DEPS_ADMINDIR" -W -f '${Package} ${db:Status-Status}\n' |
                deps_plan "$1" "$(deps_unmanaged_dockerd)")
        install=$(printf '%s\n' "$plan" | sed -n 's/^install //p' | tr '\n' ' ')
        keep=$(printf '%s\n' "$plan" | sed -n 's/^keep //p' | tr '\n' ' ')
        skip=$(printf '%s\n' "$plan" | sed -n 's/^skip //p' | tr '\n' ' ')
        install=${install% } keep=${keep% } skip=${skip% }
        if [ -n "$install" ]; then
                if [ "$(id -u)" != 0 ]; then
                        echo "deps.sh: missing packages: $install (run as root to install them)" >&2
                        return 1
                fi
                echo "deps.sh: installing $install"
                deps_apt_install $install
        fi
        [ -n "$keep" ] && [ -n "$skip" ] || return 0
        missing=$(deps_docker_tools_missing)
        if [ -n "$missing" ]; then
                echo "deps.sh: this host has its own Docker ($keep), which $skip would replace: not installing them." >&2
                echo "deps.sh: the tests need $missing, which it does not provide; install them from the same source as ${keep%% *} (e.g. docker-ce and containerd.io), or run the tests on a host without it" >&2
                return 1
        fi
        echo "deps.sh: this host has its own Docker ($keep): the tests use its dockerd ($(PATH=$DEPS_PATH command -v dockerd)), $skip not installed"
}

if [ -z "${DEPS_LIB:-}" ]; then
        set -eu
        deps_main "$@"
fi
