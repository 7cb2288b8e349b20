#!/bin/bash
# SPDX-License-Identifier: MIT
# Container mode (dockaudit audit --host-root DIR), for real: the image of
# contrib/container/Containerfile is built by the test stack's dockerd and run by it, against
# the real systemd user manager (its bus socket mounted in, --user) and the real dockerd (its
# socket mounted in), with --pid=host and the host's / at /host. Its report must equal the one
# the same binary gives on the host directly, once normalised (jq, below): what is left is
# listed in KNOWN DIFFERENCES.
#
# The base image: no registry is reachable, so mmdebstrap makes a Debian 12 minbase from the
# Debian archive (with the run-time libraries included, so that the image build needs no
# network), cached as $top_builddir/tests/cache/debian-bookworm-dockaudit.tar (a minute or
# two the first time; remove the file to make it again), and `docker import`s it under the
# Containerfile's default base name (debian:bookworm-slim) into the test dockerd only.
#
# The image: the stack's dockerd has no network (--bridge=none) and no BuildKit (docker
# build runs the legacy builder, DOCKER_BUILDKIT=0), so the Containerfile's build stage is
# given this build's binary and rules (PREBUILT=out: an installed tree in the context)
# instead of compiling from source; the host is Debian 12 too, so its glibc and libraries are
# the image's. The source build of the Containerfile is not exercised here.
#
# KNOWN DIFFERENCES (the normalisation drops them):
#   host.time                the two runs are seconds apart
#   unit.tasks_current,      the values: the audit's own container (its shim, in the unit's
#   unit.tasks_wanted        cgroup when dockerd runs its own containerd) adds tasks to the
#                            unit while it runs (their sources, and so the fingerprints, agree)
#   results[].rule_file      the image's rules are in /usr/share/dockaudit/rules, the build's
#                            in the source tree (the same files: copied into the image)
# Made equal by dockaudit itself, not by the normalisation: the sources name the host's paths
# (/etc/os-release, not /host/etc/os-release); the audit's own container is not counted in
# docker.running_containers_count (collect_is_own_container()); --uts=host gives the host's
# name in host.hostname.
set -u
srcdir=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$srcdir/../.." && pwd)}
top_builddir=${top_builddir:-$PWD}
. "$srcdir/lib.sh"

it_require_dockaudit
command -v mmdebstrap >/dev/null || it_hard_error "'mmdebstrap' not found (package mmdebstrap)"

UNITS=$srcdir/units
CACHE=$top_builddir/tests/cache
BASE_TAR=$CACHE/debian-bookworm-dockaudit.tar
BASE_IMAGE=debian:bookworm-slim
IMAGE=dockaudit-it/dockaudit:latest
# The Containerfile's own list (its run-time stage installs them when missing).
RUNTIME_PKGS=libsystemd0,libinih1,libjansson4,libgcrypt20,libmount1,libarchive13
# A sanitizer build (--enable-sanitizers) needs their run-time libraries in the image too.
if ldd "$DOCKAUDIT" 2>/dev/null | grep -q libasan; then
        RUNTIME_PKGS=$RUNTIME_PKGS,libasan8,libubsan1
        BASE_TAR=$CACHE/debian-bookworm-dockaudit-asan.tar
fi

# make_base: the minbase tarball, unless cached. Writes only under $CACHE.
make_base() {
        [ -s "$BASE_TAR" ] && return 0
        mkdir -p "$CACHE" || return 1
        it_log "mmdebstrap bookworm minbase into $BASE_TAR (once; cached)"
        rm -f "$BASE_TAR.part.tar"
        timeout 600 mmdebstrap --quiet --variant=minbase --include="$RUNTIME_PKGS" \
                --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
                --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
                bookworm "$BASE_TAR.part.tar" http://deb.debian.org/debian \
                >"$IT_DIR/log/mmdebstrap.log" 2>&1 || { tail -n 20 "$IT_DIR/log/mmdebstrap.log" >&2; return 1; }
        mv "$BASE_TAR.part.tar" "$BASE_TAR"
}

# build_image: import the base, then docker build the Containerfile with this build's binary.
build_image() {
        local ctx=$IT_DIR/ctx
        make_base || return 1
        it_docker import - "$BASE_IMAGE" <"$BASE_TAR" >/dev/null || return 1
        mkdir -p "$ctx/out/usr/bin" "$ctx/out/usr/share/dockaudit/rules" || return 1
        cp "$DOCKAUDIT" "$ctx/out/usr/bin/dockaudit" || return 1
        cp "$IT_RULES_DIR"/*.rule "$ctx/out/usr/share/dockaudit/rules/" || return 1
        cp "$top_srcdir/contrib/container/Containerfile" "$ctx/Containerfile" || return 1
        env -i $(it_env) DOCKER_BUILDKIT=0 timeout 300 docker build -q --network none \
                --build-arg PREBUILT=out -t "$IMAGE" -f "$ctx/Containerfile" "$ctx" \
                >"$IT_DIR/log/build.log" 2>&1 || { tail -n 30 "$IT_DIR/log/build.log" >&2; return 1; }
}

# run_container ARGS...: the documented command (contrib/container/Containerfile), for the
# user manager: its bus socket instead of the system bus, its dockerd's socket as the
# default one. Output in $IT_OUT/ctr.json, exit status in CTR_RC.
run_container() {
        it_docker run --rm --network none --pid=host --uts=host --cap-add SYS_PTRACE \
                -v /:/host:ro \
                -v "$IT_RUNTIME_DIR/bus:/run/user-bus" -e DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user-bus \
                -v "$IT_DOCKER_SOCK:/var/run/docker.sock" \
                "$IMAGE" --user --rules-dir /usr/share/dockaudit/rules "$@" >"$IT_OUT/ctr.json" 2>"$IT_OUT/ctr.err"
        CTR_RC=$?
}

# normalise FILE: the report without what legitimately differs (KNOWN DIFFERENCES).
normalise() {
        jq -S 'del(.host.time) | .results[].rule_file |= sub(".*/"; "")
                | del(.facts["unit.tasks_current"].value, .facts["unit.tasks_wanted"].value)
                | (.results[].evidence[]? | select(.fact == "unit.tasks_current" or .fact == "unit.tasks_wanted")
                   | .value) |= null' "$1"
}

# 1. The Containerfile builds (with the imported base) into an image that runs.
t_build() {
        it_install_docker_unit "$UNITS/upstream.service" || return 1
        it_start_docker || return 1
        build_image || return 1
        it_docker run --rm --network none "$IMAGE" --version >"$IT_OUT/version" 2>&1 ||
                { cat "$IT_OUT/version" >&2; return 1; }
        assert_match '^dockaudit ' "$(cat "$IT_OUT/version")" "dockaudit --version in the image"
}

# compare NAME: the container's report equals the direct one (normalised), and the known
# differences are as explained.
compare() {
        local direct=$IT_OUT/direct.json
        cp "$IT_STDOUT" "$direct"
        run_container audit --host-root /host --format json
        assert_eq "$IT_RC" "$CTR_RC" "exit status, container vs direct" ||
                { sed 's/^/  ctr| /' "$IT_OUT/ctr.err" | head -n 20 >&2; return 1; }
        if ! diff -u <(normalise "$direct") <(normalise "$IT_OUT/ctr.json") >"$IT_OUT/diff"; then
                echo "  FAIL: the reports differ (direct -, container +):" >&2
                head -n 60 "$IT_OUT/diff" >&2
                return 1
        fi
        assert_json '.target.root' null "$IT_OUT/ctr.json"
}

# 2. MountFlags=slave, --live-restore from an EnvironmentFile, a running container: same
# findings, same sources (the host's paths and lines), the same facts (namespaces, leaks and
# containers through --pid=host and the API).
t_slave_envfile() {
        local env=$IT_DIR/etc/default/docker
        cp "$UNITS/etc-default-docker" "$env" || return 1
        echo 'DOCKER_OPTS="--live-restore"' >>"$env"
        echo '{}' >"$IT_DAEMON_JSON"
        it_install_docker_unit "$UNITS/slave-envfile.service" || return 1
        it_restart_docker || return 1
        it_import_busybox || return 1
        it_docker run -d --network none --name workload "$IT_IMAGE" sleep 600 >/dev/null || return 1
        it_dockaudit audit --format json
        assert_json '.results[] | select(.id == "mountflags-slave-with-live-restore") | .status' fail || return 1
        assert_json '.facts["docker.running_containers_count"].value' 1 || return 1
        compare || return 1
        assert_json '.facts["unit.fragment_path"].value' "$IT_UNIT_DIR/docker.service" "$IT_OUT/ctr.json" ||
                return 1
        assert_json '.facts["ns.dockerd_private"].known' true "$IT_OUT/ctr.json" || return 1
        assert_json '.facts["leaks.count"].known' true "$IT_OUT/ctr.json" || return 1
        it_docker rm -f workload >/dev/null
}

# 3. The upstream unit with a drop-in and daemon.json settings.
t_upstream_dropin() {
        rm -f "$IT_DIR/etc/default/docker"
        echo '{"live-restore": true}' >"$IT_DAEMON_JSON"
        it_install_docker_unit "$UNITS/upstream.service" "$UNITS/50-shared.conf" || return 1
        it_restart_docker || return 1
        it_dockaudit audit --format json
        assert_json '.facts["unit.dropin_paths"].value | length' 1 || return 1
        compare
}

# 4. --host-root that is no system image: exit 2 naming it, in the container too.
t_bad_host_root() {
        run_container audit --host-root /nonexistent --format json
        assert_eq 2 "$CTR_RC" "exit status" || return 1
        assert_match "--host-root '/nonexistent'" "$(cat "$IT_OUT/ctr.err")" "stderr"
}

it_setup
it_run "the Containerfile builds and runs" t_build
it_run "container mode = direct: MountFlags=slave + EnvironmentFile" t_slave_envfile
it_run "container mode = direct: upstream unit + drop-in + daemon.json" t_upstream_dropin
it_run "container mode: bad --host-root" t_bad_host_root
it_summary
