#!/bin/bash
# SPDX-License-Identifier: MIT
# Fail closed at the command line and in fix, without a service manager (issue 9): a --root
# that is no system image, the forms of one --root, a plan that a later drop-in or sysctl
# file would undo, and fix --dry-run with findings no fix clears.
# Run by `make check` with DOCKAUDIT and top_srcdir set. Prints "ok N - name" lines and
# "P passed, F failed"; exit 0 all passed, 1 a case failed, 99 cannot run.
set -u
top_srcdir=$(cd "${top_srcdir:-$(dirname "$0")/../..}" && pwd)
[ -x "${DOCKAUDIT:-}" ] || { echo "DOCKAUDIT is not set to the built binary" >&2; exit 99; }

RULES=$top_srcdir/rules
FIX=$top_srcdir/tests/fixtures
TMP=$(mktemp -d /tmp/dockaudit-closed.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/lib.sh"


# image DIR [KERNEL]: a CentOS 7 image with moby 1.11's unit (MountFlags=slave), no live-restore.
image() {
        local r=$1 k=${2:-3.10.0-1160.81.1.el7.x86_64}
        mkdir -p "$r/lib/systemd/system" "$r/etc/docker" "$r/lib/modules/$k"
        cp "$FIX/units/moby-v1.11.2-docker.service" "$r/lib/systemd/system/docker.service"
        cp "$FIX/units/moby-v1.11.2-docker.socket" "$r/lib/systemd/system/docker.socket" # its -H fd://
        cp "$FIX/os-release/centos-7.1.1503-etc-os-release" "$r/etc/os-release"
        printf '{\n  "log-driver": "journald"\n}\n' >"$r/etc/docker/daemon.json"
}
# nothing_written DIR: fix left no file of its own in the image.
nothing_written() {
        [ -z "$(find "$1" -name '*dockaudit*' -o -name '.#*')" ] || fail "fix wrote into $1: $(find "$1" -name '*dockaudit*')"
}

t_root_not_an_image() {
        mkdir "$TMP/empty" && touch "$TMP/file" || return 1
        for r in /nonexistent-dockaudit "$TMP/file" /dev/null "" /proc "$TMP/empty"; do
                for cmd in audit facts "fix --dry-run"; do
                        # shellcheck disable=SC2086
                        da --root "$r" $cmd
                        expect_rc 2 && expect_err "^dockaudit: --root" || { echo "  (--root '$r' $cmd)" >&2; return 1; }
                        [ ! -s "$TMP/out" ] || fail "--root '$r' $cmd printed a report" || return 1
                done
        done
        da --root "$TMP/empty" audit
        expect_err "not a system image" || return 1
        da --root /nonexistent-dockaudit audit
        expect_err "No such file or directory" || return 1
        da --root /dev/null audit
        expect_err "Not a directory"
}

# DIR/, DIR/., ./DIR (relative) and //DIR are one --root, for audit and fix alike.
t_root_forms() {
        local forms=("$TMP/img/" "$TMP/img/." "img" "./img/" "/$TMP/img") f
        image "$TMP/img"
        for f in "${forms[@]}"; do
                cd "$TMP" && rm -rf "$TMP/img/etc/systemd" "$TMP/img/etc/sysctl.d" || return 1
                da --root "$f" audit
                expect_rc 1 && expect_out "root $TMP/img\$" || { echo "  (audit --root '$f')" >&2; return 1; }
                da --root "$f" fix --yes
                expect_rc 0 || { echo "  (fix --root '$f')" >&2; return 1; }
                grep -qx 'MountFlags=shared' "$TMP/img/etc/systemd/system/docker.service.d/50-dockaudit.conf" ||
                        fail "fix --root '$f' did not write the image's drop-in" || return 1
        done
}

# A later drop-in would undo ours: refused, the file and line named, nothing written; again.
t_later_dropin() {
        local r=$TMP/ov d
        image "$r"
        d=$r/etc/systemd/system/docker.service.d
        mkdir -p "$d" && printf '[Service]\nMountFlags=slave\n' >"$d/60-x.conf"
        for i in 1 2; do
                da --root "$r" fix --yes
                expect_rc 2 && expect_err "refusing to apply" &&
                        expect_err "$d/60-x.conf:2 sets MountFlags=slave" || return 1
                nothing_written "$r" || return 1
        done
        da --root "$r" fix --dry-run
        expect_rc 2 && expect_err "60-x.conf:2" && nothing_written "$r" || return 1
        # a later drop-in with our value does not undo it
        printf '[Service]\nMountFlags=shared\n' >"$d/60-x.conf"
        da --root "$r" fix --yes
        expect_rc 0
}

# The same for sysctl.d (by file name across the directories) and /etc/sysctl.conf (last).
t_later_sysctl() {
        local r=$TMP/sy
        image "$r"
        mkdir -p "$r/usr/lib/sysctl.d"
        printf '# vendor\nfs.may_detach_mounts = 0\n' >"$r/usr/lib/sysctl.d/60-x.conf"
        for i in 1 2; do
                da --root "$r" fix --yes
                expect_rc 2 && expect_err "$r/usr/lib/sysctl.d/60-x.conf:2 sets fs.may_detach_mounts=0" || return 1
                nothing_written "$r" || return 1
        done
        # an earlier file is overridden by ours: fine
        mv "$r/usr/lib/sysctl.d/60-x.conf" "$r/usr/lib/sysctl.d/10-x.conf"
        printf 'kernel.sysrq = 1\nfs/may_detach_mounts=0\n' >"$r/etc/sysctl.conf"
        da --root "$r" fix --yes
        expect_rc 2 && expect_err "$r/etc/sysctl.conf:2 sets fs.may_detach_mounts=0" || return 1
        nothing_written "$r" || return 1
        rm "$r/etc/sysctl.conf"
        da --root "$r" fix --yes
        expect_rc 0 && grep -qx 'fs.may_detach_mounts = 1' "$r/etc/sysctl.d/50-dockaudit.conf" ||
                fail "sysctl.d not written once nothing overrides it"
}

# Only a high finding that no fix clears: --dry-run (and fix) exit 1, and say so.
t_dry_run_unfixable() {
        local r=$TMP/k514
        image "$r" 3.10.0-514.el7.x86_64
        da --root "$r" fix --dry-run
        expect_rc 1 && expect_out "Nothing to change" &&
                expect_out "1 finding at or above medium remains and cannot be fixed automatically: kernel-leaks-mounts" ||
                return 1
        da --root "$r" fix --dry-run --fail-on high
        expect_rc 1 || return 1
        nothing_written "$r"
}

run "--root that is no system image: exit 2 with the reason" t_root_not_an_image
run "--root DIR/, DIR/., relative and //DIR: one image for audit and fix" t_root_forms
run "a later drop-in undoing the plan: refused, named, nothing written" t_later_dropin
run "a later sysctl.d file or sysctl.conf undoing the plan: refused" t_later_sysctl
run "fix --dry-run with only unfixable findings: exit 1" t_dry_run_unfixable
finish
