#!/bin/bash
# SPDX-License-Identifier: MIT
# Every wait has a budget (issue 9): a D-Bus that accepts connections and never answers, a
# garbage bus address, and --timeout itself. Each case exits 2 well within its budget, with
# the report (JSON, parsed) naming the channel ("D-Bus: ..."). Run by `make check` with
# DOCKAUDIT and top_srcdir set; needs tests/silent-listener (built by make check). Prints
# "ok N - name" lines and "P passed, F failed"; exit 0 all passed, 1 a case failed, 99 cannot run.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x "${DOCKAUDIT:-}" ] || { echo "DOCKAUDIT is not set to the built binary" >&2; exit 99; }
LISTENER=${LISTENER:-$(dirname "$DOCKAUDIT")/tests/silent-listener}
[ -x "$LISTENER" ] || { echo "$LISTENER is not built" >&2; exit 99; }
command -v jq >/dev/null || { echo "jq is missing (autogen.sh installs it)" >&2; exit 99; }

RULES=$top_srcdir/rules
TMP=$(mktemp -d /tmp/dockaudit-bounded.XXXXXX)
LPID=
trap '[ -z "$LPID" ] || { kill "$LPID"; wait "$LPID"; } 2>/dev/null; rm -rf "$TMP"' EXIT
. "$(dirname "$0")/lib.sh"
# The manager's budget per connection or call (systemd/manager.h MANAGER_CALL_TIMEOUT_USEC).
BUDGET=5

# da ENV... -- ARGS...: dockaudit with the bundled rules and only ENV; sets RC, SECS, OUT, ERR.
da() {
        local env=() t0
        while [ "$1" != -- ]; do env+=("$1"); shift; done
        shift
        t0=$EPOCHREALTIME
        env -i PATH=/usr/bin:/bin "${env[@]}" timeout 120 "$DOCKAUDIT" --rules-dir "$RULES" "$@" \
                >"$TMP/out" 2>"$TMP/err"
        RC=$?
        SECS=$(echo "$t0 $EPOCHREALTIME" | awk '{ printf "%.1f", $2 - $1 }')
}
fail() {
        echo "  FAIL: $* (exit status $RC after $SECS s)" >&2
        sed 's/^/  | /' "$TMP/err" | head -10 >&2
        return 1
}
expect_within() { awk -v s="$SECS" -v m="$1" 'BEGIN { exit !(s < m) }' || fail "expected less than $1 s"; }
expect_problem() {
        jq -e --arg p "$1" '[.problems[] | select(contains($p))] | length > 0' "$TMP/out" >/dev/null ||
                fail "no problem containing '$1' in the JSON report"
}

mkdir -p "$TMP/run/systemd"
"$LISTENER" "$TMP/bus" "$TMP/run/systemd/private" >"$TMP/ready" &
LPID=$!
for i in $(seq 50); do grep -q ready "$TMP/ready" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$TMP/ready" || { echo "silent-listener did not start" >&2; exit 99; }

# The user manager: the session bus and the private socket both accept and never answer.
t_silent_user_bus() {
        da HOME="$TMP" XDG_RUNTIME_DIR="$TMP/run" DBUS_SESSION_BUS_ADDRESS="unix:path=$TMP/bus" -- \
                --user audit --format json
        expect_rc 2 && expect_within $((2 * BUDGET + 3)) && expect_problem "D-Bus: cannot reach the user service manager"
}

# The system bus silent (the observed case took 90-115 s). Only where this host has no
# /run/systemd/private: with one, the real manager answers there.
t_silent_system_bus() {
        [ -e /run/systemd/private ] && { echo "  (host has /run/systemd/private: the fallback answers; checked with --user)" >&2; return 0; }
        da DBUS_SYSTEM_BUS_ADDRESS="unix:path=$TMP/bus" -- audit --format json
        expect_rc 2 && expect_within $((BUDGET + 3)) && expect_problem "D-Bus: cannot reach the system service manager"
}

# --timeout cuts the D-Bus budgets: the bus and the private socket share what is left of one
# second (each alone would have 5 s), and the report says the facts timed out.
t_silent_bus_timeout() {
        da HOME="$TMP" XDG_RUNTIME_DIR="$TMP/run" DBUS_SESSION_BUS_ADDRESS="unix:path=$TMP/bus" -- \
                --user audit --timeout 1 --format json
        expect_rc 2 && expect_within 1.8 && expect_problem "timed out after 1 s (--timeout): D-Bus: " &&
                { jq -e '.facts["unit.active_state"].reason | test("did not answer in time \\(--timeout\\)")' \
                        "$TMP/out" >/dev/null || fail "unit.active_state: no --timeout reason"; }
}

# fix: the same budget; nothing written, the timeout named.
t_silent_bus_fix_timeout() {
        mkdir -p "$TMP/config"
        da HOME="$TMP" XDG_RUNTIME_DIR="$TMP/run" XDG_CONFIG_HOME="$TMP/config" \
                DBUS_SESSION_BUS_ADDRESS="unix:path=$TMP/bus" -- --user fix --yes --timeout 1
        expect_rc 2 && expect_within 1.8 || return 1
        grep -q "timed out after 1 s (--timeout): D-Bus: " "$TMP/err" || fail "no timeout on stderr" || return 1
        grep -q "nothing changed" "$TMP/err" || fail "not 'nothing changed'" || return 1
        [ -z "$(ls -A "$TMP/config")" ] || fail "fix wrote: $(find "$TMP/config")"
}

t_garbage_address() {
        da HOME="$TMP" XDG_RUNTIME_DIR="$TMP/nonexistent" DBUS_SESSION_BUS_ADDRESS='garbage;;:=x' -- \
                --user audit --format json
        expect_rc 2 && expect_within 3 && expect_problem "D-Bus: cannot reach the user service manager"
}

t_timeout_option() {
        local v
        for v in 0 -1 abc 1.5 86401 ""; do
                da -- --timeout "$v" --root "$TMP" audit
                expect_rc 2 || return 1
                grep -q "timeout" "$TMP/err" || fail "--timeout '$v': no message" || return 1
        done
        da -- audit --timeout 7 --facts "$top_srcdir/tests/fixtures/facts/centos73-slave-live-restore.json" --format json
        jq -e . "$TMP/out" >/dev/null || fail "--timeout 7 (after the command): no JSON report"
}

run "a silent session bus and private socket: exit 2 within the budget, D-Bus problem" t_silent_user_bus
run "a silent system bus: exit 2 within the budget, D-Bus problem" t_silent_system_bus
run "a silent bus with --timeout 1: exit 2 after 1 s, the facts timed out" t_silent_bus_timeout
run "fix on a silent bus with --timeout 1: exit 2 after 1 s, nothing written" t_silent_bus_fix_timeout
run "a garbage bus address: exit 2 at once" t_garbage_address
run "--timeout takes whole seconds from 1 to 86400, before or after the command" t_timeout_option
finish
