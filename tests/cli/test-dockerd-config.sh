#!/bin/bash
# SPDX-License-Identifier: MIT
# dockerd's configuration facts (issue 10: dockerd.hosts, containerd, log_driver, log_opts,
# cgroup_driver, version, daemon_json.unknown_keys) judged offline (--root, no service manager)
# on real unit files and EnvironmentFiles from the wild (tests/fixtures/dockerd, units; see
# their SOURCES), and the rules on them: log-size-unbounded with its fix (fix --root),
# daemon-json-unknown-key by the installed version (dpkg's database in the image),
# option-set-twice for an option other than hosts. Run by `make check` with DOCKAUDIT and
# top_srcdir set. Prints "ok N - name" lines and "P passed, F failed"; exit 0 all passed, 1 a
# case failed, 99 cannot run.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x "${DOCKAUDIT:-}" ] || { echo "DOCKAUDIT is not set to the built binary" >&2; exit 99; }
command -v jq >/dev/null || { echo "jq is missing (autogen.sh installs it)" >&2; exit 99; }

RULES=$top_srcdir/rules
FIX=$top_srcdir/tests/fixtures
TMP=$(mktemp -d /tmp/dockaudit-dockerd-config.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/lib.sh"


# image NAME UNIT-FIXTURE: a root with that docker.service (lib/systemd/system) and /etc/docker.
image() {
        local r=$TMP/$1
        rm -rf "$r"
        mkdir -p "$r/lib/systemd/system" "$r/etc/docker" "$r/etc/sysconfig"
        cp "$2" "$r/lib/systemd/system/docker.service"
        # the units that run dockerd -H fd:// come with their docker.socket (fd-without-socket)
        case $2 in
        *docker-ce-packaging-20.10-*) cp "$FIX/units/docker-ce-packaging-20.10-docker.socket" "$r/lib/systemd/system/docker.socket" ;;
        *docker-ce-packaging-18.09-*) cp "$FIX/units/docker-ce-packaging-19.03-docker.socket" "$r/lib/systemd/system/docker.socket" ;;
        esac
        echo "$r"
}
# dpkg ROOT PACKAGE VERSION: dpkg's database of the image says PACKAGE VERSION is installed.
# (and its file list names dockerd: /usr/bin/dockerd as Docker's packages ship it)
dpkg() {
        mkdir -p "$1/var/lib/dpkg/info"
        printf 'Package: %s\nStatus: install ok installed\nVersion: %s\n' "$2" "$3" >"$1/var/lib/dpkg/status"
        printf '/.\n/usr\n/usr/bin\n/usr/bin/dockerd\n' >"$1/var/lib/dpkg/info/$2.list"
}

# CentOS virt7 docker 1.13.1 (projectatomic): --containerd and --exec-opt in ExecStart=,
# --log-driver=journald in $OPTIONS of /etc/sysconfig/docker.
t_centos_facts() {
        local r
        r=$(image centos "$FIX/dockerd/centos-virt7-docker-2-1.13.1-2-docker.service")
        cp "$FIX/dockerd/centos-virt7-docker-2-1.13.1-2-etc-sysconfig-docker" "$r/etc/sysconfig/docker"
        da --root "$r" audit --format json
        expect_json '.facts["dockerd.containerd"].value' /run/containerd.sock &&
                expect_json '.facts["dockerd.containerd"].source' /lib/systemd/system/docker.service:14 &&
                expect_json '.facts["dockerd.cgroup_driver"].value' systemd &&
                expect_json '.facts["dockerd.log_driver"].value' journald &&
                expect_json '.facts["dockerd.log_driver"].source' /etc/sysconfig/docker:4 &&
                expect_json '.facts["dockerd.hosts"].value | length' 0 &&
                expect_json '.facts["dockerd.log_opts"].value | length' 0 &&
                expect_json '.facts["daemon_json.unknown_keys"].value | length' 0 &&
                expect_status log-size-unbounded pass
}

# docker-ce-packaging 20.10's unit with a daemon.json that sets hosts and log options:
# dockerd.hosts holds both places in dockerd's order (and option-set-twice fires).
t_hosts_both_places() {
        local r
        r=$(image hosts "$FIX/units/docker-ce-packaging-20.10-docker.service")
        printf '{\n  "hosts": ["tcp://127.0.0.1:2375"],\n  "log-opts": {"max-size": "10m", "max-file": "3"}\n}\n' \
                >"$r/etc/docker/daemon.json"
        da --root "$r" audit --format json
        expect_json '.facts["dockerd.hosts"].value | join(" ")' "fd:// tcp://127.0.0.1:2375" &&
                expect_json '.facts["dockerd.hosts"].source' \
                        "/lib/systemd/system/docker.service:13 and /etc/docker/daemon.json:2" &&
                expect_json '.facts["dockerd.log_opts"].value | join(" ")' "max-size=10m max-file=3" &&
                expect_json '.facts["dockerd.log_max_size"].value' 10m &&
                expect_json '.facts["dockerd.log_driver"].source' \
                        'dockerd default: no --log-driver flag and no "log-driver" in /etc/docker/daemon.json' &&
                expect_status option-set-twice fail && expect_status log-size-unbounded pass
}

# The same unit without daemon.json: json-file without max-size. fix --root writes log-opts
# (the file did not exist), the re-audit passes, a second fix changes nothing.
t_log_fix_new_file() {
        local r
        r=$(image logfix "$FIX/units/docker-ce-packaging-20.10-docker.service")
        da --root "$r" audit --format json
        expect_status log-size-unbounded fail || return 1
        da --root "$r" fix --yes
        [ "$RC" = 0 ] || fail "fix failed" || return 1
        jq -e '.["log-opts"] == {"max-size": "10m", "max-file": "3"}' "$r/etc/docker/daemon.json" >/dev/null ||
                fail "daemon.json: $(cat "$r/etc/docker/daemon.json")" || return 1
        da --root "$r" audit --format json
        expect_status log-size-unbounded pass || return 1
        cp "$r/etc/docker/daemon.json" "$TMP/before"
        da --root "$r" fix --yes
        grep -q "Nothing to change" "$TMP/out" && cmp -s "$TMP/before" "$r/etc/docker/daemon.json" ||
                fail "second fix changed something"
}

# Existing log-opts (a max-file, a label option) are kept; only max-size is added.
t_log_fix_keeps_options() {
        local r
        r=$(image logkeep "$FIX/units/docker-ce-packaging-20.10-docker.service")
        printf '{\n  "debug": false,\n  "log-opts": {"labels": "app", "max-file": "5"}\n}\n' >"$r/etc/docker/daemon.json"
        da --root "$r" fix --yes
        [ "$RC" = 0 ] || fail "fix failed" || return 1
        jq -e '.debug == false and .["log-opts"] == {"labels": "app", "max-file": "5", "max-size": "10m"}' \
                "$r/etc/docker/daemon.json" >/dev/null || fail "daemon.json: $(cat "$r/etc/docker/daemon.json")"
}

# --log-opt in $OPTIONS (the for-linux#327 layout): no daemon.json fix is offered, because log-opts
# in daemon.json as well would stop dockerd.
t_log_flags_no_fix() {
        local r
        r=$(image logflag "$FIX/dockerd/centos-virt7-docker-2-1.13.1-2-docker.service")
        echo "OPTIONS='--log-driver=json-file --log-opt max-file=2'" >"$r/etc/sysconfig/docker"
        da --root "$r" fix --yes
        grep -q "log-size-unbounded (low): no automatic fix" "$TMP/out" || fail "a fix was offered" || return 1
        [ ! -e "$r/etc/docker/daemon.json" ] || fail "daemon.json written"
}

# florianutz/DockerCE-CIS#2: docker-ce 19.03.5 (dpkg's database of the image) refuses
# disable-legacy-registry; docker-ce 18.09 knew it.
t_unknown_key_by_version() {
        local r
        r=$(image unknown "$FIX/units/docker-ce-packaging-18.09-docker.service")
        printf '{\n  "icc": false,\n  "disable-legacy-registry": true\n}\n' >"$r/etc/docker/daemon.json"
        dpkg "$r" docker-ce 5:19.03.5~3-0~debian-buster
        da --root "$r" audit --format json
        expect_json '.facts["dockerd.version"].value' 19.03.5 &&
                expect_json '.facts["daemon_json.unknown_keys"].value | join(" ")' disable-legacy-registry &&
                expect_status daemon-json-unknown-key fail && expect_status daemon-json-invalid pass || return 1
        dpkg "$r" docker-ce 5:18.09.9~3-0~debian-buster
        da --root "$r" audit --format json
        expect_json '.facts["daemon_json.unknown_keys"].value | length' 0 &&
                expect_status daemon-json-unknown-key pass && expect_status daemon-json-invalid pass
}

# docker/docs#19398: a key no version knows is reported whatever the version (unknown here).
t_unknown_key_any_version() {
        local r
        r=$(image typo "$FIX/units/docker-ce-packaging-20.10-docker.service")
        printf '{\n  "containerd-plugin-namespace": "plugins"\n}\n' >"$r/etc/docker/daemon.json"
        da --root "$r" audit --format json
        expect_json '.facts["dockerd.version"].known' false &&
                expect_json '.facts["daemon_json.unknown_keys"].value | join(" ")' containerd-plugin-namespace &&
                expect_status daemon-json-unknown-key fail
}

# docker/for-linux#327: --insecure-registry in /etc/sysconfig/docker's $OPTIONS and
# "insecure-registries" in daemon.json.
t_option_set_twice_insecure_registries() {
        local r
        r=$(image twice "$FIX/dockerd/centos-virt7-docker-2-1.13.1-2-docker.service")
        echo "OPTIONS='--insecure-registry 192.168.0.2:5000'" >"$r/etc/sysconfig/docker"
        printf '{\n  "insecure-registries": ["192.168.0.2:5000"]\n}\n' >"$r/etc/docker/daemon.json"
        da --root "$r" audit --format json
        expect_json '.facts["dockerd.conflicting_options"].value | join(" ")' insecure-registries &&
                expect_status option-set-twice fail
}

run "CentOS 1.13.1 unit and sysconfig: containerd, cgroup driver, journald from \$OPTIONS" t_centos_facts
run "hosts from ExecStart= and daemon.json, in dockerd's order" t_hosts_both_places
run "log-size-unbounded: fix --root writes log-opts, idempotent" t_log_fix_new_file
run "log-size-unbounded: existing log-opts kept" t_log_fix_keeps_options
run "log-size-unbounded: no fix with --log-opt flags" t_log_flags_no_fix
run "daemon-json-unknown-key by dockerd version (dpkg)" t_unknown_key_by_version
run "daemon-json-unknown-key for a key no version knows" t_unknown_key_any_version
run "option-set-twice: insecure-registries from \$OPTIONS" t_option_set_twice_insecure_registries
finish
