#!/bin/bash
# SPDX-License-Identifier: MIT
# dockaudit summarize over hand-made reports (tests/fixtures/summarize: several hosts, a newer
# and an older report of one host, waived findings, an expired waiver, a stale waiver, an old
# report, an incomplete one, a report from before host identity, a host named
# "<script>...</script>" with a message carrying an <img onerror>), plus a host expected but
# missing. Text, JSON (jq), JUnit (xmllint) and the HTML page in a real headless browser
# (Debian's chromium: the page's own script must have run, no console message logged, every
# host in the DOM, nothing injected executed). Exit statuses; malformed reports are bad
# input (exit 2, FILE:LINE:COLUMN, nothing written).
# Run by `make check` with DOCKAUDIT and top_srcdir set. Prints "ok N - name" lines and
# "P passed, F failed"; exit 0 all passed, 1 a case failed, 99 cannot run.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x "${DOCKAUDIT:-}" ] || { echo "DOCKAUDIT is not set to the built binary" >&2; exit 99; }
for t in jq xmllint chromium timeout; do
        command -v $t >/dev/null || { echo "$t is missing (autogen.sh installs it)" >&2; exit 99; }
done

FIX=$top_srcdir/tests/fixtures/summarize
NOW=2026-11-30T10:00:00Z
TMP=$(mktemp -d /tmp/dockaudit-summarize.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/lib.sh"
HOSTILE="<script>document.body.setAttribute('data-pwned','1')</script>"

# The reports, copied: the legacy report's time is its file's, set here.
mkdir -p "$TMP/reports"
cp "$FIX"/*.json "$TMP/reports/"
touch -d 2026-11-30T09:45:00Z "$TMP/reports/legacy.json"
R=$TMP/reports

# ds ARGS...: dockaudit summarize --now $NOW ARGS; sets RC; stdout in $TMP/out.
ds() {
        "$DOCKAUDIT" summarize --now "$NOW" "$@" >"$TMP/out" 2>"$TMP/err"
        RC=$?
}

t_text() {
        ds --hosts alpha,beta,zeta "$R"
        expect_rc 2 &&
                expect_out '^dockaudit fleet summary: 7 hosts: 1 clean, 3 failing, 1 old, 1 incomplete, 1 missing$' &&
                expect_out '^  alpha +failing +1/0/0/0 +1 +1  2026-11-30T08:00:00Z$' &&
                expect_out '^  beta +clean +0/0/0/0 +0 +0  2026-11-30T06:30:00Z$' &&
                expect_out '^  delta +incomplete ' && expect_out '^  epsilon +old +0/0/1/0 ' &&
                expect_out '^  legacy +failing +1/0/0/0 +0 +0  2026-11-30T09:45:00Z \(file time\)$' &&
                expect_out '^  zeta +missing' &&
                expect_out '^    2 hosts  high    mountflags-slave-with-live-restore: ' &&
                expect_out "^      <script>.*</script>, alpha$" &&
                expect_out "^  alpha: log-size-unbounded waived: 'journald rotates the logs' \(owner 'ops@example.org', expires 2026-12-31\)$" &&
                expect_out '^  alpha: stale waiver /etc/dockaudit/waivers.d/old.waiver:3 \(rule option-set-twice\) matches nothing$' &&
                expect_out "^  <script>.*: log-size-unbounded fails: its waiver /etc/dockaudit/waivers.d/x.waiver:2 expired on 2026-01-31" &&
                expect_out '^  delta: incomplete: the audit could not finish \(exit status 2\)$' &&
                expect_out "^  delta: could not read '/etc/docker/daemon.json': Permission denied$" &&
                expect_out '^  epsilon: old: the report is from 2026-11-20T00:00:00Z, 10d 10h ago \(--max-age 2d 0h\)$' &&
                expect_out '^  zeta: no report$' &&
                expect_out '^  mountflags-slave-with-live-restore +F F \. E \. \. \?$' &&
                expect_out '^  log-size-unbounded +F W \. - F - \?$'
}

# The newest report of a host counts, whatever the order the files are given in.
t_newest() {
        ds --format json "$R/alpha.json" "$R/alpha-2026-11-29.json"
        expect_rc 1 && expect_json '.hosts | length' 1 && expect_json '.hosts[0].file' "$R/alpha.json" || return 1
        ds --format json "$R/alpha-2026-11-29.json" "$R/alpha.json"
        expect_rc 1 && expect_json '.hosts[0].file' "$R/alpha.json" && expect_json '.hosts[0].state' failing
}

t_json() {
        ds --format json --hosts alpha,beta,zeta "$R"
        expect_rc 2 && expect_json .schema dockaudit-summary/1 &&
                expect_json '.summary | [.hosts, .clean, .failing, .old, .incomplete, .missing, .exit_status] | @tsv' \
                        "$(printf '7\t1\t3\t1\t1\t1\t2')" &&
                expect_json '[.hosts[] | "\(.name)=\(.state)"] | join(" ")' \
                        "$HOSTILE=failing alpha=failing beta=clean delta=incomplete epsilon=old legacy=failing zeta=missing" &&
                expect_json '.hosts[] | select(.name == "alpha") | [.failing_rules[], .waivers[0].reason, .stale_waivers[0].rule] | join(",")' \
                        "mountflags-slave-with-live-restore,journald rotates the logs,option-set-twice" &&
                expect_json '.hosts[] | select(.name == "legacy") | .time_source + " " + .time' "file 2026-11-30T09:45:00Z" &&
                expect_json '.hosts[] | select(.name == "epsilon") | .age_seconds' 900000 &&
                expect_json '[.rules[] | "\(.id):\(.hosts_failing)"] | join(" ")' \
                        "mountflags-slave-with-live-restore:2 log-size-unbounded:2 detach-mounts-disabled:1 killmode-with-live-restore:1" &&
                expect_json '.rules[0].hosts.delta' error && expect_json '.rules[1].hosts.alpha' waived
}

# 0 clean, 1 failing at or above --fail-on, 2 missing/old/incomplete (wins over 1).
t_exit_status() {
        ds "$R/beta.json"
        expect_rc 0 || return 1
        ds "$R/beta.json" "$R/alpha.json"
        expect_rc 1 || return 1
        ds --max-age 30d "$R/beta.json" "$R/epsilon.json"
        expect_rc 0 || return 1
        ds --max-age 30d --fail-on low "$R/beta.json" "$R/epsilon.json"
        expect_rc 1 || return 1
        ds "$R/beta.json" "$R/epsilon.json"
        expect_rc 2 || return 1
        ds "$R/beta.json" "$R/delta.json"
        expect_rc 2 || return 1
        printf 'beta\n# the web tier\n\nomega\n' >"$TMP/fleet.txt"
        ds --hosts "$TMP/fleet.txt" "$R/beta.json"
        expect_rc 2 && expect_out '^  omega: no report$' || return 1
        ds --hosts beta "$R/beta.json" "$R/alpha.json"
        expect_rc 1 || return 1
        # the clock: --now later makes beta old
        "$DOCKAUDIT" summarize --now 2026-12-05T00:00:00+02:00 "$R/beta.json" >"$TMP/out" 2>"$TMP/err"
        RC=$?
        expect_rc 2 && expect_out '^  beta +old '
}

t_junit() {
        ds --format junit --hosts alpha,beta,zeta "$R"
        expect_rc 2 || return 1
        xmllint --noout "$TMP/out" 2>"$TMP/err" || fail "xmllint" || return 1
        [ "$(xmllint --xpath 'count(/testsuites/testsuite)' "$TMP/out")" = 7 ] || fail "7 testsuites" || return 1
        [ "$(xmllint --xpath 'count(/testsuites/testsuite[@name="alpha"]/testcase)' "$TMP/out")" = 4 ] ||
                fail "alpha: one testcase per rule" || return 1
        [ "$(xmllint --xpath 'string(/testsuites/testsuite[@name="alpha"]/@failures)' "$TMP/out")" = 1 ] ||
                fail "alpha failures" || return 1
        xmllint --xpath "string(/testsuites/testsuite[@name=\"$HOSTILE\"]/testcase[@name='killmode-with-live-restore']/failure/@message)" \
                "$TMP/out" | grep -qF "KillMode=<img src=x onerror=" || fail "the hostile host's failure" || return 1
        xmllint --xpath 'string(/testsuites/testsuite[@name="alpha"]/testcase[@name="log-size-unbounded"]/skipped/@message)' \
                "$TMP/out" | grep -qx 'waived: journald rotates the logs' || fail "waived as skipped" || return 1
        for h in delta epsilon zeta; do
                [ "$(xmllint --xpath "count(/testsuites/testsuite[@name=\"$h\"]/testcase[@name='report']/error)" \
                        "$TMP/out")" = 1 ] || fail "$h: testcase report in error" || return 1
        done
        [ "$(xmllint --xpath 'count(/testsuites/testsuite[@name="beta"]//failure | /testsuites/testsuite[@name="beta"]//error)' \
                "$TMP/out")" = 0 ] || fail "beta is green"
}

# chromium_dom FILE: the DOM after the page's script ran, in $TMP/dom; the browser's log in
# $TMP/browser.log. Bounded: 120 s.
chromium_dom() {
        timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$TMP/chromium" \
                --dump-dom --enable-logging=stderr --v=0 --virtual-time-budget=5000 "file://$1" \
                >"$TMP/dom" 2>"$TMP/browser.log"
}

t_html_browser() {
        local h
        ds --format html -o "$TMP/fleet.html" --hosts alpha,beta,zeta "$R"
        expect_rc 2 || return 1
        # self-contained: no element that loads anything, no URL in the CSS
        grep -qiE '<(img|link|iframe|object|embed|script)[^>]* (src|href|data)=|@import|url\(' "$TMP/fleet.html" &&
                fail "an external reference" && return 1
        chromium_dom "$TMP/fleet.html" || fail "chromium failed: $(tail -5 "$TMP/browser.log")" || return 1
        grep -q '<body data-hosts="7" data-ready="1">' "$TMP/dom" ||
                fail "the page's script did not run: $(grep -o '<body[^>]*>' "$TMP/dom")" || return 1
        ! grep -q ':CONSOLE' "$TMP/browser.log" || fail "console: $(grep ':CONSOLE' "$TMP/browser.log")" || return 1
        ! grep -q ' data-pwned=' "$TMP/dom" || fail "injected markup ran" || return 1
        ! grep -qiE '<img|<script>document' "$TMP/dom" || fail "injected markup in the DOM" || return 1
        grep -q '7 shown' "$TMP/dom" || fail "filter count" || return 1
        for h in alpha beta delta epsilon legacy zeta \
                "&lt;script&gt;document.body.setAttribute('data-pwned','1')&lt;/script&gt;"; do
                grep -qF "<td class=\"host\">$h</td>" "$TMP/dom" || fail "host $h not in the DOM" || return 1
        done
        grep -qF 'KillMode=&lt;img src=x onerror=' "$TMP/dom" || fail "the hostile message as text" || return 1
        grep -qF '<tr data-state="incomplete"><td class="host">delta</td>' "$TMP/dom" || fail "delta's state"
}

# Sorting and filtering, by the page's own script: the URL fragment sets a view.
t_html_sort_filter() {
        ds --format html -o "$TMP/fleet.html" --hosts alpha,beta,zeta "$R"
        chromium_dom "$TMP/fleet.html#q=alpha" || fail "chromium failed" || return 1
        grep -q '1 shown' "$TMP/dom" || fail "#q=alpha: $(grep -o 'id="shown">[^<]*' "$TMP/dom")" || return 1
        chromium_dom "$TMP/fleet.html#state=failing" || fail "chromium failed" || return 1
        grep -q '3 shown' "$TMP/dom" || fail "#state=failing: $(grep -o 'id="shown">[^<]*' "$TMP/dom")" || return 1
        # by age, oldest first: the missing host, then epsilon (10 days), then beta
        chromium_dom "$TMP/fleet.html#sort=hosts:8:desc" || fail "chromium failed" || return 1
        order=$(sed -n '/<table id="hosts"/,/<\/table>/p' "$TMP/dom" | grep -o '<td class="host">[^<]*' |
                sed 's/.*>//' | head -3 | tr '\n' ' ')
        [ "$order" = "zeta epsilon beta " ] || fail "sorted by age: [$order]" || return 1
        ! grep -q ':CONSOLE' "$TMP/browser.log" || fail "console: $(grep ':CONSOLE' "$TMP/browser.log")"
}

# Defence in depth: were a host name ever printed unescaped, the page's Content-Security-Policy
# (only the script with the page's own hash runs) would still block it. The page is edited
# here to hold the raw <script> and an <img onerror>; the browser must refuse both and say so.
t_html_csp() {
        ds --format html -o "$TMP/fleet.html" "$R/gamma.json"
        sed -e "s|&lt;script&gt;document.body.setAttribute(&#39;data-pwned&#39;,&#39;1&#39;)&lt;/script&gt;|$HOSTILE|" \
                -e "s|KillMode=&lt;img src=x onerror=&quot;document.body.setAttribute(&#39;data-pwned&#39;,&#39;2&#39;)&quot;&gt;|<img src=x onerror=\"document.body.setAttribute('data-pwned','2')\">|" \
                "$TMP/fleet.html" >"$TMP/injected.html"
        [ "$(grep -c "<script>document.body\|<img src=x" "$TMP/injected.html")" -ge 2 ] ||
                fail "the injection was not made" || return 1
        chromium_dom "$TMP/injected.html" || fail "chromium failed" || return 1
        grep -q '<body data-hosts="1" data-ready="1">' "$TMP/dom" || fail "the page's own script did not run" || return 1
        ! grep -q ' data-pwned=' "$TMP/dom" || fail "an injected script ran" || return 1
        grep -q "Content Security Policy" "$TMP/browser.log" || fail "no CSP report: $(cat "$TMP/browser.log")"
}

# The console check itself: a page that logs and throws is seen.
t_browser_check_sees_errors() {
        printf '<!DOCTYPE html><html><body><script>console.error("boom"); nosuchfunction();</script></body></html>\n' \
                >"$TMP/bad.html"
        chromium_dom "$TMP/bad.html" || fail "chromium failed" || return 1
        grep -q ':CONSOLE.*boom' "$TMP/browser.log" && grep -q ':CONSOLE.*nosuchfunction' "$TMP/browser.log" ||
                fail "console messages not logged: $(cat "$TMP/browser.log")"
}

# A host name with a terminal escape: text shows it escaped, JSON keeps it.
t_escapes() {
        jq '.host.hostname = "evil\u001b]0;title\u0007host"' "$R/beta.json" >"$TMP/evil.json"
        ds "$TMP/evil.json"
        expect_rc 0 && expect_out '^  evil\\x1b\]0;title\\x07host +clean' || return 1
        ! grep -q $'\e' "$TMP/out" || fail "ESC reached the terminal" || return 1
        ds --format json "$TMP/evil.json"
        expect_json '.hosts[0].name | explode | map(select(. < 32)) | length' 2
}

t_bad_input() {
        ds -o "$TMP/never.txt" "$R/beta.json" "$FIX/malformed.json.bad"
        expect_rc 2 && expect_err "^dockaudit: $FIX/malformed.json.bad:4:23: " || return 1
        [ ! -e "$TMP/never.txt" ] || fail "written despite a malformed report" || return 1
        ds --format json "$R/beta.json" "$FIX/malformed.json.bad"
        expect_rc 2 && [ ! -s "$TMP/out" ] || fail "JSON printed despite a malformed report" || return 1
        jq '.results = {}' "$R/beta.json" >"$TMP/bad-results.json"
        ds "$TMP/bad-results.json"
        expect_rc 2 && expect_err "bad-results.json: \"results\" must be an array" || return 1
        ds "$top_srcdir/tests/fixtures/facts/centos73-slave-live-restore.json"
        expect_rc 2 && expect_err 'not a dockaudit report' || return 1
        mkdir -p "$TMP/empty"
        ds "$TMP/empty"
        expect_rc 2 && expect_err 'no report found' || return 1
        ds "$TMP/nonexistent.json"
        expect_rc 2 && expect_err 'nonexistent.json: No such file or directory' || return 1
        ds
        expect_rc 2 && expect_err 'no report given' || return 1
        ds --max-age 2days "$R/beta.json"
        expect_rc 2 && expect_err "^dockaudit: --max-age: expected .* not '2days'" || return 1
        ds --now yesterday "$R/beta.json"
        expect_rc 2 && expect_err "^dockaudit: --now: " || return 1
        ds --format pdf "$R/beta.json"
        expect_rc 2 && expect_err "^dockaudit: --format: expected text, json, junit or html, not 'pdf'"
}

# A directory is read for its *.json (not hidden ones, nothing else), whatever its name: one
# named "-fleet" is that directory (not "fleet", as a "-DIR" of the rules directories would
# be), and one given as "DIR/" names its files "DIR/NAME".
t_dir_names() {
        mkdir -p "$TMP/-fleet" "$TMP/fleet"
        cp "$R/alpha.json" "$R/beta.json" "$TMP/-fleet/"
        cp "$R/beta.json" "$TMP/-fleet/.hidden.json"
        cp "$R/beta.json" "$TMP/-fleet/beta.json.orig"
        cp "$R/beta.json" "$TMP/fleet/zeta.json"
        (cd "$TMP" && exec "$DOCKAUDIT" summarize --now "$NOW" --format json -- -fleet >"$TMP/out" 2>"$TMP/err")
        RC=$?
        expect_rc 1 && expect_json '[.hosts[].file] | sort | join(" ")' "-fleet/alpha.json -fleet/beta.json" ||
                return 1
        ds --format json "$TMP/-fleet/"
        expect_rc 1 && expect_json '[.hosts[].file] | sort | join(" ")' "$TMP/-fleet/alpha.json $TMP/-fleet/beta.json"
}

t_output_file() {
        ds --format json -o "$TMP/s.json" "$R/beta.json"
        expect_rc 0 && [ ! -s "$TMP/out" ] && jq -e '.summary.clean == 1' "$TMP/s.json" >/dev/null ||
                fail "-o FILE"
}

run "text: hosts, ranked rules, waivers, stale and expired waivers, problems, matrix" t_text
run "the newest report of a host counts" t_newest
run "JSON (dockaudit-summary/1), host by host" t_json
run "exit status: 0 clean, 1 failing at or above --fail-on, 2 missing/old/incomplete" t_exit_status
run "JUnit: one valid testsuite per host, one testcase per rule" t_junit
run "HTML in headless chromium: script ran, no console message, every host, nothing injected" t_html_browser
run "HTML: the page sorts and filters (view from the URL fragment)" t_html_sort_filter
run "HTML: the Content-Security-Policy blocks injected scripts" t_html_csp
run "the browser check sees console errors" t_browser_check_sees_errors
run "terminal escapes in host names" t_escapes
run "bad input: exit 2 naming the file, nothing written" t_bad_input
run "a directory of reports, named \"-fleet\" or given as \"DIR/\"" t_dir_names
run "-o FILE" t_output_file

finish
