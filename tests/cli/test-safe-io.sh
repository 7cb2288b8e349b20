#!/bin/bash
# SPDX-License-Identifier: MIT
# Safe I/O, with the real binary (issue 9): a FIFO, device node or socket wherever dockaudit
# reads a file (drop-in, EnvironmentFile, daemon.json, os-release, sysctl.d, rule file, the
# files fix replaces) is refused at once, never waited on; `audit -o FILE` and `fix` replace
# only regular files and keep their owner, group and mode; a temp file left by a killed fixer
# goes at the next fix. Every run is under `timeout 10`: 124 is a hang.
# Run by `make check` with DOCKAUDIT and top_srcdir set. Prints "ok N - name" lines and
# "P passed, F failed"; exit 0 all passed, 1 a case failed, 99 cannot run.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x "${DOCKAUDIT:-}" ] || { echo "DOCKAUDIT is not set to the built binary" >&2; exit 99; }
for t in jq timeout mkfifo stat; do command -v $t >/dev/null || { echo "$t is missing" >&2; exit 99; }; done

RULES=$top_srcdir/rules
FIX=$top_srcdir/tests/fixtures
FACTS=$FIX/facts/centos73-slave-live-restore.json
TMP=$(mktemp -d /tmp/dockaudit-safe-io.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/lib.sh"
DA_TIMEOUT=10
ROOT_USER=false
[ "$(id -u)" = 0 ] && ROOT_USER=true

# The reads below whose failure the collectors do not report yet (no path in the output):
# only "no hang, no crash" is asserted for them. Their collectors (not in this part of issue
# 9) are to report the file with facts_add_problem(); then drop the name from this list.
NAMED_PENDING=" sysctl "

# No hang (timeout's 124), no crash (a signal: 128+), an exit status of ours (0, 1 or 2).
expect_no_hang() { [ "$RC" -le 2 ] || fail "hung or crashed: exit status $RC"; }
# The path is named on stderr or anywhere in the report.
expect_named() { grep -qF -- "$1" "$TMP/err" "$TMP/out" || fail "'$1' is named neither on stderr nor in the report"; }
# A node still of the same type (and inode) as noted by `note PATH`.
note() { stat -c '%i %F %t:%T' "$1" >"$TMP/note"; }
expect_untouched() { [ "$(stat -c '%i %F %t:%T' "$1")" = "$(cat "$TMP/note")" ] || fail "$1 was replaced"; }

# image DIR [KERNEL]: an offline root with docker.service, os-release, daemon.json, a kernel.
image() {
        local r=$1 k=${2:-3.10.0-1160.81.1.el7.x86_64}
        rm -rf "$r"
        mkdir -p "$r/lib/systemd/system" "$r/etc/docker" "$r/lib/modules/$k"
        cp "$FIX/units/moby-v1.11.2-docker.service" "$r/lib/systemd/system/docker.service"
        cp "$FIX/units/moby-v1.11.2-docker.socket" "$r/lib/systemd/system/docker.socket" # its -H fd://
        cp "$FIX/os-release/centos-7.1.1503-etc-os-release" "$r/etc/os-release"
        printf '{\n  "log-driver": "journald",\n  "live-restore": true\n}\n' >"$r/etc/docker/daemon.json"
}

# fifo_image CASE DIR: the image with a FIFO where CASE's file is; prints the path as messages
# name it (without the root).
fifo_image() {
        local c=$1 r=$2
        image "$r"
        case $c in
        dropin)
                # A FIFO in the .d directory itself is passed over, by systemd and by us; a
                # symlink is listed and read, whatever it points to.
                mkdir -p "$r/etc/systemd/system/docker.service.d"
                mkfifo "$r/etc/systemd/system/x-fifo"
                ln -s ../x-fifo "$r/etc/systemd/system/docker.service.d/60-x.conf"
                echo /etc/systemd/system/docker.service.d/60-x.conf ;;
        envfile)
                mkdir -p "$r/etc/systemd/system/docker.service.d" "$r/etc/sysconfig"
                printf '[Service]\nEnvironmentFile=/etc/sysconfig/docker\n' \
                        >"$r/etc/systemd/system/docker.service.d/10-env.conf"
                mkfifo "$r/etc/sysconfig/docker"
                echo /etc/sysconfig/docker ;;
        daemonjson)
                rm "$r/etc/docker/daemon.json"
                mkfifo "$r/etc/docker/daemon.json"
                echo /etc/docker/daemon.json ;;
        osrelease)
                rm "$r/etc/os-release"
                mkfifo "$r/etc/os-release"
                echo /etc/os-release ;;
        sysctl)
                mkdir -p "$r/etc/sysctl.d"
                mkfifo "$r/etc/sysctl.d/99-x.conf"
                echo /etc/sysctl.d/99-x.conf ;;
        esac
}

# Observed: a FIFO anywhere dockaudit opens a file blocked it forever in open().
t_audit_fifos() {
        local c p
        for c in dropin envfile daemonjson osrelease sysctl; do
                p=$(fifo_image $c "$TMP/img-$c")
                da --root "$TMP/img-$c" audit --format json
                expect_no_hang || { echo "  ($c)" >&2; return 1; }
                jq -e . "$TMP/out" >/dev/null || fail "$c: the report is not JSON" || return 1
                [ -p "$TMP/img-$c$p" ] || fail "$c: $p is no longer a FIFO" || return 1
                case $NAMED_PENDING in *" $c "*) continue ;; esac
                expect_named "$p" || { echo "  ($c)" >&2; return 1; }
                # What systemd or dockerd needs and could not be read: the audit is incomplete.
                case $c in dropin | envfile | daemonjson | osrelease) expect_rc 2 || { echo "  ($c)" >&2; return 1; } ;; esac
        done
}

# daemon.json a symlink to a device (the image's own /dev/zero: root only) or a directory.
t_audit_daemon_json_not_a_file() {
        local r=$TMP/img-zero
        image "$r"
        rm "$r/etc/docker/daemon.json"
        if $ROOT_USER; then
                mkdir -p "$r/dev"
                mknod "$r/dev/zero" c 1 5
                ln -s /dev/zero "$r/etc/docker/daemon.json"
                da --root "$r" audit --format json
                expect_no_hang && expect_named /etc/docker/daemon.json || return 1
                rm "$r/etc/docker/daemon.json"
        fi
        mkdir "$r/etc/docker/daemon.json"
        da --root "$r" audit --format json
        expect_no_hang && expect_named /etc/docker/daemon.json
}

t_rules_fifo() {
        mkdir -p "$TMP/rules"
        cp "$RULES"/*.rule "$TMP/rules/"
        mkfifo "$TMP/rules/zz-fifo.rule"
        NO_COLOR= timeout 10 "$DOCKAUDIT" --rules-dir "$TMP/rules" audit --facts "$FACTS" >"$TMP/out" 2>"$TMP/err"
        RC=$?
        expect_rc 2 && expect_err_fixed "$TMP/rules/zz-fifo.rule: cannot read" || return 1
        NO_COLOR= timeout 10 "$DOCKAUDIT" rules check "$TMP/rules/zz-fifo.rule" >"$TMP/out" 2>"$TMP/err"
        RC=$?
        expect_rc 2 && expect_err_fixed "$TMP/rules/zz-fifo.rule" || return 1
        [ -p "$TMP/rules/zz-fifo.rule" ] || fail "the FIFO was replaced"
}

# --facts FILE: a saved facts file; a FIFO (or a device) is refused, not waited on.
t_facts_fifo() {
        mkfifo "$TMP/facts.json"
        da audit --facts "$TMP/facts.json" --format json
        expect_rc 2 && expect_err_fixed "$TMP/facts.json: not a regular file" || return 1
        da audit --facts /dev/zero
        expect_rc 2 && expect_err_fixed "/dev/zero: not a regular file"
}

# The files fix reads before it replaces them: a FIFO there is refused with the file named,
# and stays a FIFO; fix on an image with a FIFO elsewhere neither hangs nor writes into it.
t_fix_fifos() {
        local r=$TMP/fix-img f
        for f in /etc/systemd/system/docker.service.d/50-dockaudit.conf /etc/sysctl.d/50-dockaudit.conf; do
                image "$r"
                mkdir -p "$r$(dirname $f)"
                mkfifo "$r$f"
                da --root "$r" fix --yes
                expect_rc 2 && expect_err_fixed "$f" || return 1
                [ -p "$r$f" ] || fail "$f is no longer a FIFO" || return 1
        done
        for c in dropin envfile daemonjson osrelease sysctl; do
                p=$(fifo_image $c "$r")
                da --root "$r" fix --yes
                expect_no_hang || { echo "  ($c)" >&2; return 1; }
                [ -p "$r$p" ] || fail "$c: $p is no longer a FIFO" || return 1
        done
}

# Observed: `-o /dev/null` turned the host's /dev/null into a regular file (and /dev/full,
# /dev/tty, /dev/stdout). Here with scratch nodes only: mknod (root), a FIFO, a symlink to a
# file, a directory.
t_output_not_a_file() {
        local d=$TMP/o x
        mkdir -p "$d/dir"
        echo keep >"$d/file"
        ln -s file "$d/link"
        mkfifo "$d/fifo"
        $ROOT_USER && mknod "$d/null" c 1 3
        for x in null fifo link dir; do
                [ -e "$d/$x" ] || [ -L "$d/$x" ] || continue
                note "$d/$x"
                da audit --facts "$FACTS" --format json -o "$d/$x"
                expect_rc 2 && expect_err_fixed "$d/$x" && expect_untouched "$d/$x" || return 1
        done
        [ "$(cat "$d/file")" = keep ] || fail "written through the symlink" || return 1
        [ -z "$(ls -A "$d/dir")" ] || fail "something was written into the directory" || return 1
        [ "$(ls -A "$d" | sort | tr '\n' ' ')" = "dir fifo file link $($ROOT_USER && echo 'null ')" ] ||
                fail "stray files: $(ls -A "$d")"
}

# A report replacing a file keeps its owner, group (root: chown) and mode; a new one is 0644.
t_output_owner_mode() {
        local f=$TMP/report.json
        echo old >"$f"
        chmod 0600 "$f"
        $ROOT_USER && chown 12345:23456 "$f"
        da audit --facts "$FACTS" --format json -o "$f"
        expect_rc 1 || return 1
        jq -e '.schema' "$f" >/dev/null || fail "no report in $f" || return 1
        [ "$(stat -c %a "$f")" = 600 ] || fail "mode $(stat -c %a "$f"), expected 600" || return 1
        if $ROOT_USER; then
                [ "$(stat -c %u:%g "$f")" = 12345:23456 ] || fail "owner $(stat -c %u:%g "$f")" || return 1
        fi
        (umask 077 && da audit --facts "$FACTS" -o "$TMP/new.txt" && [ "$(stat -c %a "$TMP/new.txt")" = 644 ]) ||
                fail "a new report is not 0644"
}

# fix keeps daemon.json's owner, group and mode (and the backup's), an existing sysctl.d file's
# mode; new files are 0644; a temp file left by a fixer killed while it wrote the backup is
# removed. A 7.2 kernel (leaks mounts): the plan sets live-restore=false in daemon.json.
t_fix_owner_mode_stale_temp() {
        local r=$TMP/own dj
        image "$r" 3.10.0-327.el7.x86_64
        dj=$r/etc/docker/daemon.json
        chmod 0640 "$dj"
        $ROOT_USER && chown 12345:23456 "$dj"
        echo '{"partial' >"$r/etc/docker/.#daemon.json.dockaudit-bak.dockaudit-Qx7pL2"
        mkdir -p "$r/etc/sysctl.d"
        printf '# mine\n' >"$r/etc/sysctl.d/50-dockaudit.conf"
        chmod 0600 "$r/etc/sysctl.d/50-dockaudit.conf"
        da --root "$r" fix --yes
        expect_no_hang || return 1
        jq -e '."live-restore" == false' "$dj" >/dev/null || fail "daemon.json not fixed" || return 1
        [ "$(stat -c %a "$dj")" = 640 ] && [ "$(stat -c %a "$dj.dockaudit-bak")" = 640 ] ||
                fail "daemon.json or its backup lost mode 0640" || return 1
        if $ROOT_USER; then
                [ "$(stat -c %u:%g "$dj")" = 12345:23456 ] && [ "$(stat -c %u:%g "$dj.dockaudit-bak")" = 12345:23456 ] ||
                        fail "daemon.json or its backup lost its owner" || return 1
        fi
        [ -z "$(find "$r" -name '.#*')" ] || fail "temp files left: $(find "$r" -name '.#*')" || return 1

        image "$r"
        mkdir -p "$r/etc/sysctl.d"
        printf '# mine\n' >"$r/etc/sysctl.d/50-dockaudit.conf"
        chmod 0600 "$r/etc/sysctl.d/50-dockaudit.conf"
        da --root "$r" fix --yes
        expect_rc 0 || return 1
        grep -qx 'fs.may_detach_mounts = 1' "$r/etc/sysctl.d/50-dockaudit.conf" || fail "sysctl.d not written" || return 1
        [ "$(stat -c %a "$r/etc/sysctl.d/50-dockaudit.conf")" = 600 ] || fail "sysctl.d file lost mode 0600" || return 1
        [ "$(stat -c %a "$r/etc/systemd/system/docker.service.d/50-dockaudit.conf")" = 644 ] ||
                fail "new drop-in is not 0644"
}

run "audit --root: a FIFO as drop-in, EnvironmentFile, daemon.json, os-release, sysctl.d file" t_audit_fifos
run "audit --root: daemon.json a device or a directory" t_audit_daemon_json_not_a_file
run "--rules-dir and rules check: a FIFO .rule, exit 2 naming it" t_rules_fifo
run "--facts: a FIFO or device, exit 2 naming it" t_facts_fifo
run "fix --root: FIFOs where fix reads, exit 2 naming the file" t_fix_fifos
run "-o refuses a device node, FIFO, symlink, directory and leaves it alone" t_output_not_a_file
run "-o keeps the owner, group and mode of the file it replaces" t_output_owner_mode
run "fix keeps owner and mode; a stale backup temp file goes" t_fix_owner_mode_stale_temp
finish
