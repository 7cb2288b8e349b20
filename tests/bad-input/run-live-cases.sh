#!/bin/bash
# SPDX-License-Identifier: MIT
# The bad-input cases that need a real service manager (issue 9, item 3): lib.sh's private
# dbus-daemon and systemd user manager, a docker.service whose dockerd would listen on
# $IT_DIR/fake.sock, and tests/bad-input/fake-docker answering there in its place. Without a
# manager (run-cases.sh) every run exits 2 for the bus; here a Docker API that misbehaves
# must itself keep the report from being clean. Then a stopped manager (SIGSTOP: the bus
# accepts, the manager never answers) must give exit 2 within the budget, and within
# --timeout when it is shorter.
# Prints "ok N - NAME" / "not ok N - NAME" and "P passed, F failed"; exit 0 all passed,
# 1 a case failed, 99 the harness could not run.
srcdir=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$srcdir/../.." && pwd)}
. "$top_srcdir/tests/integration/lib.sh"

it_require_dockaudit
[ -x "${FAKE_DOCKER:-}" ] || it_hard_error "FAKE_DOCKER is not set to tests/bad-input/fake-docker"
it_setup

FAKE_PID=
FAKE_SOCK=$IT_DIR/fake.sock
# fake ARGS...: (re)start fake-docker on $FAKE_SOCK with ARGS; wait until it listens.
fake() {
        local i
        fake_stop
        "$FAKE_DOCKER" --socket "$FAKE_SOCK" --lifetime 300 "$@" >>"$IT_DIR/log/fake-docker.log" 2>&1 &
        FAKE_PID=$!
        for i in $(seq 50); do
                [ -S "$FAKE_SOCK" ] && return 0
                sleep 0.1
        done
        it_hard_error "fake-docker did not listen on $FAKE_SOCK"
}
fake_stop() {
        [ -z "$FAKE_PID" ] || { kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null; }
        FAKE_PID=
        rm -f "$FAKE_SOCK"
}

# live ARGS...: it_dockaudit with a 40 s budget (IT_SECS: how long it took).
live() {
        local t0=$SECONDS
        it_dockaudit "$@"
        IT_SECS=$((SECONDS - t0))
}
# not_clean: whatever the case, no crash, no hang past 40 s, JSON well-formed, not exit 0.
not_clean() {
        [ "$IT_RC" -lt 124 ] || { echo "  FAIL: exit status $IT_RC (killed or crashed)" >&2; return 1; }
        [ "$IT_SECS" -le 40 ] || { echo "  FAIL: took $IT_SECS s (budget 40 s)" >&2; return 1; }
        ! grep -qaE 'runtime error:|AddressSanitizer|LeakSanitizer' "$IT_STDERR" ||
                { echo "  FAIL: sanitizer report" >&2; return 1; }
        jq -e . "$IT_STDOUT" >/dev/null 2>&1 || { echo "  FAIL: stdout is not JSON" >&2; it__show_output; return 1; }
        [ "$IT_RC" != 0 ] || { echo "  FAIL: a clean report (exit 0)" >&2; it__show_output; return 1; }
}
# api_problem: exit 2 and a problem naming the Docker API (or its socket).
api_problem() {
        assert_rc 2 || return 1
        assert_match 'Docker API|docker-api|fake\.sock' "$(jq -r '.problems[]?' "$IT_STDOUT")" "problems"
}
# dead_not_passed: the Dead containers are reported, or the rule cannot pass.
dead_not_passed() {
        local s
        s=$(jq -r '.results[] | select(.id == "dead-containers") | .status' "$IT_STDOUT")
        [ "$s" != pass ] || { echo "  FAIL: dead-containers passed" >&2; return 1; }
}

t_control() {
        fake --containers 3 --state dead
        live audit --format json
        not_clean && assert_json '.results[] | select(.id == "dead-containers") | .status' fail &&
                assert_json '.facts["docker.running"].value' true
}
t_garbage() {
        fake --fault any:garbage
        live audit --format json
        not_clean && api_problem
}
t_info_500() {
        fake --fault info:http500
        live audit --format json
        not_clean && api_problem
}
t_inspect_500() {
        fake --containers 3 --state dead --fault inspect:http500
        live audit --format json
        not_clean && dead_not_passed && assert_match 'HTTP 500|fake0' "$(jq -r '.. | strings' "$IT_STDOUT")" "report"
}
t_inspect_slow() {
        fake --containers 50 --state dead --fault inspect:slow
        live audit --format json
        not_clean && dead_not_passed
}
t_silent() {
        fake --fault any:silent
        live audit --format json
        not_clean && api_problem
}
t_manager_stopped() {
        local rc
        fake
        kill -STOP "$IT_SYSTEMD_PID"
        live audit --format json
        kill -CONT "$IT_SYSTEMD_PID"
        not_clean && assert_rc 2 || return 1
        rc=0
        assert_match 'bus|D-Bus|service manager|timed out' "$(jq -r '.problems[]?' "$IT_STDOUT")" "problems" || rc=1
        return $rc
}

# --timeout cuts the D-Bus budgets: the stopped manager ends the run after 2 s (each call
# alone would have 5 s, the bus and the private socket 10 s), the reason names --timeout.
t_manager_stopped_timeout() {
        local secs
        fake
        it_frozen "$IT_SYSTEMD_PID" it_dockaudit audit --timeout 2 --format json
        secs=$IT_SECS
        IT_SECS=${secs%.*}
        not_clean && assert_rc 2 || return 1
        IT_SECS=$secs
        it_secs_below 3 || return 1
        assert_match 'timed out after 2 s \(--timeout\): D-Bus: ' "$(jq -r '.problems[]?' "$IT_STDOUT")" "problems" &&
                assert_json '.facts["unit.main_pid"].reason' 'the service manager did not answer in time (--timeout)'
}

# A manager that answers slowly (stopped 1.5 s, running 2 ms, over and over): each call
# answers within its own 5 s, but a run of them must not outlast --timeout 2. Three runs.
t_manager_slow_timeout() {
        local loop t0 secs i
        fake
        for i in 1 2 3; do
                IT_FROZEN="$IT_FROZEN $IT_SYSTEMD_PID" # it_teardown continues it
                ( while :; do kill -STOP "$IT_SYSTEMD_PID"; sleep 1.5; kill -CONT "$IT_SYSTEMD_PID"; sleep 0.002; done ) &
                loop=$!
                t0=$EPOCHREALTIME
                it_dockaudit audit --timeout 2 --format json
                secs=$(echo "$t0 $EPOCHREALTIME" | awk '{ printf "%.2f", $2 - $1 }')
                kill "$loop"
                wait "$loop" 2>/dev/null
                kill -CONT "$IT_SYSTEMD_PID"
                IT_FROZEN=${IT_FROZEN% $IT_SYSTEMD_PID}
                it_log "slow manager, run $i: $secs s, exit status $IT_RC; problems: $(jq -r ".problems[]?" "$IT_STDOUT" 2>/dev/null | cut -c1-100 | tr "\n" "|")"
                [ "$IT_RC" -lt 124 ] || { echo "  FAIL: exit status $IT_RC" >&2; return 1; }
                jq -e . "$IT_STDOUT" >/dev/null 2>&1 || { echo "  FAIL: stdout is not JSON" >&2; return 1; }
                IT_SECS=$secs
                it_secs_below 3 || return 1
                # it may have finished in time; if it ran to the deadline, the report says so
                awk -v s="$secs" 'BEGIN { exit !(s >= 2) }' || continue
                assert_rc 2 || return 1
                assert_match 'timed out after 2 s \(--timeout\)' "$(jq -r '.problems[]?' "$IT_STDOUT")" "problems" ||
                        return 1
        done
}

cat >"$IT_UNIT_DIR/docker.service" <<EOF
[Unit]
Description=dockaudit bad-input: a dockerd that is never started; fake-docker answers on its socket

[Service]
Type=notify
ExecStart=$(command -v dockerd) -H unix://$FAKE_SOCK --data-root $IT_DIR/d
EOF
it_systemctl daemon-reload || it_hard_error "daemon-reload"

it_run "control: a fake daemon with Dead containers, reported" t_control
it_run "Docker API answers garbage: exit 2 naming it" t_garbage
it_run "Docker API /info HTTP 500: exit 2 naming it" t_info_500
it_run "Docker API inspect HTTP 500: Dead containers not dropped silently" t_inspect_500
it_run "50 inspects of 2 s each: bounded, not clean" t_inspect_slow
it_run "Docker API accepts and never answers: exit 2 within the budget" t_silent
it_run "stopped service manager: exit 2 within the budget" t_manager_stopped
it_run "stopped service manager, --timeout 2: exit 2 after 2 s naming --timeout" t_manager_stopped_timeout
it_run "slow service manager, --timeout 2: done or given up within 2 s" t_manager_slow_timeout
fake_stop
it_summary
