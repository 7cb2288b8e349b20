#!/bin/bash
# SPDX-License-Identifier: MIT
# Kernel families and fs.may_detach_mounts without a service manager (issue 10): images
# (--root) with the installed kernels of each EL-tagged family (tests/fixtures/kernels/
# el-tagged.txt), how they are judged; the boot setting of fs.may_detach_mounts from sysctl.d and
# what `fix --root` writes; may-detach-mounts-not-persistent over saved facts (it needs the live
# value: /proc/sys/fs/may_detach_mounts exists only on RHEL/CentOS 7.4+ kernels, not on the test
# host, and an image has no running value).
# Run by `make check` with DOCKAUDIT and top_srcdir set. Prints "ok N - name" lines and
# "P passed, F failed"; exit 0 all passed, 1 a case failed, 99 cannot run.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x "${DOCKAUDIT:-}" ] || { echo "DOCKAUDIT is not set to the built binary" >&2; exit 99; }
command -v jq >/dev/null || { echo "jq is missing (autogen.sh installs it)" >&2; exit 99; }

RULES=$top_srcdir/rules
FIX=$top_srcdir/tests/fixtures
FACTS=$FIX/facts/centos73-slave-live-restore.json
TMP=$(mktemp -d /tmp/dockaudit-kernels.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/lib.sh"


# image DIR RELEASE...: a CentOS 7 image with the docker-ce 20.10 unit (and its socket) and these kernels
# installed (/lib/modules); the first one is grub's saved default.
image() {
        local r=$1
        shift
        mkdir -p "$r/lib/systemd/system" "$r/etc/docker" "$r/boot/grub2"
        cp "$FIX/units/docker-ce-packaging-20.10-docker.service" "$r/lib/systemd/system/docker.service"
        cp "$FIX/units/docker-ce-packaging-20.10-docker.socket" "$r/lib/systemd/system/docker.socket"
        cp "$FIX/os-release/centos-7.1.1503-etc-os-release" "$r/etc/os-release"
        printf '{\n  "log-driver": "journald"\n}\n' >"$r/etc/docker/daemon.json"
        for k in "$@"; do mkdir -p "$r/lib/modules/$k"; done
        printf 'saved_entry=CentOS Linux (%s) 7 (Core)\n' "$1" >"$r/boot/grub2/grubenv"
}

# Each family as the default kernel of an EL7 image next to the distribution's 3.10.0-514:
# the chosen kernel is judged by its own line (family|release|leaks|rhel_build or -).
t_families_offline() {
        local line fam rel leaks build
        while IFS='|' read -r fam rel leaks build; do
                rm -rf "$TMP/img"
                image "$TMP/img" "$rel" 3.10.0-514.el7.x86_64
                da --root "$TMP/img" audit --format json
                [ "$RC" = 0 ] || [ "$RC" = 1 ] || fail "$fam: exit status $RC" || return 1
                expect_json '.facts["kernel.release"].value' "$rel" || return 1
                expect_json '.facts["kernel.leaks_mounts"].value' "$leaks" || { echo "  ($fam)" >&2; return 1; }
                if [ "$build" = - ]; then
                        expect_json '.facts["kernel.rhel_build"].known' false || return 1
                        expect_json '.facts["kernel.el"].value' "" || return 1
                else
                        expect_json '.facts["kernel.rhel_build"].value' "$build" || return 1
                fi
                expect_status kernel-leaks-mounts "$([ "$leaks" = true ] && echo fail || echo pass)" ||
                        { echo "  ($fam)" >&2; return 1; }
                # fs.may_detach_mounts exists only on the RHEL 7.4+ line: skipped elsewhere
                if [ "$fam" = rhel7 ]; then
                        expect_status detach-mounts-disabled fail || return 1
                else
                        expect_json '.facts["kernel.may_detach_mounts"].known' false || return 1
                fi
        done <<'EOF'
elrepo-kernel-ml|4.4.1-1.el7.elrepo.x86_64|false|-
elrepo-kernel-lt|5.4.219-1.el7.elrepo.x86_64|false|-
uek3|3.8.13-55.1.6.el7uek|true|-
uek4|4.1.12-37.4.1.el7uek.x86_64|false|-
uek5|4.14.35-1902.8.4.el7uek.x86_64|false|-
kernel-alt|4.14.0-115.el7a.aarch64|false|-
rhel6|2.6.32-504.8.1.el6.x86_64|true|504.8.1
rhel8|4.18.0-80.11.2.el8_0.x86_64|false|80.11.2
stream9|5.14.0-747.el9.x86_64|false|747
amzn2023|6.1.102-108.177.amzn2023.x86_64|false|-
rhel7|3.10.0-1160.119.1.0.1.el7.x86_64|false|1160.119.1.0.1
EOF
}

# The rhel_build reason names the tag and the mainline version.
t_third_party_reason() {
        rm -rf "$TMP/img"
        image "$TMP/img" 4.4.1-1.el7.elrepo.x86_64
        da --root "$TMP/img" audit --format json
        expect_json '.facts["kernel.rhel_build"].reason' \
                "not Red Hat's kernel line: \"4.4.1-1.el7.elrepo.x86_64\" carries the el7 tag on mainline 4.4.1"
}

# A 7.9 image: the vendor sysctl.d says 0; fix --root writes 50-dockaudit.conf, after which the
# boot value and the persistent setting are 1 from it; a second fix changes nothing.
t_fix_sysctl_persistent() {
        local r=$TMP/img79
        image "$r" 3.10.0-1160.119.1.el7.x86_64
        mkdir -p "$r/usr/lib/sysctl.d"
        printf '# vendor\nfs.may_detach_mounts = 0\n' >"$r/usr/lib/sysctl.d/10-vendor.conf"
        da --root "$r" audit --format json
        expect_rc 1 && expect_status detach-mounts-disabled fail || return 1
        expect_json '.facts["kernel.may_detach_mounts_persistent"].value' 0 || return 1
        expect_json '.facts["kernel.may_detach_mounts_persistent"].source' \
                "$r/usr/lib/sysctl.d/10-vendor.conf:2 (sysctl.d, applied at boot)" || return 1
        expect_status may-detach-mounts-not-persistent pass || return 1
        da --root "$r" fix --yes
        expect_rc 0 || return 1
        grep -qx 'fs.may_detach_mounts = 1' "$r/etc/sysctl.d/50-dockaudit.conf" || fail "sysctl.d not written" || return 1
        da --root "$r" audit --format json
        expect_rc 0 || return 1
        expect_json '.facts["kernel.may_detach_mounts_persistent"].value' 1 || return 1
        expect_json '.facts["kernel.may_detach_mounts_persistent"].source' \
                "$r/etc/sysctl.d/50-dockaudit.conf:4 (sysctl.d, applied at boot)" || return 1
        expect_status detach-mounts-disabled pass && expect_status may-detach-mounts-not-persistent pass || return 1
        da --root "$r" fix --yes
        expect_rc 0 && expect_out 'Nothing to change'
}

# fs.nr_open of an image: only what sysctl.d sets.
t_nr_open_offline() {
        local r=$TMP/imgnr
        image "$r" 5.14.0-747.el9.x86_64
        da --root "$r" audit --format json
        expect_json '.facts["kernel.nr_open"].known' false || return 1
        jq -r '.facts["kernel.nr_open"].reason' "$TMP/out" | grep -q '^offline: ' || fail "nr_open reason" || return 1
        mkdir -p "$r/etc/sysctl.d"
        printf 'fs.nr_open = 1048576\n' >"$r/etc/sysctl.d/60-nofile.conf"
        da --root "$r" audit --format json
        expect_json '.facts["kernel.nr_open"].value' 1048576
}

# Saved facts of a 7.9 host where something wrote 1 at run time: may-detach-mounts-not-persistent
# fails (medium), detach-mounts-disabled passes; with the sysctl.d setting both pass; when a
# sysctl.d file could not be read, the rule skips.
t_not_persistent_facts() {
        jq '.facts["kernel.release"].value = "3.10.0-1160.119.1.el7.x86_64"
            | .facts["kernel.may_detach_mounts"] = {"type":"number","known":true,"value":1,"source":"/proc/sys/fs/may_detach_mounts"}
            | .facts["kernel.may_detach_mounts_persistent"] = {"type":"number","known":false,"reason":"not set in sysctl.d: no sysctl.d file sets fs.may_detach_mounts"}
            | .facts["kernel.sysctl_d_read"] = {"type":"bool","known":true,"value":true,"source":"sysctl.d"}
            | .facts["docker.server_version"] = {"type":"version","known":true,"value":"28.0.1","source":"GET /version"}
            | .facts["unit.mount_flags"].value = ""' "$FACTS" >"$TMP/np.json"
        da audit --facts "$TMP/np.json" --format json
        expect_rc 1 || return 1
        expect_status may-detach-mounts-not-persistent fail && expect_status detach-mounts-disabled pass || return 1
        expect_json '.results[] | select(.id == "may-detach-mounts-not-persistent") | .severity' medium || return 1
        jq -r '.results[] | select(.id == "may-detach-mounts-not-persistent") | .message' "$TMP/out" |
                grep -q 'dockerd here: 28.0.1, GET /version' || fail "message lacks the dockerd version" || return 1
        jq '.facts["kernel.may_detach_mounts_persistent"] = {"type":"number","known":true,"value":1,"source":"/etc/sysctl.d/99-docker.conf:1"}' \
                "$TMP/np.json" >"$TMP/p.json"
        da audit --facts "$TMP/p.json" --format json
        expect_status may-detach-mounts-not-persistent pass && expect_status detach-mounts-disabled pass || return 1
        jq '.facts["kernel.sysctl_d_read"] = {"type":"bool","known":false,"reason":"a sysctl.d file could not be read"}' \
                "$TMP/np.json" >"$TMP/u.json"
        da audit --facts "$TMP/u.json" --format json
        expect_status may-detach-mounts-not-persistent skip
}

t_rules_show() {
        da rules show may-detach-mounts-not-persistent
        expect_rc 0 && expect_out 'moby/moby/pull/48210' && expect_out 'sysctl' || return 1
        da rules show detach-mounts-disabled
        expect_rc 0 && expect_out '17\.09\.0-ce' && expect_out 'moby/moby/pull/35172'
}

run "every kernel family as an image's default kernel" t_families_offline
run "an EL-tagged third-party kernel says why it has no RHEL build" t_third_party_reason
run "fix --root writes the boot setting that clears both sysctl rules" t_fix_sysctl_persistent
run "fs.nr_open offline comes only from sysctl.d" t_nr_open_offline
run "may-detach-mounts-not-persistent over saved facts" t_not_persistent_facts
run "rules show documents the daemons' history" t_rules_show

finish
