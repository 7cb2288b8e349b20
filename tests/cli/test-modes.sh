#!/bin/bash
# SPDX-License-Identifier: MIT
# --sos PATH and --host-root DIR without a service manager (issue 11). The sos report is the
# real one in tests/fixtures/sos/ (made by tests/fixtures/sos/make-fixture.sh with Debian 12's
# sosreport 4.0; PROVENANCE.md there), audited as an archive and as a directory: its
# findings must be those of tests/fixtures/sos/direct.json, the direct audit of the same host
# at the same moment, except for the rules whose facts an sos report cannot hold (SOS_SKIPS:
# each must be skipped, for that reason). Bad input: exit 2 naming the option and the file;
# an archive that would write outside its directory is refused; nothing is left in $TMPDIR.
# Run by `make check` with DOCKAUDIT and top_srcdir set. Prints "ok N - name" lines and
# "P passed, F failed"; exit 0 all passed, 1 a case failed, 99 cannot run.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x "${DOCKAUDIT:-}" ] || { echo "DOCKAUDIT is not set to the built binary" >&2; exit 99; }
for t in jq timeout tar python3 diff readelf ldd; do command -v $t >/dev/null || { echo "$t is missing" >&2; exit 99; }; done

RULES=$top_srcdir/rules
SOS=$top_srcdir/tests/fixtures/sos
ARCHIVE=$SOS/sosreport-dockaudit.tar.xz
TMP=$(mktemp -d /tmp/dockaudit-modes.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/tmpdir"
export TMPDIR=$TMP/tmpdir
. "$(dirname "$0")/lib.sh"
DA_TIMEOUT=30

# The rules whose facts no sos report holds: the mount namespaces of the manager and of
# dockerd (ns.*: only /proc/PID/ns of the live host), and the mounts every process holds
# (leaks.*).
SOS_SKIPS="containers-exec-broken-after-restart:ns.dockerd_private
restart-pending:ns.dockerd_private
leaked-container-mounts-fixed-kernel:leaks."

expect_tmp_empty() { [ -z "$(ls -A "$TMPDIR")" ] || fail "left in TMPDIR: $(ls -A "$TMPDIR")"; }

# findings_match: the last report's rule statuses are direct.json's, but for SOS_SKIPS.
findings_match() {
        local id fact
        jq -r '.results[] | "\(.id) \(.status)"' "$SOS/direct.json" | sort >"$TMP/want"
        jq -r '.results[] | "\(.id) \(.status)"' "$TMP/out" | sort >"$TMP/got"
        while IFS=: read -r id fact; do
                sed -i "/^$id /d" "$TMP/want"
                grep -qx "$id skip" "$TMP/got" || fail "$id: expected skip (an sos report has no $fact)" || return 1
                [ "$(jq -r --arg id "$id" '.results[] | select(.id == $id) | .reason' "$TMP/out")" != null ] || return 1
                jq -r --arg id "$id" '.results[] | select(.id == $id) | .reason' "$TMP/out" | grep -qF "$fact" ||
                        fail "$id: the reason does not name $fact" || return 1
                sed -i "/^$id /d" "$TMP/got"
        done <<<"$SOS_SKIPS"
        diff -u "$TMP/want" "$TMP/got" >&2 || fail "findings differ from the direct audit (direct -, sos +)"
}

t_sos_archive() {
        da audit --sos "$ARCHIVE" --format json
        expect_rc "$(jq -r .summary.exit_status "$SOS/direct.json")" || return 1
        findings_match || return 1
        # the host: `hostname` as sos kept it, the boot id of its proc/ (no machine-id: sos 4.0's
        # plugins used here do not copy /etc/machine-id)
        expect_json '.host.hostname' "$(jq -r .host.hostname "$SOS/direct.json")" || return 1
        expect_json '.host.boot_id' "$(jq -r .host.boot_id "$SOS/direct.json")" || return 1
        expect_json '.facts["unit.mount_flags"].value' slave || return 1
        expect_json '.facts["dockerd.live_restore"].value' true || return 1
        expect_json '.facts["docker.live_restore"].value' true || return 1
        expect_json '.facts["docker.live_restore"].source | endswith("/sos_commands/docker/docker_info")' true || return 1
        expect_json '.facts["unit.active_state"].source | test("/sos_commands/systemd/systemctl_show_service_--all Unit.ActiveState$")' true || return 1
        expect_json '.facts["kernel.release"].value' "$(jq -r '.facts["kernel.release"].value' "$SOS/direct.json")" || return 1
        expect_json '.facts["docker.running_containers_count"].value' 1 || return 1
        expect_json '.facts["docker.api_version"].value' 1.41 || return 1
        expect_tmp_empty
}

# The same from the unpacked directory; facts too (but their sources' temp paths).
t_sos_dir() {
        da audit --sos "$ARCHIVE" --format json
        jq -S --arg t "$TMPDIR" '.facts | walk(if type == "string" then sub("^\($t)/dockaudit-sos\\.[^/]*/"; "") else . end)' \
                "$TMP/out" >"$TMP/facts-archive"
        mkdir -p "$TMP/unpacked"
        tar -C "$TMP/unpacked" -xJf "$ARCHIVE" || return 1
        da audit --sos "$TMP/unpacked"/sosreport-* --format json
        expect_rc 1 || return 1
        findings_match || return 1
        jq -S --arg t "$TMP/unpacked/" '.facts | walk(if type == "string" then sub("^\($t)"; "") else . end)' \
                "$TMP/out" >"$TMP/facts-dir"
        diff -u "$TMP/facts-archive" "$TMP/facts-dir" >&2 || fail "facts differ between the archive and its directory"
}

# The unit from its files when the report has no systemctl show (the offline loader): the
# fixture's unit is a user unit of the test manager, so it is put where the system manager
# would find it (lib/systemd/system, which sos copies on a real host).
t_sos_no_show() {
        local t
        mkdir -p "$TMP/noshow"
        tar -C "$TMP/noshow" -xJf "$ARCHIVE" || return 1
        t=$(echo "$TMP/noshow"/sosreport-*)
        rm "$t/sos_commands/systemd/systemctl_show_service_--all"
        mkdir -p "$t/lib/systemd/system"
        cp "$t"/tmp/dockaudit-it.*/home/.config/systemd/user/docker.service "$t/lib/systemd/system/" || return 1
        da audit --sos "$t" --format json
        expect_json '.facts["unit.mount_flags"].value' slave || return 1
        expect_json '.facts["unit.mount_flags"].source == "/lib/systemd/system/docker.service:16"' true || return 1
        expect_json '.facts["unit.active_state"].source | startswith("unit files (offline")' true
}

# A broken systemctl show: exit 2, the file and line named.
t_sos_bad_show() {
        mkdir -p "$TMP/badshow"
        tar -C "$TMP/badshow" -xJf "$ARCHIVE" || return 1
        printf 'Id=docker.service\nno equals sign here\n' \
                >"$TMP/badshow"/sosreport-*/sos_commands/systemd/systemctl_show_service_--all
        da audit --sos "$TMP/badshow"/sosreport-* --format json
        expect_rc 2 || return 1
        expect_err_fixed "systemctl_show_service_--all: line 2: not Key=Value"
}

t_sos_bad_paths() {
        da audit --sos "$TMP/nonexistent"
        expect_rc 2 || return 1
        expect_err_fixed "--sos '$TMP/nonexistent': No such file or directory" || return 1
        mkdir -p "$TMP/notsos"
        da audit --sos "$TMP/notsos" --format json
        expect_rc 2 || return 1
        expect_err_fixed "not an sos report" || return 1
        expect_json '.problems[0] | test("not an sos report")' true || return 1
        echo "not an archive" >"$TMP/junk.tar.xz"
        da audit --sos "$TMP/junk.tar.xz"
        expect_rc 2 || return 1
        expect_err_fixed "--sos '$TMP/junk.tar.xz'" || return 1
        expect_tmp_empty
}

# craft NAME KIND: a tar archive with one hostile entry (python's tarfile writes what tar
# would refuse to).
craft() {
        python3 - "$TMP/$1.tar" "$2" <<'EOF'
import io, sys, tarfile
path, kind = sys.argv[1], sys.argv[2]
with tarfile.open(path, "w") as t:
    def add(name, data=b"x", type_=tarfile.REGTYPE, link=""):
        i = tarfile.TarInfo(name); i.type = type_; i.linkname = link
        if type_ == tarfile.REGTYPE:
            i.size = len(data); t.addfile(i, io.BytesIO(data))
        else:
            t.addfile(i)
    add("sosreport-x/", type_=tarfile.DIRTYPE)
    if kind == "dotdot":
        add("sosreport-x/../../escaped")
    elif kind == "absolute":
        add("/tmp/dockaudit-modes-absolute")
    elif kind == "symlink":
        add("sosreport-x/etc", type_=tarfile.SYMTYPE, link="/tmp")
        add("sosreport-x/etc/dockaudit-modes-through-link")
    elif kind == "device":
        add("sosreport-x/sos_commands/", type_=tarfile.DIRTYPE)
        add("sosreport-x/etc/", type_=tarfile.DIRTYPE)
        i = tarfile.TarInfo("sosreport-x/etc/null"); i.type = tarfile.CHRTYPE; i.devmajor = 1; i.devminor = 3
        t.addfile(i)
EOF
}

t_sos_hostile_archives() {
        local k
        for k in dotdot absolute symlink; do
                craft "$k" "$k" || return 1
                da audit --sos "$TMP/$k.tar"
                expect_rc 2 || return 1
                expect_err_fixed "--sos '$TMP/$k.tar'" || return 1
        done
        [ ! -e "$TMP/escaped" ] && [ ! -e /tmp/dockaudit-modes-absolute ] &&
                [ ! -e /tmp/dockaudit-modes-through-link ] || fail "an entry was written outside" || return 1
        # A device node is skipped, not created: the report has no etc/null (and no os-release:
        # the audit goes on, with unknowns).
        craft device device || return 1
        da audit --sos "$TMP/device.tar" --format json
        expect_tmp_empty || return 1
        [ "$RC" -le 2 ] || fail "crashed"
}

# libarchive is dlopen()ed by --sos ARCHIVE only (src/cli/sos-archive.c): the binary does not
# link it (it names it in an ELF note instead), and without it an archive fails with exit 2 naming libarchive.so.13 and dlerror()'s
# reason, while a directory needs none. Made unloadable by a libarchive.so.13 that the loader
# finds first on LD_LIBRARY_PATH: an empty file (no ELF), then libc (an ELF without its symbols).
t_sos_without_libarchive() {
        local libc
        if readelf -d "$DOCKAUDIT" 2>/dev/null | grep -F libarchive; then
                fail "the binary links libarchive" || return 1
        fi
        # ... but says it loads it: the ELF dlopen note (systemd.io/ELF_DLOPEN_METADATA).
        readelf -p .note.dlopen "$DOCKAUDIT" | grep -qF '"soname":["libarchive.so.13"]' ||
                fail "no .note.dlopen naming libarchive.so.13" || return 1
        mkdir -p "$TMP/nolib" "$TMP/nolib-dir"
        : >"$TMP/nolib/libarchive.so.13"
        LD_LIBRARY_PATH=$TMP/nolib da audit --sos "$ARCHIVE" --format json
        expect_rc 2 || return 1
        expect_err_fixed "--sos '$ARCHIVE': unpacking it needs libarchive: cannot load libarchive.so.13: $TMP/nolib/libarchive.so.13: file too short (Debian: install libarchive13)" || return 1
        expect_json '.problems[0] | test("cannot load libarchive.so.13")' true || return 1
        expect_tmp_empty || return 1
        libc=$(ldd "$DOCKAUDIT" | awk '$1 == "libc.so.6" { print $3 }')
        [ -f "$libc" ] || fail "no libc.so.6 in ldd's list" || return 1
        ln -sf "$libc" "$TMP/nolib/libarchive.so.13"
        LD_LIBRARY_PATH=$TMP/nolib da audit --sos "$ARCHIVE"
        expect_rc 2 || return 1
        expect_err_fixed "--sos '$ARCHIVE': unpacking it needs libarchive: libarchive.so.13 has no symbol archive_read_new: " || return 1
        expect_err_fixed "undefined symbol: archive_read_new" || return 1
        expect_tmp_empty || return 1
        tar -C "$TMP/nolib-dir" -xJf "$ARCHIVE" || return 1
        LD_LIBRARY_PATH=$TMP/nolib da audit --sos "$TMP/nolib-dir"/sosreport-* --format json
        expect_rc 1 || return 1
        findings_match
}

t_host_root_errors() {
        da audit --host-root "$TMP/nonexistent"
        expect_rc 2 || return 1
        expect_err_fixed "--host-root '$TMP/nonexistent': No such file or directory" || return 1
        mkdir -p "$TMP/empty"
        da audit --host-root "$TMP/empty" --format json
        expect_rc 2 || return 1
        expect_err_fixed "--host-root '$TMP/empty': not a system image" || return 1
        expect_json '.summary.exit_status' 2 || return 1
        da --root / audit --host-root /
        expect_rc 2 || return 1
        expect_err_fixed "--root and --host-root: one at a time" || return 1
        da audit --host-root / --sos "$ARCHIVE"
        expect_rc 2 || return 1
        expect_err_fixed "--host-root and --sos: one at a time" || return 1
        da fix --dry-run --host-root /
        expect_rc 2 || return 1
        expect_err_fixed "--host-root: only audit and facts read it, not fix"
}

t_facts_sos() {
        da facts --sos "$ARCHIVE" --format json
        expect_rc 0 || return 1
        expect_json '.facts["docker.storage_driver"].value // .["docker.storage_driver"].value' overlay2
}

run "--sos ARCHIVE: the direct audit's findings, but for what no sos report holds" t_sos_archive
run "--sos DIR: the same as the archive" t_sos_dir
run "--sos without systemctl show: the unit from its files" t_sos_no_show
run "--sos with a broken systemctl show: exit 2 naming file and line" t_sos_bad_show
run "--sos bad paths: exit 2 naming them" t_sos_bad_paths
run "--sos hostile archives: refused, nothing written outside" t_sos_hostile_archives
run "--sos without libarchive: exit 2 naming it for an archive, a directory needs none" t_sos_without_libarchive
run "--host-root errors: exit 2 naming them" t_host_root_errors
run "facts --sos" t_facts_sos
finish
