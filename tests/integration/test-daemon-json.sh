#!/bin/bash
# SPDX-License-Identifier: MIT
# daemon.json judged as the real dockerd judges it: for every case in
# tests/fixtures/daemon-json, the installed dockerd is started with --config-file CASE and
# either refuses at once (exit, with its message) or starts; dockaudit's verdict
# (daemon_json.valid, and exit 2 for a refused file) must be the same. Also a
# --config-file that does not exist and a daemon.json that is a directory.
#
# Isolation: each dockerd runs without any option but --config-file, in its own mount and
# network namespaces (unshare --mount --net): a tmpfs on /run (socket, pidfile, exec root,
# containerd), on /var/lib (data root) and on /opt, $CASE_DIR/etc-docker bind-mounted on
# /etc/docker (dockerd 20.10 as root writes key.json there); its bridge and iptables rules
# live in the empty network namespace. No option of ours can then conflict with a key of the
# case. It is killed by pid (with whatever it started, found by its namespace) as soon as its
# configuration was accepted: "Starting up" in its log, its pidfile, or still running after
# 10 s. Run by `make check` as root with DOCKAUDIT and top_srcdir set. Prints "ok N - NAME"
# / "not ok N - NAME"; exit 0 all agree, 1 a case differs, 99 cannot run.
srcdir=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$srcdir/../.." && pwd)}
. "$srcdir/lib.sh"

it_require_dockaudit
[ "$(id -u)" = 0 ] || it_hard_error "must run as root (it starts dockerd)"
for t in dockerd unshare mount jq timeout; do
        command -v "$t" >/dev/null || it_hard_error "'$t' not found"
done
it__one_suite_at_a_time

CASES=$top_srcdir/tests/fixtures/daemon-json
TMP=$(mktemp -d /tmp/dockaudit-dj.XXXXXX) || it_hard_error "mktemp failed"
DOCKERD_PID=
# stop_dockerd: SIGKILL the dockerd of the current case and every process in its mount
# namespace (its containerd), then reap it.
stop_dockerd() {
        local ns p
        [ -n "$DOCKERD_PID" ] || return 0
        ns=$(readlink "/proc/$DOCKERD_PID/ns/mnt" 2>/dev/null)
        kill -KILL "$DOCKERD_PID" 2>/dev/null
        if [ -n "$ns" ]; then
                for p in /proc/[0-9]*; do
                        [ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$ns" ] && kill -KILL "${p#/proc/}" 2>/dev/null
                done
        fi
        wait "$DOCKERD_PID" 2>/dev/null
        DOCKERD_PID=
}
cleanup() {
        local rc=$?
        stop_dockerd
        case $TMP in /tmp/dockaudit-dj.??????) rm -rf "$TMP" ;; esac
        exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# dockerd_verdict DIR CONFIG: sets VERDICT to "accepted" or "refused: MESSAGE" (exit 99 when
# the namespace could not be set up). Not run in a subshell: the EXIT trap must see DOCKERD_PID.
dockerd_verdict() {
        local d=$1 cfg=$2 i verdict=
        mkdir -p "$d/etc-docker"
        unshare --mount --net --propagation private -- sh -c '
                mount -n -t tmpfs -o mode=755 tmpfs /run && mount -n -t tmpfs -o mode=755 tmpfs /var/lib &&
                mount -n --bind "$1" /etc/docker &&
                { [ ! -d /opt ] || mount -n -t tmpfs -o mode=755 tmpfs /opt; } || exit 99
                echo "# namespace ready" >&2
                shift; exec "$@"' sh "$d/etc-docker" dockerd --config-file "$cfg" >"$d/log" 2>&1 </dev/null &
        DOCKERD_PID=$!
        for i in $(seq 200); do
                if grep -q 'Starting up' "$d/log" || [ -e "/proc/$DOCKERD_PID/root/run/docker.pid" ]; then
                        verdict=accepted
                        break
                fi
                kill -0 "$DOCKERD_PID" 2>/dev/null || break
                sleep 0.05
        done
        # A log level above info hides "Starting up": still running after 10 s is started.
        [ -n "$verdict" ] || ! kill -0 "$DOCKERD_PID" 2>/dev/null || verdict=accepted
        stop_dockerd
        grep -q '^# namespace ready' "$d/log" || { cat "$d/log" >&2; it_hard_error "cannot set up dockerd's namespace"; }
        if [ -z "$verdict" ]; then
                verdict="refused: $(grep -v -e '^# namespace ready' -e 'level=' "$d/log" | tail -n 1)"
        fi
        VERDICT=$verdict
}

# dockaudit_verdict DIR CONFIG [EXECSTART]: audits an image (--root DIR/root) whose
# docker.service runs EXECSTART (default /usr/bin/dockerd) with CONFIG as
# /etc/docker/daemon.json; prints "accepted", "refused: ERROR" or "problem: ..." and
# leaves the exit status in $DIR/rc.
dockaudit_verdict() {
        local d=$1 r=$1/root
        mkdir -p "$r/lib/systemd/system" "$r/etc/docker"
        printf '[Service]\nExecStart=%s\n' "${3:-/usr/bin/dockerd}" >"$r/lib/systemd/system/docker.service"
        [ -z "$2" ] || cp -a "$2" "$r/etc/docker/daemon.json"
        "$DOCKAUDIT" --rules-dir "$IT_RULES_DIR" --root "$r" audit --format json >"$d/out" 2>"$d/err"
        echo $? >"$d/rc"
        jq -r 'if .facts["daemon_json.valid"].value == true then "accepted"
                elif .facts["daemon_json.valid"].known then "refused: " + .facts["daemon_json.error"].value
                else "problem: " + ((.problems // []) | join("; ")) end' "$d/out" 2>/dev/null ||
                echo "no report (exit $(cat "$d/rc"))"
}

N=0 FAILED=0
result() {
        N=$((N + 1))
        if [ "$1" = 0 ]; then echo "ok $N - $2"; else echo "not ok $N - $2"; FAILED=$((FAILED + 1)); fi
}

for f in "$CASES"/*.json; do
        name=${f##*/}
        d=$TMP/${name%.json}
        mkdir -p "$d"
        dockerd_verdict "$d" "$f"
        want=$VERDICT
        got=$(dockaudit_verdict "$d" "$f")
        rc=$(cat "$d/rc")
        ok=0
        [ "${want%%:*}" = "${got%%:*}" ] || ok=1
        # a refused file is the audit's problem: exit 2
        case $want in refused*) [ "$rc" = 2 ] || ok=1 ;; esac
        echo "# $name: dockerd 20.10 ${want}" >&2
        echo "#   dockaudit (exit $rc): $got" >&2
        result $ok "$name: dockerd ${want%%:*}, dockaudit ${got%%:*}"
done

# --config-file that does not exist: dockerd refuses, dockaudit reports it (exit 2).
d=$TMP/config-file-missing
mkdir -p "$d"
dockerd_verdict "$d" "$d/none.json"
want=$VERDICT
got=$(dockaudit_verdict "$d" "" "/usr/bin/dockerd --config-file /etc/docker/none.json")
echo "# --config-file missing: dockerd $want; dockaudit (exit $(cat "$d/rc")): $got" >&2
[ "${want%%:*}" = refused ] && [ "$(cat "$d/rc")" = 2 ] && case $got in problem:*none.json*) true ;; *) false ;; esac
result $? "--config-file missing: dockerd ${want%%:*}, dockaudit exit $(cat "$d/rc")"

# daemon.json is a directory: dockerd refuses, dockaudit reports it (exit 2).
d=$TMP/directory
mkdir -p "$d/dir.json" "$d/root/etc/docker/daemon.json"
dockerd_verdict "$d" "$d/dir.json"
want=$VERDICT
got=$(dockaudit_verdict "$d" "")
echo "# daemon.json a directory: dockerd $want; dockaudit (exit $(cat "$d/rc")): $got" >&2
[ "${want%%:*}" = refused ] && [ "$(cat "$d/rc")" = 2 ] && case $got in problem:*daemon.json*) true ;; *) false ;; esac
result $? "daemon.json a directory: dockerd ${want%%:*}, dockaudit exit $(cat "$d/rc")"

echo "$((N - FAILED)) passed, $FAILED failed"
[ "$FAILED" = 0 ]
