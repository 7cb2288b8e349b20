#!/bin/bash
# SPDX-License-Identifier: MIT
# `audit --format sarif` and `--format prometheus` (issue 12, items 4 and 5), checked by the
# programs that consume them, on saved facts (--facts) and on every error path:
#   - SARIF against the OASIS SARIF 2.1.0 schema (tests/fixtures/sarif, with its provenance)
#     with python3-jsonschema, plus what code scanning needs (a physical location with a
#     line for every result, rule indexes that point at their rule); and with the SARIF
#     multitool (npm @microsoft/sarif-multitool) and its GitHub rules when it is installed
#     (SARIF_MULTITOOL=path, or sarif-multitool on PATH). The multitool runs in a network
#     namespace of its own (unshare -n): one of its rules fetches every URI of the log.
#     Multitool 5.7 passes a log it cannot read without a word (an unknown "level"), so the
#     schema check is the one that must pass; the multitool must also have said something.
#   - Prometheus by node_exporter (Debian's prometheus-node-exporter, run here on 127.0.0.1
#     with only its textfile collector over a temporary directory, stopped by pid): our
#     series are served on /metrics and node_textfile_scrape_error is 0.
# Fields that other parts of dockaudit add to the JSON report (waived results and their
# waiver, fingerprints, baseline states, stale waivers: the report contract) are added by hand
# with jq and turned into both formats by tests/report/report-convert.
# Run by `make check` with DOCKAUDIT, REPORT_CONVERT and top_srcdir set. Prints "ok N - name"
# lines and "P passed, F failed"; exit 0 all passed, 1 a case failed, 99 cannot run.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x "${DOCKAUDIT:-}" ] || { echo "DOCKAUDIT is not set to the built binary" >&2; exit 99; }
[ -x "${REPORT_CONVERT:-}" ] || { echo "REPORT_CONVERT is not set to tests/report/report-convert" >&2; exit 99; }
NODE_EXPORTER=${NODE_EXPORTER:-$(command -v prometheus-node-exporter || echo /usr/bin/prometheus-node-exporter)}
for t in jq curl python3 "$NODE_EXPORTER"; do
        command -v "$t" >/dev/null || { echo "$t is missing (autogen.sh installs it)" >&2; exit 99; }
done
python3 -c 'import jsonschema' 2>/dev/null || { echo "python3-jsonschema is missing (autogen.sh installs it)" >&2; exit 99; }

RULES=$top_srcdir/rules
FIX=$top_srcdir/tests/fixtures
FACTS=$FIX/facts/centos73-slave-live-restore.json
SCHEMA=$FIX/sarif/sarif-schema-2.1.0.json
TMP=$(mktemp -d /tmp/dockaudit-sarif-prom.XXXXXX)
TEXTDIR=$TMP/textfile
NE_PID=
cleanup() {
        [ -z "$NE_PID" ] || { kill "$NE_PID" 2>/dev/null; wait "$NE_PID" 2>/dev/null; }
        rm -rf "$TMP"
}
trap cleanup EXIT
mkdir -p "$TEXTDIR" "$TMP/badrules"
# A rules directory with one invalid rule file.
cp "$top_srcdir"/rules/*.rule "$top_srcdir/tests/fixtures/rules/bad/long-line.rule" "$TMP/badrules/"
. "$(dirname "$0")/lib.sh"

# The multitool's own binary (its npm wrapper passes arguments through a shell, which splits
# "Sarif;Gh").
MULTITOOL=${SARIF_MULTITOOL:-}
if [ -z "$MULTITOOL" ] && command -v sarif-multitool >/dev/null; then
        w=$(readlink -f "$(command -v sarif-multitool)")
        MULTITOOL=$(dirname "$w")/../sarif-multitool-linux/Sarif.Multitool
fi
if [ -n "$MULTITOOL" ] && ! { [ -x "$MULTITOOL" ] && unshare -n true 2>/dev/null; }; then
        echo "# $MULTITOOL is not runnable in a network namespace of its own: OASIS schema only"
        MULTITOOL=
fi
[ -n "$MULTITOOL" ] || echo "# the SARIF multitool is not installed (npm install -g @microsoft/sarif-multitool): OASIS schema only"

# expect_jq FILE FILTER VALUE
expect_jq() {
        local got
        got=$(jq -r "$2" "$1" 2>&1)
        [ "$got" = "$3" ] || fail "jq '$2' on $(basename "$1"): expected [$3], got [$got]"
}

# valid_sarif FILE: the OASIS schema, code scanning's needs, the multitool.
valid_sarif() {
        local f=$1
        python3 - "$SCHEMA" "$f" <<'EOF' || fail "$f does not validate against the SARIF 2.1.0 schema" || return 1
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
errors = list(validator.iter_errors(json.load(open(sys.argv[2]))))
for e in errors[:10]:
    print("  schema: %s: %s" % ("/".join(map(str, e.absolute_path)), e.message), file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
        jq -e '.runs | length == 1' "$f" >/dev/null || fail "not one run" || return 1
        jq -e '.runs[0] as $r | [$r.results[] | .locations[0].physicalLocation |
                (.artifactLocation.uri | type == "string") and .region.startLine >= 1] | all' "$f" >/dev/null ||
                fail "a result without a physical location and line" || return 1
        jq -e '.runs[0] as $r | [$r.results[] | select(.ruleIndex != null) |
                $r.tool.driver.rules[.ruleIndex].id == .ruleId] | all' "$f" >/dev/null ||
                fail "a ruleIndex that points at another rule" || return 1
        [ -n "$MULTITOOL" ] || return 0
        # it reads only files named *.sarif
        rm -f "$TMP/mt.sarif"
        cp "$f" "$TMP/check.sarif"
        timeout 120 unshare -n "$MULTITOOL" validate "$TMP/check.sarif" -o "$TMP/mt.sarif" --rule-kind "Sarif;Gh" \
                --level "Error;Warning;Note" --log ForceOverwrite >"$TMP/mt.log" 2>&1 ||
                { cat "$TMP/mt.log" >&2; fail "the multitool failed on $f"; } || return 1
        jq -e '.runs[0].results | length > 0' "$TMP/mt.sarif" >/dev/null ||
                { cat "$TMP/mt.log" >&2; fail "the multitool did not read $f"; } || return 1
        jq -e '[.runs[0].results[] | select(.level == "error" or .level == "warning")] | length == 0' \
                "$TMP/mt.sarif" >/dev/null || { grep -E ' (error|warning) ' "$TMP/mt.log" >&2; fail "the multitool found errors in $f"; }
}

# --- node_exporter -------------------------------------------------------------------------

free_port() {
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
start_node_exporter() {
        local i
        PORT=$(free_port)
        "$NODE_EXPORTER" --collector.disable-defaults --collector.textfile \
                --collector.textfile.directory="$TEXTDIR" --web.listen-address="127.0.0.1:$PORT" \
                >"$TMP/node-exporter.log" 2>&1 &
        NE_PID=$!
        for i in $(seq 100); do
                curl -sf --max-time 2 "http://127.0.0.1:$PORT/metrics" >/dev/null && return 0
                kill -0 "$NE_PID" 2>/dev/null || break
                sleep 0.1
        done
        cat "$TMP/node-exporter.log" >&2
        echo "node_exporter did not come up on 127.0.0.1:$PORT" >&2
        exit 99
}
# scrape: /metrics into $TMP/metrics; the textfile collector read every file without error.
scrape() {
        curl -sf --max-time 5 "http://127.0.0.1:$PORT/metrics" >"$TMP/metrics" || fail "GET /metrics failed" || return 1
        grep -qx 'node_textfile_scrape_error 0' "$TMP/metrics" ||
                { grep textfile "$TMP/metrics" "$TMP/node-exporter.log" | tail -5 >&2; fail "node_textfile_scrape_error is not 0"; }
}
# served METRIC VALUE LABEL=VALUE...: a series of METRIC with (at least) these labels and VALUE.
served() {
        local metric=$1 value=$2 l
        shift 2
        grep "^$metric{" "$TMP/metrics" | grep " $value\$" >"$TMP/series"
        for l in "$@"; do
                grep -F -- "$l" "$TMP/series" >"$TMP/series.1"
                mv "$TMP/series.1" "$TMP/series"
        done
        [ -s "$TMP/series" ] || { grep "^$metric" "$TMP/metrics" >&2; fail "no $metric $* $value served"; }
}
not_served() { ! grep -q "^$1{" "$TMP/metrics" || fail "$1 served"; }


# --- SARIF ---------------------------------------------------------------------------------

t_sarif_findings() {
        da audit --facts "$FACTS" --format sarif
        expect_rc 1 && valid_sarif "$TMP/out" || return 1
        cp "$TMP/out" "$TMP/s.sarif"
        expect_jq "$TMP/s.sarif" '.version' 2.1.0 &&
                expect_jq "$TMP/s.sarif" '.runs[0].tool.driver.name' dockaudit &&
                expect_jq "$TMP/s.sarif" '[.runs[0].results[].ruleId] | sort | join(" ")' \
                        "kernel-leaks-mounts mountflags-slave-with-live-restore" &&
                expect_jq "$TMP/s.sarif" '[.runs[0].results[].level] | unique | join(" ")' error || return 1
        # every rule a descriptor, with its rationale and first reference
        expect_jq "$TMP/s.sarif" '.runs[0].tool.driver.rules | length' "$(ls "$RULES"/*.rule | wc -l)" &&
                expect_jq "$TMP/s.sarif" '.runs[0].tool.driver.rules[] | select(.id == "mountflags-slave-with-live-restore") |
                        [.defaultConfiguration.level, .helpUri, (.fullDescription.text | startswith("MountFlags=slave or private")),
                         (.help.markdown | contains("- <https://github.com/moby/moby/pull/22806>"))] | join(" ")' \
                        "error https://github.com/moby/moby/issues/35873 true true" || return 1
        # the drop-in that set MountFlags, on its line; daemon.json's live-restore related
        expect_jq "$TMP/s.sarif" '.runs[0].results[] | select(.ruleId == "mountflags-slave-with-live-restore") |
                .locations[0].physicalLocation | "\(.artifactLocation.uriBaseId) \(.artifactLocation.uri):\(.region.startLine)"' \
                "ROOT etc/systemd/system/docker.service.d/mountflags-slave.conf:3" &&
                expect_jq "$TMP/s.sarif" '.runs[0].results[] | select(.ruleId == "mountflags-slave-with-live-restore") |
                        .relatedLocations[0].physicalLocation | "\(.artifactLocation.uri):\(.region.startLine)"' \
                        "etc/docker/daemon.json:2" &&
                expect_jq "$TMP/s.sarif" '.runs[0].originalUriBaseIds.ROOT.uri' "file:///" || return 1
        # kernel.release comes from /proc: a logical location, the result placed on the rule file
        expect_jq "$TMP/s.sarif" '.runs[0].results[] | select(.ruleId == "kernel-leaks-mounts") |
                [.relatedLocations[0].logicalLocations[0].name, (.locations[0].physicalLocation.artifactLocation.uri |
                endswith("rules/kernel-leaks-mounts.rule"))] | join(" ")' "/proc/sys/kernel/osrelease true" || return 1
        expect_jq "$TMP/s.sarif" '.runs[0].invocations[0] | "\(.executionSuccessful) \(.exitCode)"' "true 1" &&
                expect_jq "$TMP/s.sarif" '[.runs[0].invocations[0].toolExecutionNotifications[] | select(.level == "note")] | length' \
                        "$(jq '.summary.skip' <("$DOCKAUDIT" --rules-dir "$RULES" audit --facts "$FACTS" --format json))"
}

# The finding's fingerprint, when the JSON report has one (the report contract), is the SARIF
# result's partial fingerprint.
t_sarif_fingerprints() {
        da audit --facts "$FACTS" --format json
        cp "$TMP/out" "$TMP/r.json"
        da audit --facts "$FACTS" --format sarif
        if jq -e '[.results[] | select(.status == "fail") | has("fingerprint")] | any' "$TMP/r.json" >/dev/null; then
                [ "$(jq -c '[.results[] | select(.status == "fail") | .fingerprint] | sort' "$TMP/r.json")" = \
                        "$(jq -c '[.runs[0].results[].partialFingerprints["dockauditFingerprint/v1"]] | sort' "$TMP/out")" ] ||
                        fail "partialFingerprints differ from the JSON report's fingerprints"
        else
                echo "# the JSON report has no fingerprints yet: none in SARIF either"
                expect_jq "$TMP/out" '[.runs[0].results[] | has("partialFingerprints")] | any' false
        fi
}

t_sarif_output_file() {
        da audit --facts "$FACTS" --format sarif -o "$TMP/o.sarif"
        expect_rc 1 && [ ! -s "$TMP/out" ] && valid_sarif "$TMP/o.sarif" || return 1
        [ "$(stat -c %a "$TMP/o.sarif")" = 644 ] || fail "mode $(stat -c %a "$TMP/o.sarif")"
}

t_sarif_other_facts() {
        da audit --facts "$FIX/facts/docker-ce-18.09-dependencies.json" --format sarif
        [ "$RC" != 2 ] && valid_sarif "$TMP/out" || fail "docker-ce-18.09-dependencies.json" || return 1
        da audit --facts "$FACTS" --format sarif --fail-on high --strict
        expect_rc 2 && valid_sarif "$TMP/out" || return 1
        expect_jq "$TMP/out" '.runs[0].invocations[0] | "\(.executionSuccessful) \(.exitCode)"' "false 2" &&
                expect_jq "$TMP/out" '[.runs[0].invocations[0].toolExecutionNotifications[] | select(.level == "error") |
                        .message.text | startswith("rule ")] | any' true
}

# Every error path prints a valid log that says why: exit code 2, the problem a notification.
# sarif_error PATTERN DIR ARGS...
sarif_error() {
        local pat=$1 dir=$2
        shift 2
        dar "$dir" audit --format sarif "$@"
        expect_rc 2 && valid_sarif "$TMP/out" || return 1
        expect_jq "$TMP/out" '.runs[0].invocations[0] | "\(.executionSuccessful) \(.exitCode)"' "false 2" &&
                expect_jq "$TMP/out" '.runs[0].results | length' 0 || return 1
        jq -e --arg p "$pat" '[.runs[0].invocations[0].toolExecutionNotifications[] | select(.level == "error") |
                .message.text | test($p)] | any' "$TMP/out" >/dev/null || fail "no notification /$pat/"
}
t_sarif_errors() {
        sarif_error "long-line.rule:[0-9]+: " "$TMP/badrules" --facts "$FACTS" || return 1
        sarif_error "option '--facts' needs a value" "$RULES" --facts || return 1
        sarif_error "$TMP/missing.json" "$RULES" --facts "$TMP/missing.json" || return 1
        sarif_error "unknown option '--bogus'" "$RULES" --bogus || return 1
        sarif_error "cannot open the rules directory" "$TMP/nope" --facts "$FACTS" || return 1
        sarif_error "/dev/null" "$RULES" --facts /dev/null
}

# A report as it is when a waiver accepts the failure, a fingerprint and a baseline mark it
# and a waiver is stale (hand-made: the contract's names).
contract_report() {
        da audit --facts "$FACTS" --format json
        jq '(.results[] | select(.id == "mountflags-slave-with-live-restore")) |= (.status = "waived" |
                .fingerprint = "5f0c2a" | .baseline = "unchanged" |
                .waiver = {file: "/etc/dockaudit/waivers.d/legacy.waiver", line: 3, rule: .id,
                           reason: "CentOS 7.3 hosts are replaced in Q3", owner: "ops@example.com",
                           expires: "2027-06-30", expired: false}) |
            (.results[] | select(.id == "kernel-leaks-mounts")) |= (.fingerprint = "77aa01" | .baseline = "new" |
                .waiver = {file: "/etc/dockaudit/waivers.d/old.waiver", line: 1, rule: .id, reason: "r",
                           expires: "2020-01-01", expired: true}) |
            .summary.waived = 1 | .waivers = {stale: [{file: "/etc/dockaudit/waivers.d/gone.waiver", line: 2, rule: "gone"}]}' \
                "$TMP/out" >"$TMP/contract.json"
}
t_sarif_contract() {
        contract_report
        "$REPORT_CONVERT" sarif "$TMP/contract.json" "$RULES" >"$TMP/c.sarif" 2>"$TMP/err" || fail "report-convert" || return 1
        valid_sarif "$TMP/c.sarif" || return 1
        expect_jq "$TMP/c.sarif" '.runs[0].results[] | select(.ruleId == "mountflags-slave-with-live-restore") |
                [.suppressions[0].kind, .suppressions[0].status, .suppressions[0].justification,
                 .suppressions[0].location.physicalLocation.artifactLocation.uri,
                 (.suppressions[0].location.physicalLocation.region.startLine | tostring),
                 .partialFingerprints["dockauditFingerprint/v1"], .baselineState] | join("|")' \
                "external|accepted|CentOS 7.3 hosts are replaced in Q3|etc/dockaudit/waivers.d/legacy.waiver|3|5f0c2a|unchanged" || return 1
        # the expired waiver does not suppress
        expect_jq "$TMP/c.sarif" '.runs[0].results[] | select(.ruleId == "kernel-leaks-mounts") |
                [has("suppressions"), .properties.waiver.expired, .baselineState] | map(tostring) | join(" ")' "false true new" &&
                expect_jq "$TMP/c.sarif" '.runs[0].invocations[0].toolExecutionNotifications[] | select(.level == "warning") |
                        .locations[0].physicalLocation.artifactLocation.uri' "etc/dockaudit/waivers.d/gone.waiver"
}

# --- Prometheus ----------------------------------------------------------------------------

L_SYS='unit="docker.service"'
t_prom_findings() {
        rm -f "$TEXTDIR"/*
        da audit --facts "$FACTS" --format prometheus -o "$TEXTDIR/dockaudit.prom"
        expect_rc 1 && [ ! -s "$TMP/out" ] || fail "-o" || return 1
        [ "$(ls -A "$TEXTDIR")" = dockaudit.prom ] || fail "left in the directory: $(ls -A "$TEXTDIR")" || return 1
        [ "$(stat -c %a "$TEXTDIR/dockaudit.prom")" = 644 ] || fail "mode" || return 1
        scrape || return 1
        served dockaudit_finding 1 "$L_SYS" 'scope="system"' 'rule="mountflags-slave-with-live-restore"' \
                'severity="high"' 'status="fail"' &&
                served dockaudit_finding 1 'rule="kernel-leaks-mounts"' &&
                served dockaudit_exit_status 1 "$L_SYS" &&
                served dockaudit_problems 0 "$L_SYS" &&
                served dockaudit_failures 2 'severity="high"' &&
                served dockaudit_failures 0 'severity="medium"' &&
                served dockaudit_rules 2 'status="fail"' &&
                served dockaudit_rules "$(jq '.summary.skip' <("$DOCKAUDIT" --rules-dir "$RULES" audit --facts "$FACTS" --format json))" 'status="skip"' &&
                served dockaudit_info 1 'version="' || return 1
        local t
        t=$(sed -n 's/^dockaudit_last_run_timestamp_seconds{.*} \([0-9.e+]*\)$/\1/p' "$TMP/metrics")
        python3 -c "import sys, time; sys.exit(0 if abs(float('$t') - time.time()) < 120 else 1)" ||
                fail "last run timestamp $t"
}

# One file per audited unit in the same directory: no series clash.
t_prom_two_units() {
        rm -f "$TEXTDIR"/*
        da audit --facts "$FACTS" --format prometheus -o "$TEXTDIR/dockaudit.prom"
        da --user audit --facts "$FACTS" --format prometheus -o "$TEXTDIR/dockaudit-user.prom"
        da --unit $'we"ird\\na\nme\xe9.service' audit --facts "$FACTS" --format prometheus -o "$TEXTDIR/odd.prom"
        scrape || return 1
        served dockaudit_exit_status 1 'scope="user"' &&
                served dockaudit_exit_status 1 'scope="system"' "$L_SYS" &&
                served dockaudit_exit_status 1 'unit="we\"ird\\\\na\nme\\xe9.service"'
}

# Every error path writes a complete file that says the audit could not run.
# prom_error DIR ARGS...
prom_error() {
        local dir=$1
        shift
        rm -f "$TEXTDIR"/*
        dar "$dir" audit --format prometheus -o "$TEXTDIR/dockaudit.prom" "$@"
        expect_rc 2 && scrape || return 1
        served dockaudit_exit_status 2 && served dockaudit_problems 1 && served dockaudit_rules 0 'status="pass"' &&
                not_served dockaudit_finding || return 1
        grep -q '^# problem: ' "$TEXTDIR/dockaudit.prom" || fail "no problem comment"
}
t_prom_errors() {
        prom_error "$TMP/badrules" --facts "$FACTS" || return 1
        prom_error "$RULES" --facts || return 1
        prom_error "$RULES" --facts "$TMP/missing.json" || return 1
        prom_error "$TMP/nope" --facts "$FACTS" || return 1
        # to stdout as well
        dar "$TMP/badrules" audit --facts "$FACTS" --format prometheus
        expect_rc 2 && grep -q '^dockaudit_exit_status{.*} 2$' "$TMP/out" || fail "stdout"
}

t_prom_contract() {
        rm -f "$TEXTDIR"/*
        contract_report
        "$REPORT_CONVERT" prometheus "$TMP/contract.json" "$RULES" >"$TEXTDIR/contract.prom" 2>"$TMP/err" ||
                fail "report-convert" || return 1
        scrape || return 1
        served dockaudit_finding 1 'rule="mountflags-slave-with-live-restore"' 'status="waived"' &&
                served dockaudit_finding 1 'rule="kernel-leaks-mounts"' 'status="fail"' &&
                served dockaudit_rules 1 'status="waived"' && served dockaudit_rules 1 'status="fail"' &&
                served dockaudit_failures 1 'severity="high"'
}

# promtool, where the prometheus package is installed, agrees.
t_promtool() {
        command -v promtool >/dev/null || { echo "# promtool not installed: node_exporter's check only"; return 0; }
        da audit --facts "$FACTS" --format prometheus
        promtool check metrics <"$TMP/out" || fail "promtool check metrics"
}

run "sarif: findings on saved facts" t_sarif_findings
run "sarif: fingerprints as partialFingerprints" t_sarif_fingerprints
run "sarif: -o FILE" t_sarif_output_file
run "sarif: other facts, --strict" t_sarif_other_facts
run "sarif: error paths" t_sarif_errors
run "sarif: waivers, fingerprints, baseline (report contract)" t_sarif_contract
start_node_exporter
run "prometheus: node_exporter serves the findings" t_prom_findings
run "prometheus: two units and a hostile name in one directory" t_prom_two_units
run "prometheus: error paths" t_prom_errors
run "prometheus: waived findings (report contract)" t_prom_contract
run "prometheus: promtool" t_promtool
finish
