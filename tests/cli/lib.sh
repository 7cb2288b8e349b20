# SPDX-License-Identifier: MIT
# shellcheck shell=bash
#
# The harness of the command-line tests (tests/cli/test-*.sh), sourced by each after it has
# set TMP (its scratch directory) and, where it runs dockaudit with the bundled rules, RULES:
#
#   . "$(dirname "$0")/lib.sh"
#
# A test is a function t_NAME that returns 0 when it passed; `run "NAME" t_NAME` runs it in a
# subshell and prints "ok N - NAME" or "not ok N - NAME"; `finish` prints "P passed, F failed"
# and returns 0 only when every case passed (the script's exit status: 0 all passed, 1 a case
# failed; 99 cannot run is the script's own). The expect_* checks call fail, which prints
# "  FAIL: MESSAGE" and, when dockaudit has run (da and the like), its exit status, stderr
# and stdout, all to stderr, and returns 1: chain them with && and end with || return 1.

N=0 FAILED=0 PASSED=0

# da_cmd COMMAND ARGS...: runs COMMAND with NO_COLOR set empty (and under `timeout
# $DA_TIMEOUT` when the script sets DA_TIMEOUT); sets RC; stdout in $TMP/out, stderr in
# $TMP/err.
da_cmd() {
        # shellcheck disable=SC2086 # the timeout prefix is two words or none
        NO_COLOR='' ${DA_TIMEOUT:+timeout $DA_TIMEOUT} "$@" >"$TMP/out" 2>"$TMP/err"
        RC=$?
}
# dar DIR ARGS...: dockaudit (the built $DOCKAUDIT) with --rules-dir DIR.
dar() {
        local dir=$1
        shift
        da_cmd "$DOCKAUDIT" --rules-dir "$dir" "$@"
}
# da ARGS...: dockaudit with the bundled rules ($RULES).
da() { dar "$RULES" "$@"; }

# fail MESSAGE...: prints the failure (and the last run's exit status, stderr and stdout, with
# control characters made visible); returns 1.
fail() {
        echo "  FAIL: $*" >&2
        [ -e "$TMP/err" ] || return 1
        echo "  exit status ${RC:-}; stderr:" >&2; sed 's/^/  | /' "$TMP/err" 2>/dev/null | head -20 | cat -v >&2
        echo "  stdout:" >&2; sed 's/^/  | /' "$TMP/out" 2>/dev/null | head -40 | cat -v >&2
        return 1
}

expect_rc() { [ "$RC" = "$1" ] || fail "expected exit status $1"; }
# expect_out ERE / expect_no_out ERE / expect_err ERE: stdout has (or lacks) / stderr has a
# line matching ERE; expect_err_fixed STRING: stderr holds STRING.
expect_out() { grep -qaE -- "$1" "$TMP/out" || fail "stdout lacks /$1/"; }
expect_no_out() { ! grep -qaE -- "$1" "$TMP/out" || fail "stdout has /$1/"; }
expect_err() { grep -qaE -- "$1" "$TMP/err" || fail "stderr lacks /$1/"; }
expect_err_fixed() { grep -qF -- "$1" "$TMP/err" || fail "stderr lacks '$1'"; }
# expect_json JQ EXPECTED: jq -r JQ on stdout prints EXPECTED.
expect_json() {
        local got
        got=$(jq -r "$1" "$TMP/out" 2>&1) || fail "jq '$1': $got" || return 1
        [ "$got" = "$2" ] || fail "jq '$1': expected [$2], got [$got]"
}
# stdout is one JSON document / well-formed XML.
expect_valid_json() { jq -e . "$TMP/out" >/dev/null 2>&1 || fail "stdout is not JSON"; }
expect_valid_xml() { xmllint --noout "$TMP/out" 2>"$TMP/xmlerr" || { cat "$TMP/xmlerr" >&2; fail "stdout is not well-formed XML"; }; }
# status_of ID: the status of rule ID in the JSON report on stdout; expect_status ID STATUS.
status_of() { jq -r --arg id "$1" '.results[] | select(.id == $id) | .status' "$TMP/out"; }
expect_status() {
        local got
        got=$(status_of "$1")
        [ "$got" = "$2" ] || fail "$1: expected $2, got [$got]"
}

# run NAME COMMAND [ARGS...]: one case, in a subshell (a case cannot change the next one's
# variables); RC is reset first.
run() {
        N=$((N + 1))
        RC=
        if ( "${@:2}" ); then
                echo "ok $N - $1"
                PASSED=$((PASSED + 1))
        else
                echo "not ok $N - $1"
                FAILED=$((FAILED + 1))
        fi
}
# finish: the totals; returns 0 when every case passed.
finish() {
        echo "$PASSED passed, $FAILED failed"
        [ "$FAILED" = 0 ]
}
