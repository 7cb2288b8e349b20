#!/bin/bash
# SPDX-License-Identifier: MIT
# Waivers (dockaudit.waiver(5)) from the command line, without a service manager: audit
# --facts of a saved CentOS 7.3 host in every format (JSON parsed with jq, JUnit checked
# with xmllint, the exit status), waived, expired and stale waivers, the expiry at midnight
# UTC whatever TZ says, hosts and evidence, bad waiver files (FILE:LINE, exit 2, a report
# that says so), --waivers-dir, and fix --root leaving a waived finding alone.
# Run by `make check` with DOCKAUDIT and top_srcdir set. Prints "ok N - name" lines and
# "P passed, F failed"; exit 0 all passed, 1 a case failed, 99 cannot run.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x "${DOCKAUDIT:-}" ] || { echo "DOCKAUDIT is not set to the built binary" >&2; exit 99; }
for t in jq xmllint; do command -v $t >/dev/null || { echo "$t is missing (autogen.sh installs it)" >&2; exit 99; }; done

RULES=$top_srcdir/rules
FIX=$top_srcdir/tests/fixtures
WFIX=$FIX/waivers
TMP=$(mktemp -d /tmp/dockaudit-waivers.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/lib.sh"

xpath() { xmllint --xpath "$1" "$TMP/out" 2>/dev/null; }

# facts HOSTNAME TIME: the CentOS 7.3 host (mountflags-slave-with-live-restore and
# kernel-leaks-mounts fail) as collected on HOSTNAME at TIME, into $TMP/facts.json.
facts() {
        jq --arg h "$1" --arg t "$2" '. + {host: {hostname: $h, time: $t}}' \
                "$FIX/facts/centos73-slave-live-restore.json" >"$TMP/facts.json"
}
# waivers NAME: the text on stdin as $TMP/w/NAME.waiver.
waivers() {
        mkdir -p "$TMP/w"
        cat >"$TMP/w/$1.waiver"
}

# image DIR: an offline image (CentOS 7 kernel that does not leak, MountFlags=slave,
# live-restore, fs.may_detach_mounts 0), named build-7.
image() {
        local r=$1
        rm -rf "$r"
        mkdir -p "$r/lib/systemd/system" "$r/etc/docker" "$r/lib/modules/3.10.0-1160.81.1.el7.x86_64"
        cp "$FIX/units/moby-v1.11.2-docker.service" "$r/lib/systemd/system/docker.service"
        cp "$FIX/units/moby-v1.11.2-docker.socket" "$r/lib/systemd/system/docker.socket"
        cp "$FIX/os-release/centos-7.1.1503-etc-os-release" "$r/etc/os-release"
        printf '{\n  "log-driver": "journald",\n  "live-restore": true\n}\n' >"$r/etc/docker/daemon.json"
        echo build-7 >"$r/etc/hostname"
}

# The fleet file: one waiver in force, one expired, one stale (its rule passes).
fleet() {
        rm -rf "$TMP/w"
        waivers fleet <<'EOF'
[waiver]
rule = mountflags-slave-with-live-restore
hosts = legacy-* web1
evidence = /etc/docker/daemon.json:*
reason = docker exec after a restart is not used here;
  containers are recreated on every deploy
owner = ops@example.com
expires = 2026-12-31

[waiver]
rule = kernel-leaks-mounts
reason = kernel upgrade scheduled
owner = kernel-team
expires = 2026-06-30

[waiver]
rule = detach-mounts-disabled
reason = kept from the old kernel
owner = ops@example.com
EOF
}

t_text() {
        fleet && facts web1 2026-07-01T10:00:00Z
        da --waivers-dir "$TMP/w" audit --facts "$TMP/facts.json"
        expect_rc 1 || return 1
        expect_out '^WAIVED \(failures accepted by a waiver\)' || return 1
        expect_out '^  WAIVED  mountflags-slave-with-live-restore \(high\)' || return 1
        expect_out "waived: docker exec after a restart is not used here; containers are recreated on every deploy \(owner ops@example.com, expires 2026-12-31, $TMP/w/fleet.waiver:1\)" || return 1
        expect_out "waiver expired: kernel upgrade scheduled \(owner kernel-team, expired 2026-06-30, $TMP/w/fleet.waiver:10\)" || return 1
        expect_out '^  FAIL  kernel-leaks-mounts' || return 1
        expect_no_out '^  FAIL  mountflags-slave-with-live-restore' || return 1
        expect_out "^  STALE  $TMP/w/fleet.waiver:16: rule detach-mounts-disabled" || return 1
        expect_out '^1 failed \(1 high, .*, 1 waived, 1 stale waiver; exit status 1' || return 1
}

t_json() {
        fleet && facts web1 2026-07-01T10:00:00Z
        da --waivers-dir "$TMP/w" audit --facts "$TMP/facts.json" --format json
        expect_rc 1 || return 1
        local m='.results[] | select(.id == "mountflags-slave-with-live-restore")'
        local k='.results[] | select(.id == "kernel-leaks-mounts")'
        expect_json "$m | .status" waived || return 1
        expect_json "$m | .waiver | [.file, .line, .rule, .owner, .expires, .expired] | map(tostring) | join(\" \")" \
                "$TMP/w/fleet.waiver 1 mountflags-slave-with-live-restore ops@example.com 2026-12-31 false" || return 1
        expect_json "$m | .waiver.reason" \
                "docker exec after a restart is not used here; containers are recreated on every deploy" || return 1
        expect_json "$k | .status" fail || return 1
        expect_json "$k | .waiver.expired" true || return 1
        expect_json "$k | .waiver.line" 10 || return 1
        expect_json '.results[] | select(.id == "option-set-twice") | has("waiver")' false || return 1
        expect_json '.waivers.stale | length' 1 || return 1
        expect_json '.waivers.stale[0] | "\(.file):\(.line) \(.rule)"' "$TMP/w/fleet.waiver:16 detach-mounts-disabled" || return 1
        expect_json '.summary | "\(.fail) \(.waived) \(.exit_status)"' "1 1 1"
}

t_junit() {
        fleet && facts web1 2026-07-01T10:00:00Z
        da --waivers-dir "$TMP/w" audit --facts "$TMP/facts.json" --format junit
        expect_rc 1 && expect_valid_xml || return 1
        xpath 'string(//testcase[@name="mountflags-slave-with-live-restore"]/skipped/@message)' |
                grep -q '^waived: docker exec after a restart .*owner ops@example.com, expires 2026-12-31' ||
                fail "the waived finding is not skipped with its waiver" || return 1
        [ "$(xpath 'count(//testcase[@name="mountflags-slave-with-live-restore"]/failure)')" = 0 ] ||
                fail "the waived finding is a failure" || return 1
        xpath 'string(//testcase[@name="kernel-leaks-mounts"]/failure)' |
                grep -q 'waiver expired: kernel upgrade scheduled (owner kernel-team, expired 2026-06-30' ||
                fail "the expired waiver is not in the failure" || return 1
        xpath 'string(//testsuite/system-out)' | grep -q "stale waiver $TMP/w/fleet.waiver:16: rule detach-mounts-disabled" ||
                fail "no stale waiver in system-out" || return 1
        [ "$(xpath 'string(//testsuite/@failures)')" = 1 ] || fail "failures is not 1"
}

# Everything that fails waived: exit 0 in every format, the summary counts them.
t_all_waived_exit_0() {
        rm -rf "$TMP/w"
        waivers all <<'EOF'
[waiver]
rule = mountflags-slave-with-live-restore
reason = accepted
owner = ops
[waiver]
rule = kernel-leaks-mounts
reason = accepted
owner = ops
EOF
        facts web1 2026-07-01T10:00:00Z
        for f in text json junit; do
                da --waivers-dir "$TMP/w" audit --facts "$TMP/facts.json" --format $f
                expect_rc 0 || return 1
        done
        da --waivers-dir "$TMP/w" audit --facts "$TMP/facts.json" --format json
        expect_json '.summary | "\(.fail) \(.waived) \(.exit_status)"' "0 2 0" || return 1
        expect_json '[.results[] | select(.status == "waived") | .waiver.expires] | map(tostring) | join(",")' "null,null" || return 1
        # --fail-on high with an expired waiver of a high rule: it counts again
        da --waivers-dir "$TMP/w" audit --facts "$TMP/facts.json" --fail-on high
        expect_rc 0
}

# expires = 2026-12-31 holds through 23:59:59 UTC and not a second longer, in every TZ:
# the facts carry the collection time, the machine's zone plays no part.
t_expiry_midnight_utc() {
        rm -rf "$TMP/w"
        waivers day <<'EOF'
[waiver]
rule = mountflags-slave-with-live-restore
reason = until the end of the year
owner = ops
expires = 2026-12-31
EOF
        local tz when want
        for tz in UTC Pacific/Kiritimati America/Adak; do
                for when in 2026-12-31T23:59:59Z:waived 2027-01-01T00:00:00Z:fail \
                        2027-01-01T13:59:59+14:00:waived 2026-12-31T14:00:00-10:00:fail; do
                        want=${when##*:} when=${when%:*}
                        facts web1 "$when"
                        TZ=$tz da --waivers-dir "$TMP/w" audit --facts "$TMP/facts.json" --format json
                        expect_json '.results[] | select(.id == "mountflags-slave-with-live-restore") | .status' "$want" ||
                                { echo "  TZ=$tz, collected at $when" >&2; return 1; }
                        [ "$want" = waived ] && continue
                        expect_json '.results[] | select(.id == "mountflags-slave-with-live-restore") | .waiver.expired' true || return 1
                done
        done
}

# hosts: globs against the audited host (the facts file's), not this machine.
t_hosts_and_evidence() {
        fleet && facts db1 2026-07-01T10:00:00Z
        da --waivers-dir "$TMP/w" audit --facts "$TMP/facts.json" --format json
        expect_rc 1 || return 1
        expect_json '.results[] | select(.id == "mountflags-slave-with-live-restore") | .status' fail || return 1
        expect_json '[.waivers.stale[].line] | map(tostring) | join(",")' "1,16" || return 1
        facts LEGACY-db7 2026-07-01T10:00:00Z
        da --waivers-dir "$TMP/w" audit --facts "$TMP/facts.json" --format json
        expect_json '.results[] | select(.id == "mountflags-slave-with-live-restore") | .status' waived || return 1
        # a facts file without a host: hosts= cannot match (never waived on a guess)
        jq 'del(.host)' "$TMP/facts.json" >"$TMP/nohost.json"
        da --waivers-dir "$TMP/w" audit --facts "$TMP/nohost.json" --format json
        expect_json '.results[] | select(.id == "mountflags-slave-with-live-restore") | .status' fail || return 1
        # evidence: a glob on the source of an evidence fact
        rm -rf "$TMP/w"
        waivers ev <<'EOF'
[waiver]
rule = mountflags-slave-with-live-restore
evidence = /etc/systemd/system/docker.service.d/*
reason = the drop-in is the vendor's
owner = ops
[waiver]
rule = kernel-leaks-mounts
evidence = /etc/default/docker:*
reason = not the source
owner = ops
EOF
        da --waivers-dir "$TMP/w" audit --facts "$TMP/facts.json" --format json
        expect_json '.results[] | select(.id == "mountflags-slave-with-live-restore") | .status' waived || return 1
        expect_json '.results[] | select(.id == "kernel-leaks-mounts") | .status' fail || return 1
        expect_json '.waivers.stale[0].rule' kernel-leaks-mounts
}

# Each bad file: FILE:LINE on stderr and exit 2; text prints no report, -o writes none;
# JSON and JUnit print a well-formed report that says why, with no results.
t_bad_waiver_files() {
        local f line
        facts web1 2026-07-01T10:00:00Z
        image "$TMP/image"
        for f in "$WFIX"/bad/*.waiver; do
                line=$(sed -n '1s/^; line \([0-9]*\):.*/\1/p' "$f")
                [ -n "$line" ] || { fail "$f: no '; line N:' comment"; return 1; }
                rm -rf "$TMP/w" && mkdir -p "$TMP/w" && cp "$f" "$TMP/w/"
                local want="$TMP/w/$(basename "$f"):$line: "
                da --waivers-dir "$TMP/w" audit --facts "$TMP/facts.json" -o "$TMP/report"
                expect_rc 2 && expect_err "^dockaudit: $want" || return 1
                [ ! -s "$TMP/out" ] && [ ! -e "$TMP/report" ] || fail "$f: a text report was written" || return 1
                da --waivers-dir "$TMP/w" audit --facts "$TMP/facts.json" --format json
                expect_rc 2 || return 1
                expect_json '.problems[0] | startswith("'"$want"'")' true || return 1
                expect_json '.results | length' 0 || return 1
                expect_json '.summary.exit_status' 2 || return 1
                da --waivers-dir "$TMP/w" audit --facts "$TMP/facts.json" --format junit
                expect_rc 2 && expect_valid_xml || return 1
                xpath 'string(//testcase[@name="audit-complete"]/error)' | grep -qF "$want" ||
                        fail "$f: JUnit does not name $want" || return 1
                # fix refuses too, before anything is written
                da --waivers-dir "$TMP/w" --root "$TMP/image" fix --yes
                expect_rc 2 && expect_err "^dockaudit: $want" || return 1
                [ ! -e "$TMP/image/etc/systemd/system" ] || fail "fix wrote despite a bad waiver" || return 1
        done
}

# --waivers-dir: repeatable (all read), a missing one is an error; the default directory
# may be missing; a waiver of a disabled rule is stale, not an error.
t_waivers_dir() {
        facts web1 2026-07-01T10:00:00Z
        da --waivers-dir "$WFIX/good" --waivers-dir "$TMP/none" audit --facts "$TMP/facts.json"
        expect_rc 2 && expect_err "^dockaudit: $TMP/none: cannot open the waivers directory: No such file or directory" || return 1
        da --waivers-dir "$WFIX/good/minimal.waiver" audit --facts "$TMP/facts.json"
        expect_rc 2 && expect_err "cannot open the waivers directory: Not a directory" || return 1
        rm -rf "$TMP/w" "$TMP/w2"
        waivers one <<'EOF'
[waiver]
rule = mountflags-slave-with-live-restore
reason = r
owner = o
EOF
        mkdir -p "$TMP/w2"
        printf '[waiver]\nrule = kernel-leaks-mounts\nreason = r\nowner = o\n' >"$TMP/w2/one.waiver"
        da --waivers-dir "$TMP/w" --waivers-dir "$TMP/w2" audit --facts "$TMP/facts.json" --format json
        expect_rc 0 && expect_json '.summary.waived' 2 || return 1
        # the same waiver in both: a duplicate, naming the first
        cp "$TMP/w/one.waiver" "$TMP/w2/one.waiver"
        da --waivers-dir "$TMP/w" --waivers-dir "$TMP/w2" audit --facts "$TMP/facts.json"
        expect_rc 2 && expect_err "^dockaudit: $TMP/w2/one.waiver:1: duplicate waiver: the same rule, hosts and evidence as $TMP/w/one.waiver:1" || return 1
        # a disabled rule: its waiver is stale
        mkdir -p "$TMP/rules.d"
        ln -sf /dev/null "$TMP/rules.d/mountflags-slave-with-live-restore.rule"
        NO_COLOR= "$DOCKAUDIT" --rules-dir "$TMP/rules.d" --rules-dir "$RULES" --waivers-dir "$TMP/w" audit \
                --facts "$TMP/facts.json" --format json >"$TMP/out" 2>"$TMP/err"
        RC=$?
        expect_rc 1 && expect_json '.waivers.stale[0].rule' mountflags-slave-with-live-restore || return 1
        # no waivers at all: an empty stale list, a zero count
        mkdir -p "$TMP/empty"
        da --waivers-dir "$TMP/empty" audit --facts "$TMP/facts.json" --format json
        expect_rc 1 && expect_json '"\(.waivers.stale | length) \(.summary.waived)"' "0 0"
}

# An image (fix --root): its /etc/hostname is the host the waivers match; the waivers are
# the auditor's (--waivers-dir, never the image's /etc/dockaudit); fix does not touch a
# waived finding and the audit after it passes.
t_fix_root() {
        local r=$TMP/image
        image "$r"
        # in the image: not read
        mkdir -p "$r/etc/dockaudit/waivers.d"
        printf 'not a waiver\n' >"$r/etc/dockaudit/waivers.d/x.waiver"
        rm -rf "$TMP/w"
        waivers image <<'EOF'
[waiver]
rule = detach-mounts-disabled
hosts = build-*
reason = the image sets it at boot elsewhere
owner = images
EOF
        da --root "$r" --waivers-dir "$TMP/w" audit --format json
        expect_rc 1 && expect_json '.results[] | select(.id == "detach-mounts-disabled") | .status' waived || return 1
        da --root "$r" --waivers-dir "$TMP/w" fix --dry-run
        expect_rc 1 && expect_out '^\+MountFlags=shared' || return 1
        expect_no_out 'may_detach_mounts' || return 1
        da --root "$r" --waivers-dir "$TMP/w" fix --yes
        expect_rc 0 || return 1
        [ -e "$r/etc/systemd/system/docker.service.d/50-dockaudit.conf" ] || fail "drop-in not written" || return 1
        [ ! -e "$r/etc/sysctl.d/50-dockaudit.conf" ] || fail "the waived finding was fixed" || return 1
        da --root "$r" --waivers-dir "$TMP/w" audit
        expect_rc 0 && expect_out '1 waived' || return 1
        # the same image under another name: not waived, fix would change it
        echo web-3 >"$r/etc/hostname"
        da --root "$r" --waivers-dir "$TMP/w" fix --dry-run
        expect_rc 1 && expect_out 'may_detach_mounts' || return 1
        # everything waived: nothing to change
        echo build-7 >"$r/etc/hostname"
        rm -rf "$r/etc/systemd/system"
        printf '[waiver]\nrule = mountflags-slave-with-live-restore\nreason = r\nowner = o\n[waiver]\nrule = mountflags-slave-on-fixed-kernel\nreason = r\nowner = o\n' >"$TMP/w/more.waiver"
        da --root "$r" --waivers-dir "$TMP/w" fix --dry-run
        expect_rc 0 && expect_out 'Nothing to change' || return 1
        [ ! -e "$r/etc/systemd/system" ] || fail "fix wrote into the image"
}

# rules show ID lists the waivers of the rule; a bad waiver file is an error there too.
t_rules_show() {
        da --waivers-dir "$WFIX/good" rules show mountflags-slave-with-live-restore
        expect_rc 0 || return 1
        expect_out "^waivers:    hosts legacy-\* web1, evidence /etc/docker/daemon.json:\*: docker exec after .* \(owner ops@example.com, expires 2026-12-31, $WFIX/good/legacy-fleet.waiver:2\)\$" || return 1
        da --waivers-dir "$WFIX/good" rules show detach-mounts-disabled
        expect_rc 0 && expect_out '^waivers:    none$' || return 1
        da --waivers-dir "$WFIX/bad" rules show detach-mounts-disabled
        expect_rc 2 && expect_err "^dockaudit: $WFIX/bad/[a-z-]+.waiver:[0-9]+: " || return 1
        [ ! -s "$TMP/out" ] || fail "rules show printed despite a bad waiver file"
}

run "text: waived, expired and stale waivers, the summary" t_text
run "JSON: status waived, the waiver, waivers.stale, summary.waived" t_json
run "JUnit: waived is skipped with its waiver, expired stays a failure" t_junit
run "waived failures do not count toward the exit status" t_all_waived_exit_0
run "expires: through 23:59:59 UTC, the same in every TZ" t_expiry_midnight_utc
run "hosts and evidence globs" t_hosts_and_evidence
run "bad waiver files: FILE:LINE, exit 2, well-formed reports" t_bad_waiver_files
run "--waivers-dir: repeatable, missing, duplicates, disabled rules" t_waivers_dir
run "fix --root leaves a waived finding alone" t_fix_root
run "rules show lists the waivers of a rule" t_rules_show

finish
