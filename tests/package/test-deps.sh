#!/bin/bash
# SPDX-License-Identifier: MIT
# build-aux/deps.sh against made-up hosts: deps_plan() on fake dpkg views (a clean host,
# Docker CE, Moby, podman-docker, a removed docker-ce, a static dockerd), then the whole
# script with fake dpkg-query and apt-get on PATH: what it installs, that no service may start
# while apt-get runs, and that it refuses (exit 1, naming what is missing) where the host's
# own Docker lacks a tool the tests need. Nothing on the host is read or changed.
# Prints "ok N - name" lines and "P passed, F failed"; exit 0 all passed, 1 a case failed.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
DEPS=$top_srcdir/build-aux/deps.sh
TMP=$(mktemp -d /tmp/dockaudit-deps.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
N=0 FAILED=0 PASSED=0

# shellcheck source=/dev/null
DEPS_LIB=1 . "$DEPS"

run() {
        N=$((N + 1))
        if ( "$2" ); then echo "ok $N - $1"; PASSED=$((PASSED + 1)); else echo "not ok $N - $1"; FAILED=$((FAILED + 1)); fi
}

# plan SET [UNMANAGED] <<< VIEW: deps_plan's answer in $TMP/plan.
plan() {
        deps_plan "$@" >"$TMP/plan"
}
has() {
        grep -qx "$1" "$TMP/plan" || { echo "  FAIL: the plan has no line '$1':" >&2; sed 's/^/  | /' "$TMP/plan" >&2; return 1; }
}
hasnt() {
        ! grep -qx "$1" "$TMP/plan" || { echo "  FAIL: the plan has '$1'" >&2; return 1; }
}
# no_docker_io: none of docker.io, containerd, runc is to be installed.
no_docker_io() {
        hasnt "install docker.io" && hasnt "install containerd" && hasnt "install runc"
}
# view PKG:STATUS...: a dpkg view where every other package of the sets is not installed.
view() {
        local a
        for a in "$@"; do echo "${a%%:*} ${a#*:}"; done
        echo "unrelated-package installed"
}

t_clean_host() {
        view | plan test
        has "install docker.io" && has "install containerd" && has "install runc" &&
                has "install valgrind" && has "install gcc" && has "install lintian" &&
                ! grep -q '^keep\|^skip' "$TMP/plan"
}
t_build_set_is_build_only() {
        view | plan build
        has "install gcc" && has "install libsystemd-dev" && has "install autoconf" && no_docker_io &&
                hasnt "install valgrind" && hasnt "install clang" && hasnt "install busybox-static"
}
t_docker_ce() {
        view docker-ce:installed docker-ce-cli:installed containerd.io:installed | plan test
        has "keep docker-ce" && has "keep docker-ce-cli" && has "keep containerd.io" && no_docker_io &&
                has "skip docker.io" && has "install valgrind" && has "install jq"
}
t_docker_ce_build() {
        view docker-ce:installed | plan build
        no_docker_io && has "keep docker-ce" && ! grep -q '^skip' "$TMP/plan" && has "install gcc"
}
t_each_foreign_package() {
        local p
        for p in docker-ce docker-ce-cli moby-engine containerd.io podman-docker docker-engine; do
                view "$p:installed" | plan test
                has "keep $p" && no_docker_io || return 1
        done
}
t_half_installed_counts() {
        view moby-engine:half-configured | plan test
        has "keep moby-engine" && no_docker_io || return 1
        view docker-ce:unpacked | plan test
        has "keep docker-ce" && no_docker_io
}
t_removed_docker_ce() {
        # Removed, configuration files left: nothing to replace any more.
        view docker-ce:config-files docker-ce-cli:not-installed | plan test
        has "install docker.io" && ! grep -q '^keep' "$TMP/plan"
}
t_docker_io_installed() {
        view docker.io:installed containerd:installed runc:installed valgrind:installed | plan test
        hasnt "install docker.io" && hasnt "install valgrind" && has "install jq" && ! grep -q '^keep\|^skip' "$TMP/plan"
}
t_unmanaged_dockerd() {
        view | plan test /usr/local/bin/dockerd
        has "keep /usr/local/bin/dockerd" && no_docker_io || return 1
        # With docker.io there, the extra dockerd replaces nothing.
        view docker.io:installed | plan test /usr/local/bin/dockerd
        ! grep -q '^keep' "$TMP/plan"
}
t_everything_installed() {
        local p
        for p in $(deps_packages test); do echo "$p installed"; done | plan test
        [ ! -s "$TMP/plan" ] || { echo "  FAIL: a plan on a complete host:" >&2; cat "$TMP/plan" >&2; return 1; }
}

# fakehost PKG:STATUS...: a dpkg database in $TMP/dpkg that the real dpkg-query reads
# (deps.sh's DEPS_ADMINDIR); fake apt-get (logs its arguments and what policy-rc.d says about
# starting docker) and id (root) in $TMP/bin; $TMP/sbin holds the Docker tools that exist.
fakehost() {
        local a st
        rm -rf "${TMP:?}/bin" "$TMP/sbin" "$TMP/dpkg" "$TMP/apt.log" "$TMP/policy-rc.d"
        mkdir -p "$TMP/bin" "$TMP/sbin" "$TMP/dpkg/info" "$TMP/dpkg/updates"
        touch "$TMP/dpkg/available"
        for a in "$@" unrelated-package:installed; do
                case ${a#*:} in
                installed) st="install ok installed" ;;
                config-files) st="deinstall ok config-files" ;;
                *) st="install reinstreq ${a#*:}" ;;
                esac
                printf 'Package: %s\nStatus: %s\nArchitecture: amd64\nVersion: 1.0\nMaintainer: m <m@example.org>\nDescription: d\n\n' \
                        "${a%%:*}" "$st" >>"$TMP/dpkg/status"
        done
        cat >"$TMP/bin/apt-get" <<EOF
#!/bin/sh
echo "apt-get \$*" >>'$TMP/apt.log'
'$TMP/policy-rc.d' docker start
echo "policy \$?" >>'$TMP/apt.log'
EOF
        printf '#!/bin/sh\necho 0\n' >"$TMP/bin/id"
        chmod +x "$TMP/bin/"*
}
# tools NAME...: fake Docker commands in $TMP/sbin.
tools() {
        local t
        for t in "$@"; do printf '#!/bin/sh\n' >"$TMP/sbin/$t" && chmod +x "$TMP/sbin/$t"; done
}
deps() {
        PATH=$TMP/bin:$PATH DEPS_PATH=$TMP/sbin DEPS_POLICY_RC_D=$TMP/policy-rc.d DEPS_ADMINDIR=$TMP/dpkg \
                sh "$DEPS" "$@" >"$TMP/out" 2>"$TMP/err"
        RC=$?
}
t_real_dpkg_view() {
        # dpkg-query's own output for a database with docker-ce, a half-configured moby-engine
        # and a removed docker.io: the format deps_plan reads.
        fakehost docker-ce:installed moby-engine:half-configured docker.io:config-files
        dpkg-query --admindir="$TMP/dpkg" -W -f '${Package} ${db:Status-Status}\n' | plan test
        has "keep docker-ce" && has "keep moby-engine" && has "skip docker.io" && no_docker_io
}
t_script_installs_with_policy() {
        fakehost
        deps test
        [ "$RC" = 0 ] || { echo "  FAIL: exit $RC" >&2; cat "$TMP/err" >&2; return 1; }
        grep -q '^apt-get install .* docker.io' "$TMP/apt.log" &&
                grep -qx 'policy 101' "$TMP/apt.log" && [ ! -e "$TMP/policy-rc.d" ] ||
                { echo "  FAIL: apt-get log:" >&2; cat "$TMP/apt.log" >&2; return 1; }
}
t_script_refuses_missing_tools() {
        fakehost docker-ce:installed docker-ce-cli:installed
        tools dockerd docker
        deps test
        [ "$RC" = 1 ] && grep -q 'containerd containerd-shim-runc-v2 runc' "$TMP/err" &&
                grep -q 'docker-ce' "$TMP/err" && ! grep -q 'docker.io\|containerd \|runc' "$TMP/apt.log" ||
                { echo "  FAIL: exit $RC" >&2; cat "$TMP/err" "$TMP/apt.log" >&2; return 1; }
}
t_script_uses_installed_dockerd() {
        fakehost docker-ce:installed docker-ce-cli:installed containerd.io:installed
        tools dockerd docker containerd containerd-shim-runc-v2 runc
        deps test
        [ "$RC" = 0 ] && grep -q "use its dockerd ($TMP/sbin/dockerd)" "$TMP/out" &&
                ! grep -q 'docker.io\|containerd \|runc' "$TMP/apt.log" ||
                { echo "  FAIL: exit $RC" >&2; cat "$TMP/out" "$TMP/err" "$TMP/apt.log" >&2; return 1; }
}
t_script_respects_a_permissive_policy() {
        # The host's own policy-rc.d lets services start: refuse rather than start dockerd.
        fakehost
        printf '#!/bin/sh\nexit 0\n' >"$TMP/policy-rc.d" && chmod +x "$TMP/policy-rc.d"
        deps test
        [ "$RC" != 0 ] && grep -q 'allows services to start' "$TMP/err" && [ ! -e "$TMP/apt.log" ] &&
                [ -e "$TMP/policy-rc.d" ] ||
                { echo "  FAIL: exit $RC" >&2; cat "$TMP/err" >&2; return 1; }
}

run "clean host: everything, docker.io included" t_clean_host
run "build set: only what building needs" t_build_set_is_build_only
run "docker-ce installed: docker.io, containerd, runc never installed" t_docker_ce
run "docker-ce installed, build set: nothing Docker" t_docker_ce_build
run "every foreign Docker package blocks docker.io" t_each_foreign_package
run "a half-installed Docker counts" t_half_installed_counts
run "a removed docker-ce (config-files) does not" t_removed_docker_ce
run "docker.io installed: nothing more" t_docker_io_installed
run "a dockerd no package owns blocks docker.io" t_unmanaged_dockerd
run "a complete host: empty plan" t_everything_installed
run "dpkg-query's real view of a database" t_real_dpkg_view
run "script: installs under a policy that forbids starts" t_script_installs_with_policy
run "script: host Docker without containerd/runc: exit 1, names them" t_script_refuses_missing_tools
run "script: host Docker complete: used, nothing Docker installed" t_script_uses_installed_dockerd
run "script: a policy-rc.d that allows starts: refused" t_script_respects_a_permissive_policy
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
