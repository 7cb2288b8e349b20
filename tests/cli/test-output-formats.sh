#!/bin/bash
# SPDX-License-Identifier: MIT
# Every output well-formed, always (issue 9): `audit --format json|junit` and `facts --format
# json` print a document that parses on every path, errors included, with the problem in it;
# text escapes control characters and bytes that are not UTF-8; the JSON of such bytes reads
# back with --facts unchanged; rules load fail-closed; disabled rules are reported; --strict.
# JSON is checked with jq, XML with xmllint (libxml2-utils, in autogen.sh's DEPS).
# Run by `make check` with DOCKAUDIT and top_srcdir set. Prints "ok N - name" lines and
# "P passed, F failed"; exit 0 all passed, 1 a case failed, 99 cannot run.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x "${DOCKAUDIT:-}" ] || { echo "DOCKAUDIT is not set to the built binary" >&2; exit 99; }
for t in jq xmllint iconv; do command -v $t >/dev/null || { echo "$t is missing (autogen.sh installs it)" >&2; exit 99; }; done

RULES=$top_srcdir/rules
FIX=$top_srcdir/tests/fixtures
FACTS=$FIX/facts/centos73-slave-live-restore.json
TMP=$(mktemp -d /tmp/dockaudit-formats.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/lib.sh"

# stdout is UTF-8 without ESC, BEL or other control characters than newline.
expect_clean_text() {
        iconv -f UTF-8 -t UTF-8 "$TMP/out" >/dev/null 2>&1 || fail "stdout is not UTF-8" || return 1
        ! LC_ALL=C grep -qa '[[:cntrl:]]' <(tr -d '\n' <"$TMP/out") || fail "a control character on stdout"
}
# An audit that could not audit: exit 2, the reason on stderr and in the JSON and JUnit report.
# expect_audit_error PATTERN DIR ARGS...
expect_audit_error() {
        local pat=$1 dir=$2
        shift 2
        dar "$dir" audit "$@" --format json
        expect_rc 2 && expect_err "$pat" && expect_valid_json || return 1
        expect_json '.schema' dockaudit-report/1 && expect_json '.summary.exit_status' 2 || return 1
        jq -e --arg p "$pat" '[.problems[] | test($p)] | any' "$TMP/out" >/dev/null || fail "problems lack /$pat/" || return 1
        dar "$dir" audit "$@" --format junit
        expect_rc 2 && expect_valid_xml && expect_out 'name="audit-complete"' || return 1
        xmllint --xpath 'string(//testcase[@name="audit-complete"]/error)' "$TMP/out" | grep -qaE -- "$pat" ||
                fail "JUnit's error lacks /$pat/"
}

t_bad_command_line() {
        expect_audit_error "--fail-on: expected info, low, medium or high, not 'urgent'" "$RULES" --fail-on urgent || return 1
        # the format comes after the bad option: the whole line is read first
        dar "$RULES" audit --bogus --format json
        expect_rc 2 && expect_valid_json && expect_json '.problems[0]' "unknown option '--bogus' (see dockaudit audit --help)" || return 1
        expect_audit_error "unexpected argument 'extra'" "$RULES" extra || return 1
        dar "$RULES" audit --format json --facts
        expect_rc 2 && expect_valid_json && expect_json '.problems[0]' "option '--facts' needs a value (see dockaudit audit --help)" || return 1
        # an unknown format cannot be honoured: text error only
        da audit --format xml
        expect_rc 2 && expect_err "--format: expected text, json, junit, sarif or prometheus, not 'xml'"
}
t_unusable_facts_file() {
        expect_audit_error "$TMP/missing.json" "$RULES" --facts "$TMP/missing.json" || return 1
        echo 'not json' >"$TMP/bad.json"
        expect_audit_error "bad.json:1:" "$RULES" --facts "$TMP/bad.json" || return 1
        echo '{"schema": "other/1", "facts": {}}' >"$TMP/bad.json"
        expect_audit_error "not a dockaudit facts file" "$RULES" --facts "$TMP/bad.json" || return 1
        echo '{"schema": "dockaudit-facts/1", "facts": {"unit.main_pid": {"type": "string", "known": true, "value": "1"}}}' >"$TMP/bad.json"
        expect_audit_error "expected number" "$RULES" --facts "$TMP/bad.json" || return 1
        expect_audit_error "/dev/null" "$RULES" --facts /dev/null || return 1
        rm -f "$TMP/bad.json"
}
t_rules_fail_closed() {
        mkdir -p "$TMP/badrules" "$TMP/empty" "$TMP/alloff"
        cp "$RULES"/*.rule "$TMP/badrules/"
        cp "$FIX/rules/bad/long-line.rule" "$TMP/badrules/"
        expect_audit_error "long-line.rule:[0-9]+: " "$TMP/badrules" --facts "$FACTS" || return 1
        expect_audit_error "$TMP/nope: cannot open the rules directory: No such file or directory" "$TMP/nope" --facts "$FACTS" || return 1
        expect_audit_error "$FACTS: cannot open the rules directory: Not a directory" "$FACTS" --facts "$FACTS" || return 1
        expect_audit_error "/dev/null: cannot open the rules directory: Not a directory" /dev/null --facts "$FACTS" || return 1
        expect_audit_error "no rules found \(looked in: $TMP/empty\)" "$TMP/empty" --facts "$FACTS" || return 1
        for f in "$RULES"/*.rule; do ln -s /dev/null "$TMP/alloff/$(basename "$f")"; done
        expect_audit_error "no rules to evaluate: all [0-9]+ rules are disabled" "$TMP/alloff" --facts "$FACTS" || return 1
        # a missing directory beside a good one is an error too (it was skipped)
        expect_audit_error "$TMP/nope: cannot open" "$TMP/nope" --rules-dir "$RULES" --facts "$FACTS" || return 1
        # text: the reason on stderr, exit 2 (it was 0 rules evaluated, exit 0)
        dar "$TMP/empty" audit --facts "$FACTS"
        expect_rc 2 && expect_err "no rules found" || return 1
        dar "$TMP/empty" fix --dry-run
        expect_rc 2 && expect_err "no rules found" || return 1
        dar "$TMP/nope" rules list
        expect_rc 2 && expect_err "cannot open the rules directory"
}
# A binary copied out of the build tree looks for the installed rules; without them it must
# not evaluate nothing and pass.
t_copied_binary() {
        mkdir -p "$TMP/bin"
        cp "$DOCKAUDIT" "$TMP/bin/dockaudit"
        "$TMP/bin/dockaudit" audit --facts "$FACTS" --format json >"$TMP/out" 2>"$TMP/err"
        RC=$?
        expect_valid_json || return 1
        if jq -e '.results | length > 0' "$TMP/out" >/dev/null; then
                echo "  # rules installed on this host: the copy found them" >&2
                return 0
        fi
        expect_rc 2 && expect_err "cannot open the rules directory: No such file or directory \(rules directories: .*etc/dockaudit/rules.d, .*/dockaudit/rules\)"
}
t_facts_json_errors() {
        NO_COLOR= "$DOCKAUDIT" facts --bogus --format json >"$TMP/out" 2>"$TMP/err"
        RC=$?
        expect_rc 2 && expect_valid_json && expect_json '.schema' dockaudit-facts/1 &&
                expect_json '.problems[0]' "unknown option '--bogus' (see dockaudit facts --help)" || return 1
        NO_COLOR= "$DOCKAUDIT" facts --format json extra >"$TMP/out" 2>"$TMP/err"
        RC=$?
        expect_rc 2 && expect_valid_json && expect_json '.facts | length' 0
}

# An image whose drop-ins are named with an OSC title sequence and with Latin-1, and whose
# ExecStart carries ESC and BEL.
make_hostile_image() {
        local r=$TMP/img
        mkdir -p "$r/etc/systemd/system/docker.service.d" "$r/lib/systemd/system" "$r/lib/modules/3.10.0-1160.el7.x86_64"
        printf '[Service]\nExecStart=/usr/bin/dockerd --live-restore --label=a\033]0;pwned\007\n' >"$r/lib/systemd/system/docker.service"
        printf '[Service]\nMountFlags=slave\n' >"$r/etc/systemd/system/docker.service.d/"$'\033]0;pwned\007.conf'
        printf '[Service]\nEnvironment=X=1\n' >"$r/etc/systemd/system/docker.service.d/"$'caf\xe9.conf'
        echo "$r"
}
t_hostile_bytes() {
        local img
        img=$(make_hostile_image)
        da --root "$img" audit
        expect_out 'MountFlags=slave \(/etc/systemd/system/docker.service.d/\\x1b\]0;pwned\\x07.conf:2\)' && expect_clean_text || return 1
        da --root "$img" facts
        expect_out 'caf\\xe9.conf' && expect_out 'label=a\\x1b\]0;pwned\\x07' && expect_clean_text || return 1
        da --root "$img" audit --format junit
        expect_valid_xml && expect_clean_text || return 1
        da --root "$img" audit --format json
        expect_valid_json || return 1
        expect_json '.facts["unit.dropin_paths"].escaped' true || return 1
        expect_json '.facts["unit.dropin_paths"].value | map(select(endswith("caf\\xe9.conf"))) | length' 1 || return 1
        cp "$TMP/out" "$TMP/report.json"
        # dockaudit reads its own report back, and the facts are the same
        da audit --facts "$TMP/report.json" --format json
        expect_valid_json || return 1
        diff <(jq -S .facts "$TMP/report.json") <(jq -S .facts "$TMP/out") >&2 || fail "facts changed on the way back" || return 1
        da --root "$img" facts --format json
        expect_valid_json && cp "$TMP/out" "$TMP/facts.json" || return 1
        da audit --facts "$TMP/facts.json" --format json
        expect_valid_json || return 1
        diff <(jq -S .facts "$TMP/report.json") <(jq -S .facts "$TMP/out") >&2 || fail "facts --format json did not read back"
}
t_hostile_unit_name() {
        local img
        img=$(make_hostile_image)
        da --unit $'\xff' --root "$img" audit --format json
        expect_valid_json && expect_json '.target.unit' '\xff' || return 1
        expect_err "not a valid unit name" || return 1
        da --unit $'\xff' --root "$img" audit --format junit
        expect_valid_xml && expect_out 'name="dockaudit \\xff"' || return 1
        da --unit $'\xff\033' --root "$img" audit
        expect_clean_text
}
t_disabled_rules() {
        mkdir -p "$TMP/override"
        ln -sf /dev/null "$TMP/override/kernel-leaks-mounts.rule"
        : >"$TMP/override/dead-containers.rule"
        NO_COLOR= "$DOCKAUDIT" --rules-dir "$TMP/override" --rules-dir "$RULES" audit --facts "$FACTS" >"$TMP/out" 2>"$TMP/err"
        RC=$?
        expect_rc 1 && expect_out "^  DISABLED  kernel-leaks-mounts: by $TMP/override/kernel-leaks-mounts.rule$" &&
                expect_out "^  DISABLED  dead-containers: by $TMP/override/dead-containers.rule$" &&
                expect_out ', 2 disabled; exit status 1' || return 1
        NO_COLOR= "$DOCKAUDIT" --rules-dir "$TMP/override" --rules-dir "$RULES" audit --facts "$FACTS" --format json >"$TMP/out" 2>"$TMP/err"
        RC=$?
        expect_rc 1 && expect_json '.summary.disabled' 2 || return 1
        expect_json '.results[] | select(.id == "kernel-leaks-mounts") | .status + " " + .disabled_by' \
                "disabled $TMP/override/kernel-leaks-mounts.rule" || return 1
        NO_COLOR= "$DOCKAUDIT" --rules-dir "$TMP/override" --rules-dir "$RULES" audit --facts "$FACTS" --format junit >"$TMP/out" 2>"$TMP/err"
        RC=$?
        expect_rc 1 && expect_valid_xml || return 1
        expect_out "<testcase classname=\"dockaudit.disabled\" name=\"kernel-leaks-mounts\">" &&
                expect_out "<skipped message=\"disabled by $TMP/override/kernel-leaks-mounts.rule\"/>"
}
t_strict() {
        # the saved CentOS host has 3 rules skipped (no Docker API facts)
        da audit --facts "$FACTS" --format json
        expect_rc 1 && expect_json '.summary.strict' false || return 1
        da audit --facts "$FACTS" --format json --strict
        expect_rc 2 && expect_valid_json && expect_json '.summary.strict' true && expect_json '.summary.exit_status' 2 || return 1
        expect_json '.results[] | select(.id == "dead-containers") | .status' skip || return 1
        expect_json '[.problems[] | select(startswith("rule dead-containers skipped: docker.dead_containers unknown"))] | length' 1 || return 1
        expect_err 'rule dead-containers skipped: ' || return 1
        da audit --facts "$FACTS" --strict
        expect_rc 2 && expect_out '^problem: rule dead-containers skipped: ' && expect_out '\(--fail-on medium, --strict\)$' || return 1
        da audit --facts "$FACTS" --strict --format junit
        expect_rc 2 && expect_valid_xml && expect_out 'rule dead-containers skipped'
}

run "audit: a bad command line still gives JSON and JUnit" t_bad_command_line
run "audit: an unusable --facts file gives JSON and JUnit with the problem" t_unusable_facts_file
run "rules: missing, file, /dev/null, empty, all disabled, invalid: exit 2 with the reason" t_rules_fail_closed
run "a binary copied out of the build tree without its rules: exit 2" t_copied_binary
run "facts --format json: JSON on errors" t_facts_json_errors
run "control characters and non-UTF-8 bytes: escaped in text, JUnit; round trip in JSON" t_hostile_bytes
run "--unit that is not UTF-8: JSON, JUnit, text" t_hostile_unit_name
run "disabled rules in text, JSON and JUnit" t_disabled_rules
run "audit --strict: a skipped rule is a problem, exit 2" t_strict

finish
