#!/bin/bash
# SPDX-License-Identifier: MIT
# The command line as a user meets it, without a service manager: `rules`, `audit --facts`
# (saved facts of a CentOS 7.3 host), report formats, -o, --fail-on, colours, exit codes.
# Run by `make check` with DOCKAUDIT and top_srcdir set. Prints "ok N - name" lines and
# "P passed, F failed"; exit 0 all passed, 1 a case failed, 99 cannot run.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x "${DOCKAUDIT:-}" ] || { echo "DOCKAUDIT is not set to the built binary" >&2; exit 99; }
for t in jq script; do command -v $t >/dev/null || { echo "$t is missing (autogen.sh installs it)" >&2; exit 99; }; done

RULES=$top_srcdir/rules
FIX=$top_srcdir/tests/fixtures
FACTS=$FIX/facts/centos73-slave-live-restore.json
TMP=$(mktemp -d /tmp/dockaudit-cli.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/lib.sh"


t_rules_list() {
        da rules list
        expect_rc 0 || return 1
        for f in "$RULES"/*.rule; do
                expect_out "^$(basename "$f" .rule) " || return 1
        done
}
t_rules_show() {
        da rules show mountflags-slave-with-live-restore
        expect_rc 0 && expect_out 'keep-slave' && expect_out "$RULES/mountflags-slave-with-live-restore.rule" &&
                expect_out 'MountFlags=shared' || return 1
        da rules show no-such-rule
        expect_rc 2 && expect_err 'no-such-rule' || return 1
}
t_rules_check() {
        da rules check "$RULES"/*.rule
        expect_rc 0 || return 1
        da rules check "$FIX/rules/bad/when-unknown-fact.rule"
        expect_rc 2 && expect_err "when-unknown-fact.rule:6: when: column 1: unknown fact 'unit.mount_flag'" || return 1
}
t_bad_rule_dir() {
        mkdir -p "$TMP/badrules"
        cp "$RULES"/*.rule "$TMP/badrules/"
        cp "$FIX/rules/bad/long-line.rule" "$TMP/badrules/"
        NO_COLOR= "$DOCKAUDIT" --rules-dir "$TMP/badrules" audit --facts "$FACTS" >"$TMP/out" 2>"$TMP/err"
        RC=$?
        expect_rc 2 && expect_err "long-line.rule:[0-9]+: " || return 1
        [ ! -s "$TMP/out" ] || fail "a report was printed despite a bad rule file"
}
t_disable_by_dev_null() {
        mkdir -p "$TMP/override"
        ln -sf /dev/null "$TMP/override/kernel-leaks-mounts.rule"
        NO_COLOR= "$DOCKAUDIT" --rules-dir "$TMP/override" --rules-dir "$RULES" audit --facts "$FACTS" --format json \
                >"$TMP/out" 2>"$TMP/err"
        RC=$?
        expect_rc 1 || return 1
        # listed as disabled, with the file that disabled it (it used to vanish: issue 9)
        expect_json '.results[] | select(.id == "kernel-leaks-mounts") | .status' disabled || return 1
        expect_json '.results[] | select(.id == "kernel-leaks-mounts") | .disabled_by' "$TMP/override/kernel-leaks-mounts.rule" ||
                return 1
        expect_json '.results[] | select(.id == "mountflags-slave-with-live-restore") | .status' fail
}
t_facts_file_json() {
        da audit --facts "$FACTS" --format json
        expect_rc 1 || return 1
        expect_json '.schema' dockaudit-report/1 || return 1
        expect_json '.facts_file' "$FACTS" 2>/dev/null || expect_json '.target.facts_file' "$FACTS" || return 1
        expect_json '.results[] | select(.id == "kernel-leaks-mounts") | .status' fail || return 1
        # derived from kernel.release: the file does not carry them
        expect_json '.facts["kernel.rhel_build"].value' 514 || return 1
        expect_json '.facts["kernel.leaks_mounts"].value' true || return 1
        # on a leaking kernel the fix keeps slave and turns live-restore off
        expect_json '.results[] | select(.id == "mountflags-slave-with-live-restore") | .fix' keep-slave || return 1
        expect_json '.results[] | select(.id == "mountflags-slave-with-live-restore") | .evidence[] | select(.fact == "unit.mount_flags") | .source' \
                /etc/systemd/system/docker.service.d/mountflags-slave.conf:3 || return 1
        expect_json '.summary.fail' 2 || return 1
        expect_json '.summary.exit_status' 1
}
t_fail_on() {
        # A 7.9 kernel with the sysctl on, live-restore off: only the medium slave rule fails.
        jq '.facts["kernel.release"].value = "3.10.0-1160.81.1.el7.x86_64"
            | .facts["kernel.may_detach_mounts"] = {"type":"number","known":true,"value":1,"source":"/proc/sys/fs/may_detach_mounts"}
            | .facts["dockerd.live_restore"].value = false' "$FACTS" >"$TMP/el79.json"
        da audit --facts "$TMP/el79.json" --format json
        expect_rc 1 && expect_json '[.results[] | select(.status == "fail") | .id] | join(",")' mountflags-slave-on-fixed-kernel ||
                return 1
        da audit --facts "$TMP/el79.json" --fail-on high
        expect_rc 0 || return 1
        da audit --facts "$TMP/el79.json" --fail-on low
        expect_rc 1 || return 1
        da audit --facts "$TMP/el79.json" --fail-on urgent
        expect_rc 2 && expect_err 'fail-on'
}
t_junit() {
        da audit --facts "$FACTS" --format junit
        expect_rc 1 && expect_out '<testsuite name="dockaudit docker.service" tests="[0-9]+" failures="2"' &&
                expect_out '<testcase classname="dockaudit.high" name="kernel-leaks-mounts">' &&
                expect_out '<failure type="high"' || return 1
}
t_output_file() {
        da audit --facts "$FACTS" --format json -o "$TMP/report.json"
        expect_rc 1 || return 1
        [ ! -s "$TMP/out" ] || fail "stdout not empty with -o"
        jq -e '.schema == "dockaudit-report/1"' "$TMP/report.json" >/dev/null || fail "report.json"
        da audit --facts "$FACTS" -o "$TMP/no-such-dir/report.txt"
        expect_rc 2 && expect_err "no-such-dir/report.txt" || return 1
        [ -z "$(ls "$TMP" | grep -v -E '^(out|err|report.json|badrules|override|el79.json)$')" ] ||
                fail "stray files: $(ls "$TMP")"
}
t_colour() {
        script -qec "NO_COLOR= '$DOCKAUDIT' --rules-dir '$RULES' audit --facts '$FACTS'" /dev/null >"$TMP/tty" 2>&1
        grep -q $'\033\\[' "$TMP/tty" || { RC=?; fail "no colour on a tty"; return 1; }
        script -qec "NO_COLOR=1 '$DOCKAUDIT' --rules-dir '$RULES' audit --facts '$FACTS'" /dev/null >"$TMP/tty" 2>&1
        ! grep -q $'\033\\[' "$TMP/tty" || { RC=?; fail "colour despite NO_COLOR"; return 1; }
        script -qec "'$DOCKAUDIT' --no-color --rules-dir '$RULES' audit --facts '$FACTS'" /dev/null >"$TMP/tty" 2>&1
        ! grep -q $'\033\\[' "$TMP/tty" || { RC=?; fail "colour despite --no-color"; return 1; }
        da audit --facts "$FACTS"
        ! grep -q $'\033\\[' "$TMP/out" || fail "colour into a pipe"
        rm -f "$TMP/tty"
}
t_bad_input() {
        da frobnicate
        expect_rc 2 && expect_err "unknown command 'frobnicate'" || return 1
        da audit --format xml
        expect_rc 2 && expect_err 'format' || return 1
        da audit --facts "$TMP/missing.json"
        expect_rc 2 && expect_err "$TMP/missing.json" || return 1
        printf '{"schema": "dockaudit-facts/1",\n "facts": {\n  "kernel.release": \n}}\n' >"$TMP/broken.json"
        da audit --facts "$TMP/broken.json"
        expect_rc 2 && expect_err "broken.json:4:1: " || return 1
        rm -f "$TMP/broken.json"
}
t_version_help() {
        da --version
        expect_rc 0 && expect_out '^dockaudit [0-9]' || return 1
        da --help
        expect_rc 0 && expect_out 'audit' && expect_out 'Exit status' || return 1
}

t_help() {
        local c
        da help
        expect_rc 0 && expect_out '^Usage: dockaudit \[OPTIONS\] COMMAND' && expect_out '^  help \[COMMAND\]' || return 1
        [ ! -s "$TMP/err" ] || fail "help wrote to stderr"
        cp "$TMP/out" "$TMP/global-usage"
        for c in --help -h; do
                # before the command: the global usage, as without one
                da $c audit
                expect_rc 0 && cmp -s "$TMP/out" "$TMP/global-usage" || fail "$c audit is not the global usage" || return 1
        done
        for c in audit facts fix rules leaks; do
                da help $c
                expect_rc 0 && expect_out "^Usage: dockaudit $c" || return 1
                [ ! -s "$TMP/err" ] || fail "help $c wrote to stderr" || return 1
                cp "$TMP/out" "$TMP/usage-$c"
                da $c --help
                expect_rc 0 && cmp -s "$TMP/out" "$TMP/usage-$c" || fail "$c --help differs from help $c" || return 1
                [ ! -s "$TMP/err" ] || fail "$c --help wrote to stderr" || return 1
                da $c -h
                expect_rc 0 && cmp -s "$TMP/out" "$TMP/usage-$c" || fail "$c -h differs from help $c" || return 1
                ! cmp -s "$TMP/out" "$TMP/global-usage" || fail "$c -h printed the global usage" || return 1
        done
        # global options still go before or after the command, around --help
        da audit --unit other.service --help
        expect_rc 0 && cmp -s "$TMP/out" "$TMP/usage-audit" || fail "audit --unit X --help" || return 1
        da help frobnicate
        expect_rc 2 && expect_err "unknown command 'frobnicate'" || return 1
        [ ! -s "$TMP/out" ] || fail "help frobnicate wrote to stdout" || return 1
        da help audit facts
        expect_rc 2 && expect_err "unexpected argument 'facts'" || return 1
        rm -f "$TMP/global-usage" "$TMP"/usage-*
}
t_usage_errors() {
        local c
        for c in audit facts leaks; do
                da $c --no-such-option
                expect_rc 2 && expect_err "^dockaudit: .*'--no-such-option'" && expect_err "dockaudit $c --help" || return 1
                [ ! -s "$TMP/out" ] || fail "$c --no-such-option wrote to stdout" || return 1
                da $c stray-argument
                expect_rc 2 && expect_err "^dockaudit: unexpected argument 'stray-argument'" &&
                        expect_err "dockaudit $c --help" || return 1
        done
        # fix words its own messages (cmd-fix.c); the problem is named, the status is 2
        da fix --no-such-option
        expect_rc 2 && expect_err "'--no-such-option'" || return 1
        da fix stray-argument
        expect_rc 2 && expect_err "'stray-argument'" || return 1
        da rules frobnicate
        expect_rc 2 && expect_err "^dockaudit: .*'frobnicate'" && expect_err "dockaudit rules --help" || return 1
        da rules show
        expect_rc 2 && expect_err "dockaudit rules --help" || return 1
        da audit --format
        expect_rc 2 && expect_err "^dockaudit: .*'--format'" || return 1
        da leaks --format yaml
        expect_rc 2 && expect_err "^dockaudit: --format: expected text or json, not 'yaml'" || return 1
        da leaks --dockerd-pid 1
        expect_rc 2 && expect_err "^dockaudit: --dockerd-pid goes with --docker-root" || return 1
        da --root /nonexistent leaks
        expect_rc 2 && expect_err "^dockaudit: leaks needs the live host" || return 1
        da --unit
        expect_rc 2 && expect_err "^dockaudit: option '--unit' needs a value" || return 1
        NO_COLOR= "$DOCKAUDIT" >"$TMP/out" 2>"$TMP/err"
        RC=$?
        expect_rc 2 && expect_err '^Usage: dockaudit' || return 1
        [ ! -s "$TMP/out" ] || fail "no command: usage on stdout"
}
t_globals_after_command() {
        da audit --facts "$FACTS" --format json --unit other.service --no-color
        expect_rc 1 && expect_json '.target.unit' other.service
}

# An image as a kickstart %post or Packer step sees it: files only, no bus.
t_offline_image_fix() {
        local r=$TMP/image
        mkdir -p "$r/lib/systemd/system" "$r/etc/docker" "$r/lib/modules/3.10.0-1160.81.1.el7.x86_64"
        cp "$FIX/units/moby-v1.11.2-docker.service" "$r/lib/systemd/system/docker.service"
        cp "$FIX/units/moby-v1.11.2-docker.socket" "$r/lib/systemd/system/docker.socket" # its -H fd://
        cp "$FIX/os-release/centos-7.1.1503-etc-os-release" "$r/etc/os-release"
        printf '{\n  "log-driver": "journald",\n  "live-restore": true\n}\n' >"$r/etc/docker/daemon.json"
        da --root "$r" audit --format json
        expect_rc 1 || return 1
        expect_json '.facts["kernel.release"].value' 3.10.0-1160.81.1.el7.x86_64 || return 1
        expect_json '.facts["unit.mount_flags"].source' /lib/systemd/system/docker.service:13 || return 1
        expect_json '.results[] | select(.id == "mountflags-slave-with-live-restore") | .status' fail || return 1
        da --root "$r" fix --dry-run
        expect_rc 1 && expect_out '^\+MountFlags=shared' || return 1
        [ ! -e "$r/etc/systemd/system" ] || fail "--dry-run wrote into the image"
        da --root "$r" fix --yes
        expect_rc 0 || return 1
        grep -qx 'MountFlags=shared' "$r/etc/systemd/system/docker.service.d/50-dockaudit.conf" ||
                fail "drop-in not written"
        grep -qx 'fs.may_detach_mounts = 1' "$r/etc/sysctl.d/50-dockaudit.conf" || fail "sysctl.d not written"
        [ -z "$(find "$r" -name '.#*')" ] || fail "temporary files left in the image"
        [ ! -e "$r/run" ] || fail "a lock file was left in the image"
        da --root "$r" fix --yes
        expect_rc 0 && expect_out 'Nothing to change' || return 1
        da --root "$r" audit
        expect_rc 0
}

run "rules list names every bundled rule" t_rules_list
run "rules show prints fixes and the file" t_rules_show
run "rules check: ok and FILE:LINE errors" t_rules_check
run "a bad rule file stops the audit with exit 2" t_bad_rule_dir
run "a /dev/null symlink disables a rule" t_disable_by_dev_null
run "audit --facts: CentOS 7.3 report in JSON" t_facts_file_json
run "--fail-on moves the threshold" t_fail_on
run "JUnit report" t_junit
run "-o FILE is atomic and names the file on error" t_output_file
run "colour only on a tty, NO_COLOR and --no-color honoured" t_colour
run "bad command lines and facts files exit 2" t_bad_input
run "--version and --help" t_version_help
run "help, help COMMAND, COMMAND --help and -h" t_help
run "usage errors: the problem and a hint, exit 2" t_usage_errors
run "global options after the command" t_globals_after_command
run "offline image: audit and fix --root" t_offline_image_fix
finish
