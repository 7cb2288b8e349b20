#!/bin/bash
# SPDX-License-Identifier: MIT
# Host identity, finding fingerprints, `audit --baseline OLD.json` and `--fail-on-new` (issue
# 12), on an offline image (--root) in a scratch directory and on saved facts: the report
# names the audited host (not this one), fingerprints stay the same from run to run, a change
# makes a new finding, a fix a resolved one, and a bad baseline is bad input (exit 2, named).
# JSON is checked with jq, XML with xmllint. Run by `make check` with DOCKAUDIT and
# top_srcdir set. Prints "ok N - name" lines and "P passed, F failed"; exit 0 all passed, 1 a
# case failed, 99 cannot run.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x "${DOCKAUDIT:-}" ] || { echo "DOCKAUDIT is not set to the built binary" >&2; exit 99; }
for t in jq xmllint sha256sum; do command -v $t >/dev/null || { echo "$t is missing" >&2; exit 99; }; done

RULES=$top_srcdir/rules
TMP=$(mktemp -d /tmp/dockaudit-baseline.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
IMG=$TMP/img
. "$(dirname "$0")/lib.sh"
# da ARGS...: dockaudit with the bundled rules on the image; dn ARGS...: the same without --root
# (for --facts).
da() { dar "$RULES" --root "$IMG" "$@"; }
dn() { dar "$RULES" "$@"; }
ID=0123456789abcdef0123456789abcdef

# The image: docker-ce's 20.10 unit, MountFlags=slave from a drop-in, live-restore on.
make_image() {
        rm -rf "$IMG"
        mkdir -p "$IMG/etc/systemd/system/docker.service.d" "$IMG/lib/systemd/system" "$IMG/etc/docker"
        cp "$top_srcdir/tests/fixtures/units/docker-ce-packaging-20.10-docker.service" \
                "$IMG/lib/systemd/system/docker.service"
        printf '[Service]\nMountFlags=slave\n' >"$IMG/etc/systemd/system/docker.service.d/10-mount.conf"
        printf '{"live-restore": true}\n' >"$IMG/etc/docker/daemon.json"
        printf '# image\nimghost\n' >"$IMG/etc/hostname"
        echo $ID >"$IMG/etc/machine-id"
}

# The failing results of the JSON in $TMP/out: "id fingerprint baseline" lines, sorted.
failing() { jq -r '.results[] | select(.status == "fail") | "\(.id) \(.fingerprint) \(.baseline // "-")"' "$TMP/out" | sort; }

t_host_identity() {
        make_image
        da audit --format json
        expect_rc 1 && expect_valid_json || return 1
        expect_json .host.hostname imghost && expect_json .host.machine_id $ID || return 1
        expect_json .host.boot_id null && expect_json .host.reasons.boot_id "offline image (--root): it has no boot" || return 1
        jq -e '.host.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")' "$TMP/out" >/dev/null ||
                fail "host.time is not UTC RFC 3339" || return 1
        expect_json .tool.version "$("$DOCKAUDIT" --version | awk '{print $NF}')" || return 1
        # The rule-set digest, as documented (src/rules/rules.h), computed by the shell.
        local want
        want=$(cd "$RULES" && for id in $(ls *.rule | sed 's/[.]rule$//' | LC_ALL=C sort); do
                printf '%s.rule\0%s\n' "$id" "$(sha256sum <"$id.rule" | cut -c1-64)"; done | sha256sum | cut -c1-64)
        expect_json .tool.rules_digest "$want" || return 1
        expect_json '.summary.new' null && expect_json .baseline null || return 1
        jq -e '[.results[] | select(.status != "disabled") | .fingerprint | test("^[0-9a-f]{64}$")] | all' "$TMP/out" >/dev/null ||
                fail "a result without a fingerprint" || return 1
        # Text and JUnit name the audited host too.
        da audit
        expect_rc 1 && expect_out "on imghost, root " && expect_out "^host imghost, machine-id $ID, boot-id unknown, collected 20" || return 1
        expect_out "; rules sha256 $want" || return 1
        da audit --format junit
        expect_rc 1 && expect_valid_xml || return 1
        [ "$(xmllint --xpath 'string(//testsuite/@hostname)' "$TMP/out")" = imghost ] || fail "testsuite hostname" || return 1
        [ "$(xmllint --xpath 'string(//property[@name="host.machine_id"]/@value)' "$TMP/out")" = $ID ] ||
                fail "host.machine_id property" || return 1
        [ "$(xmllint --xpath 'string(//property[@name="dockaudit.rules_digest"]/@value)' "$TMP/out")" = "$want" ] ||
                fail "rules_digest property" || return 1
        xmllint --xpath 'string(//property[@name="host.boot_id"]/@value)' "$TMP/out" | grep -q '^unknown: offline' ||
                fail "host.boot_id property" || return 1
}

# audit --facts FILE reports the host the facts came from; an older file without "host" loads.
t_facts_host() {
        make_image
        da facts --format json
        expect_rc 0 && expect_json .host.hostname imghost && expect_json .tool.name dockaudit || return 1
        cp "$TMP/out" "$TMP/facts.json"
        dn audit --facts "$TMP/facts.json" --format json
        expect_rc 1 && expect_json .host.hostname imghost && expect_json .host.machine_id $ID || return 1
        expect_json .host.time "$(jq -r .host.time "$TMP/facts.json")" || return 1
        dn audit --facts "$TMP/facts.json"
        expect_out "on imghost, facts from $TMP/facts.json" || return 1
        # A JSON report as the facts file: its host.
        da audit --format json -o "$TMP/report.json"
        dn audit --facts "$TMP/report.json" --format json
        expect_rc 1 && expect_json .host.hostname imghost || return 1
        # An older facts file: every field null with the reason, not a failure.
        # (not with jq: it turns a 64-bit fact value into a float that is no longer an integer)
        awk '/^  "host": \{/ { skip = 1 } !skip { print } skip && /^  },/ { skip = 0 }' "$TMP/facts.json" >"$TMP/old-facts.json"
        grep -q '"host"' "$TMP/old-facts.json" && fail "host still in the old facts file" && return 1
        dn audit --facts "$TMP/old-facts.json" --format json
        expect_rc 1 && expect_json .host.hostname null || return 1
        expect_json .host.reasons.hostname "the facts file names no host (written by an older dockaudit)" || return 1
        # A "host" that is not one: bad input, named.
        sed 's/"hostname": "imghost"/"hostname": 7/' "$TMP/facts.json" >"$TMP/bad-facts.json"
        dn audit --facts "$TMP/bad-facts.json" --format json
        expect_rc 2 && expect_valid_json && expect_err "bad-facts.json: \"host\": \"hostname\" must be a string or null" || return 1
}

t_unchanged() {
        make_image
        da audit --format json -o "$TMP/old.json"
        expect_rc 1 || return 1
        cp "$TMP/old.json" "$TMP/out"
        failing >"$TMP/first"
        [ "$(wc -l <"$TMP/first")" -ge 2 ] || fail "expected at least two failures" || return 1
        # Run again: the same fingerprints (times differ, fingerprints do not).
        sleep 1
        da audit --format json --baseline "$TMP/old.json"
        expect_rc 1 && expect_valid_json || return 1
        [ "$(jq -r .host.time "$TMP/out")" != "$(jq -r .host.time "$TMP/old.json")" ] || fail "same collection time" || return 1
        diff <(awk '{print $1, $2}' "$TMP/first") <(failing | awk '{print $1, $2}') || fail "fingerprints changed" || return 1
        jq -e '[.results[] | select(.status == "fail") | .baseline == "unchanged"] | all' "$TMP/out" >/dev/null ||
                fail "not all unchanged" || return 1
        jq -e '[.results[] | select(.status != "fail") | has("baseline") | not] | all' "$TMP/out" >/dev/null ||
                fail "a non-failing result is marked" || return 1
        expect_json .summary.new 0 && expect_json .baseline.file "$TMP/old.json" && expect_json '.baseline.resolved | length' 0 || return 1
        da audit --baseline "$TMP/old.json" --fail-on-new
        expect_rc 0 && expect_out "\[unchanged\]" && expect_out "^baseline .*old.json: 0 new, 0 resolved" || return 1
        expect_out ", 0 new; exit status 0 \(--fail-on medium, --fail-on-new\)" || return 1
        # A line added above the setting moves it: still unchanged (line numbers are not in it).
        printf '[Service]\n# moved down\n\nMountFlags=slave\n' >"$IMG/etc/systemd/system/docker.service.d/10-mount.conf"
        da audit --format json --baseline "$TMP/old.json" --fail-on-new
        expect_rc 0 && expect_json .summary.new 0 || return 1
}

t_new_and_resolved() {
        make_image
        da audit --format json -o "$TMP/old.json"
        # The low finding's evidence now comes from daemon.json (log-driver set there): a new one.
        printf '{"live-restore": true, "log-driver": "json-file"}\n' >"$IMG/etc/docker/daemon.json"
        da audit --format json --baseline "$TMP/old.json"
        expect_rc 1 || return 1
        expect_json '.results[] | select(.id == "log-size-unbounded") | .baseline' new || return 1
        expect_json '.results[] | select(.id == "mountflags-slave-with-live-restore") | .baseline' unchanged || return 1
        expect_json .summary.new 1 || return 1
        expect_json '.baseline.resolved | map(.rule + "=" + .status) | join(",")' "log-size-unbounded=fail" || return 1
        # --fail-on-new: the new finding is low, below --fail-on medium: 0; at --fail-on low: 1.
        da audit --baseline "$TMP/old.json" --fail-on-new
        expect_rc 0 && expect_out "log-size-unbounded .*\[new\]" && expect_out "^RESOLVED" || return 1
        da audit --baseline "$TMP/old.json" --fail-on-new --fail-on low --format junit
        expect_rc 1 && expect_valid_xml && expect_out "baseline: new" || return 1
        [ "$(xmllint --xpath 'string(//property[@name="baseline.new"]/@value)' "$TMP/out")" = 1 ] || fail "baseline.new property" || return 1
        # The high finding moved to another drop-in: new, and --fail-on-new fails.
        rm "$IMG/etc/systemd/system/docker.service.d/10-mount.conf"
        printf '[Service]\nMountFlags=slave\n' >"$IMG/etc/systemd/system/docker.service.d/20-other.conf"
        da audit --format json --baseline "$TMP/old.json" --fail-on-new
        expect_rc 1 && expect_json '.results[] | select(.id == "mountflags-slave-with-live-restore") | .baseline' new || return 1
        # Fixed: resolved, with the status it has now.
        rm "$IMG/etc/systemd/system/docker.service.d/20-other.conf"
        da audit --format json --baseline "$TMP/old.json" --fail-on-new
        expect_valid_json || return 1
        expect_json '.baseline.resolved[] | select(.rule == "mountflags-slave-with-live-restore") | .status' pass || return 1
        expect_json '.results[] | select(.id == "mountflags-slave-with-live-restore") | .status' pass || return 1
}

# A bad baseline is bad input: exit 2 naming it (line:column for JSON), JSON still well-formed.
expect_bad_baseline() {
        local pat=$1 file=$2
        da audit --format json --baseline "$file"
        expect_rc 2 && expect_valid_json && expect_err "$pat" || return 1
        jq -e --arg p "$pat" '[.problems[] | test($p)] | any' "$TMP/out" >/dev/null || fail "problems lack /$pat/" || return 1
        expect_json '.results | length' 0 || return 1
        da audit --baseline "$file" --fail-on-new
        expect_rc 2 && expect_err "$pat" || return 1
        da audit --baseline "$file" --format junit
        expect_rc 2 && expect_valid_xml || return 1
}

t_bad_baselines() {
        make_image
        printf '{"schema": "dockaudit-report/1",\n  "results": [1,\n}\n' >"$TMP/broken.json"
        expect_bad_baseline "broken.json:3:1: " "$TMP/broken.json" || return 1
        : >"$TMP/empty.json"
        expect_bad_baseline "empty.json:1:0: " "$TMP/empty.json" || return 1
        expect_bad_baseline "missing.json: No such file" "$TMP/missing.json" || return 1
        expect_bad_baseline "$TMP: " "$TMP" || return 1
        mkfifo "$TMP/fifo.json"
        expect_bad_baseline "fifo.json: " "$TMP/fifo.json" || return 1
        da facts --format json
        cp "$TMP/out" "$TMP/facts.json"
        expect_bad_baseline "facts.json: not a dockaudit JSON report" "$TMP/facts.json" || return 1
        da audit --format json -o "$TMP/old.json"
        jq '{schema, results: [.results[] | del(.fingerprint)], problems}' "$TMP/old.json" >"$TMP/nofp.json"
        expect_bad_baseline "nofp.json: results\[[0-9]+\] \([a-z-]+\) has no \"fingerprint\"" "$TMP/nofp.json" || return 1
        # The error report of an audit that could not run is no baseline.
        NO_COLOR= "$DOCKAUDIT" --rules-dir "$TMP/no-such-dir" --root "$IMG" audit --format json >"$TMP/error.json" 2>/dev/null
        expect_bad_baseline "error.json: the audit it reports could not run" "$TMP/error.json" || return 1
        # --fail-on-new needs --baseline; --baseline needs a value.
        da audit --fail-on-new --format json
        expect_rc 2 && expect_valid_json && expect_err "--fail-on-new needs --baseline" || return 1
        da audit --format json --baseline
        expect_rc 2 && expect_valid_json && expect_err "option '--baseline' needs a value" || return 1
}

run "host identity in JSON, text and JUnit (--root: image's hostname and machine-id, no boot id)" t_host_identity
run "audit --facts reports the host of the facts file; old files load with a note" t_facts_host
run "audit twice: same fingerprints, all unchanged; --fail-on-new exits 0" t_unchanged
run "a changed setting is new, a fix is resolved; --fail-on-new by severity" t_new_and_resolved
run "bad baseline files: exit 2 naming the file, JSON and JUnit still well-formed" t_bad_baselines

finish
