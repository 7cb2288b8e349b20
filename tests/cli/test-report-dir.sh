#!/bin/bash
# SPDX-License-Identifier: MIT
# audit --report-dir/--keep/--journal at the command line, without a service manager (issue
# 11; the real timer and journal: tests/integration/test-timer.sh): reports rotate; a report
# directory that is not ours is refused (exit 2) with nothing written or removed; a run that
# cannot audit still leaves its report; --keep without --report-dir and bad values are
# errors; --journal without a journald is exit 2, the report kept.
# Run by `make check` with DOCKAUDIT and top_srcdir set. Prints "ok N - name" lines and
# "P passed, F failed"; exit 0 all passed, 1 a case failed, 99 cannot run.
set -u
top_srcdir=$(cd "${top_srcdir:-$(dirname "$0")/../..}" && pwd)
[ -x "${DOCKAUDIT:-}" ] || { echo "DOCKAUDIT is not set to the built binary" >&2; exit 99; }

RULES=$top_srcdir/rules
TMP=$(mktemp -d /tmp/dockaudit-reportdir.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/lib.sh"
IMG=$TMP/img

reports() { ls "$1" | grep -cE '^report-[0-9]{8}T[0-9]{6}[.][0-9]{6}Z[.]json$'; }
listing() { (cd "$1" && ls -la --time-style=+ | sed 1d); }

# An image with MountFlags=slave and --live-restore: a high finding, exit 1.
mkdir -p "$IMG/etc/systemd/system" "$IMG/etc/docker"
printf 'ID=debian\nVERSION_ID="12"\n' >"$IMG/etc/os-release"
printf '[Service]\nExecStart=/usr/bin/dockerd --live-restore\nMountFlags=slave\n' \
        >"$IMG/etc/systemd/system/docker.service"

t_rotation() {
        local d=$TMP/r1 i
        for i in 1 2 3 4; do
                da --root "$IMG" audit --report-dir "$d" --keep 3
                expect_rc 1 || return 1
        done
        [ "$(reports "$d")" = 3 ] || fail "$(ls "$d") kept, not 3" || return 1
        cmp -s "$d/latest.json" "$d/$(ls "$d" | grep ^report- | tail -n 1)" || fail "latest.json" || return 1
        jq -e '.summary.exit_status == 1 and (.results[] | select(.id == "mountflags-slave-with-live-restore") |
                .status == "fail")' "$d/latest.json" >/dev/null || fail "report content" || return 1
        # the text report still goes to stdout
        grep -q 'mountflags-slave-with-live-restore' "$TMP/out" || fail "stdout" || return 1
}

t_not_ours() {
        local d=$TMP/r2 before
        da --root "$IMG" audit --report-dir "$d" --keep 1
        expect_rc 1 || return 1
        for f in notes.txt report-old.json; do
                echo theirs >"$d/$f"
                before=$(listing "$d")
                da --root "$IMG" audit --report-dir "$d" --keep 1
                expect_rc 2 || return 1
                expect_err "holds '$f', which dockaudit did not write" || return 1
                [ "$before" = "$(listing "$d")" ] || fail "the directory changed" || return 1
                rm "$d/$f"
        done
        echo x >"$TMP/file"
        da --root "$IMG" audit --report-dir "$TMP/file"
        expect_rc 2 || return 1
        expect_err 'not a directory' || return 1
        [ "$(cat "$TMP/file")" = x ] || fail "file changed" || return 1
        ln -s "$d" "$TMP/link"
        da --root "$IMG" audit --report-dir "$TMP/link"
        expect_rc 2 || return 1
        chmod 0777 "$d"
        da --root "$IMG" audit --report-dir "$d"
        expect_rc 2 || return 1
        expect_err 'writable by group or others' || return 1
        chmod 0750 "$d"
}

t_failed_run_kept() {
        local d=$TMP/r3
        da --root "$TMP/nothing-here" audit --report-dir "$d"
        expect_rc 2 || return 1
        [ "$(reports "$d")" = 1 ] || fail "no report of the failed run" || return 1
        jq -e '.summary.exit_status == 2 and (.problems | length) > 0' "$d/latest.json" >/dev/null ||
                fail "the failed run's report" || return 1
}

t_bad_options() {
        da --root "$IMG" audit --keep 3
        expect_rc 2 || return 1
        expect_err '--keep needs --report-dir' || return 1
        for v in 0 -1 x ""; do
                da --root "$IMG" audit --report-dir "$TMP/r4" --keep "$v"
                expect_rc 2 || return 1
                expect_err "--keep: expected a number" || return 1
        done
        da --root "$IMG" audit --report-dir
        expect_rc 2 || return 1
}

t_journal_absent() {
        local d=$TMP/r5
        [ ! -S /run/systemd/journal/socket ] || { echo "  (journald runs here: case not applicable)" >&2; return 0; }
        da --root "$IMG" audit --report-dir "$d" --journal
        expect_rc 2 || return 1
        expect_err '--journal: /run/systemd/journal/socket' || return 1
        [ "$(reports "$d")" = 1 ] || fail "the report is not kept" || return 1
}

run "reports rotate to --keep; latest.json is the newest; stdout unchanged" t_rotation
run "a report directory that is not ours: exit 2, nothing written or removed" t_not_ours
run "a run that cannot audit leaves its report (exit status 2, problems)" t_failed_run_kept
run "--keep without --report-dir, bad --keep values" t_bad_options
run "--journal without journald: exit 2, the report kept" t_journal_absent
finish
