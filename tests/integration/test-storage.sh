#!/bin/bash
# SPDX-License-Identifier: MIT
# overlay-without-dtype and cgroup-driver-mismatch against the real dockerd (see lib.sh for
# the isolation of the systemd user manager, dbus-daemon and dockerd).
#
# Filesystems without d_type are real ones, on loop devices mounted in this test's own mount
# namespace (the script runs itself again under `unshare --mount --propagation private`; the
# manager's namespace is a copy of it): nothing is mounted on the host, and each loop
# device is detached (losetup -d) right after its mount, so the kernel frees it when the
# namespace goes away, even if the test is killed; the teardown unmounts, checks by name
# that no loop device is left on the images, and removes them.
#
#   - XFS with ftype=0 (mkfs.xfs -m crc=0 -n ftype=0), the classic case: this needs a kernel
#     that still mounts V4 XFS. Linux 6.x can be built without it (CONFIG_XFS_SUPPORT_V4=n:
#     "Deprecated V4 format (crc=0) not supported by kernel"), and ftype=0 exists only in V4
#     (mkfs.xfs refuses ftype=0 with crc=1). The test tries it and, where the kernel refuses,
#     says so ("# XFS ftype=0: ...") and uses the other filesystem without d_type:
#   - ext4 without the filetype feature (mkfs.ext4 -O ^filetype): readdir gives DT_UNKNOWN
#     like XFS ftype=0, and dockerd judges it the same way ("the backing extfs filesystem
#     is formatted without d_type support").
#   - XFS with ftype=1 (crc=1, the default since xfsprogs 3.2.3): overlay2 works.
#
# Needs xfsprogs (mkfs.xfs), e2fsprogs, util-linux (losetup, unshare) and loop devices;
# without them the harness stops with exit 99, naming what is missing.
#
# Kubelet: kubelet.service is read from $SYSTEMD_UNIT_PATH (a scratch directory, never the
# host's units) with the real kubeadm drop-in and config files of tests/fixtures/kubelet,
# against the real dockerd's /info CgroupDriver; and offline under a scratch --root.
#
# Run by `make check` as root with DOCKAUDIT and top_srcdir set. Prints "ok N - NAME" /
# "not ok N - NAME"; exit 0 all passed, 1 a scenario failed, 99 cannot run.
srcdir=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$srcdir/../.." && pwd)}
. "$srcdir/lib.sh"

it_require_dockaudit
[ "$(id -u)" = 0 ] || it_hard_error "must run as root (loop devices, dockerd)"
for t in unshare losetup mount umount mkfs.ext4 mkfs.xfs truncate jq; do
        PATH=$IT_PATH:$PATH command -v "$t" >/dev/null ||
                it_hard_error "'$t' not found (packages util-linux, e2fsprogs, xfsprogs)"
done
# Our own mount namespace first: every mount below lives and dies with it.
if [ -z "${ST_UNSHARED:-}" ]; then
        ST_UNSHARED=1 exec unshare --mount --propagation private -- "$BASH" "$0" "$@"
fi
export ST_UNSHARED
it__one_suite_at_a_time

FIX=$top_srcdir/tests/fixtures/kubelet
UNITS=$srcdir/units
RULE_DT=overlay-without-dtype
RULE_CG=cgroup-driver-mismatch
ST_DIR=$(mktemp -d /tmp/dockaudit-st.XXXXXX) || it_hard_error "mktemp failed"
ST_IMAGES=
XFS0_WHY=

# st_cleanup: unmount our filesystems, check that no loop device is left on an image, remove
# $ST_DIR. Returns 1 when something is left.
st_cleanup() {
        local m i img left=0
        case $ST_DIR in /tmp/dockaudit-st.??????) ;; *) echo "refusing cleanup of $ST_DIR" >&2; return 1 ;; esac
        for m in $(awk -v d="$ST_DIR" 'index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
                umount "$m" 2>/dev/null || umount -l "$m"
        done
        for img in $ST_IMAGES; do
                for i in $(seq 50); do
                        [ -z "$(losetup -n -O NAME -j "$img" 2>/dev/null)" ] && break
                        losetup -n -O NAME -j "$img" | xargs -r -n 1 losetup -d 2>/dev/null
                        sleep 0.1
                done
                if [ -n "$(losetup -n -O NAME -j "$img" 2>/dev/null)" ]; then
                        echo "cleanup: loop device still attached to $img: $(losetup -j "$img")" >&2
                        left=1
                fi
        done
        [ "$left" = 0 ] && rm -rf "$ST_DIR"
        return "$left"
}

# lib.sh's trap runs it_teardown (on success, failure and signals alike): run ours after it.
eval "lib_$(declare -f it_teardown)"
it_teardown() {
        local rc=$?
        ( (exit "$rc"); lib_it_teardown )
        rc=$?
        st_cleanup || rc=99
        exit "$rc"
}
trap 'it_teardown' EXIT
trap 'it_log "interrupted"; exit 130' INT
trap 'it_log "terminated"; exit 143' TERM

# st_mount NAME MKFS...: make a 320 MiB image with MKFS (the image path appended), mount it on
# $ST_DIR/NAME through a loop device and detach the device at once (freed with the mount).
# Returns 1 with the reason in $ST_WHY when the filesystem cannot be made or mounted.
st_mount() {
        local name=$1 img=$ST_DIR/$1.img dev out
        shift
        ST_WHY=
        truncate -s 320M "$img" || { ST_WHY="truncate failed"; return 1; }
        out=$("$@" "$img" 2>&1) || { ST_WHY="$* failed: $out"; return 1; }
        dev=$(losetup --find --show "$img" 2>&1) || { ST_WHY="no loop device: $dev"; return 1; }
        ST_IMAGES="$ST_IMAGES $img"
        mkdir -p "$ST_DIR/$name"
        if ! out=$(mount -n "$dev" "$ST_DIR/$name" 2>&1); then
                ST_WHY="mount refused: $out; $(dmesg 2>/dev/null | grep -E "${dev#/dev/}" | tail -n 1)"
                losetup -d "$dev"
                return 1
        fi
        losetup -d "$dev" # autoclear: the kernel frees it when the filesystem is unmounted
}

st_mount nodtype mkfs.ext4 -q -F -O ^filetype || it_hard_error "ext4 without filetype: $ST_WHY"
st_mount xfs1 mkfs.xfs -q -f -n ftype=1 || it_hard_error "XFS ftype=1: $ST_WHY"
if st_mount xfs0 mkfs.xfs -q -f -m crc=0 -n ftype=0; then
        XFS0=$ST_DIR/xfs0
else
        XFS0_WHY=$ST_WHY
        it_log "XFS ftype=0: not available here ($XFS0_WHY); ext4 without filetype stands in for it"
fi

it_setup

# The storage facts and the rule of the last report.
rule_expr() {
        printf '.results[] | select(.id == "%s") | %s' "$1" "$2"
}
fact() {
        jq -r --arg f "$1" '.facts[$f].value | tostring' "$IT_STDOUT"
}
fact_source() {
        jq -r --arg f "$1" '.facts[$f].source // .facts[$f].reason' "$IT_STDOUT"
}

# use_data_root DIR [STORAGE-DRIVER]: docker.service (upstream unit) with --data-root DIR and
# --storage-driver, the later flags winning over those of it_dockerd_args (pflag).
use_data_root() {
        local d=$IT_DIR/storage.conf
        {
                echo "[Service]"
                echo "ExecStart="
                echo "ExecStart=@DOCKERD@ @DOCKERD_TEST_ARGS@ --data-root $1${2:+ --storage-driver $2}"
        } >"$d"
        it_systemctl stop docker.service 2>/dev/null
        it_install_docker_unit "$UNITS/upstream.service" "$d"
}

# 1. This machine's filesystem (the test's /tmp): the real /info says "Supports d_type: true",
# the read-only check agrees, the rule passes.
t_live_info() {
        local fs
        echo '{}' >"$IT_DAEMON_JSON"
        it_install_docker_unit "$UNITS/upstream.service" || return 1
        it_restart_docker || return 1
        it_dockaudit audit --format json
        assert_json "$(rule_expr $RULE_DT .status)" pass || return 1
        assert_json '.facts["docker.storage_driver"].value' overlay2 || return 1
        assert_json '.facts["docker.supports_d_type"].value' true || return 1
        assert_json '.facts["docker.supports_d_type"].source' \
                'docker-api:/v1.41/info DriverStatus "Supports d_type"' || return 1
        assert_json '.facts["storage.d_type"].value' true || return 1
        fs=$(fact docker.backing_fs)
        assert_eq "$fs" "$(fact storage.fs_type)" "/info Backing Filesystem vs statfs" || return 1
        assert_match "^statfs /proc/[0-9]+/root$IT_DIR/d\$" "$(fact_source storage.fs_type)" || return 1
        it_log "this machine: /info Backing Filesystem $fs, Supports d_type true, CgroupDriver $(fact docker.cgroup_driver)"
}

# 2. overlay2 configured on a new data root without d_type: dockerd 20.10 does not start
# ("formatted without d_type support"); the audit, with no daemon to ask, finds it read-only.
t_nodtype_configured() {
        local root=$ST_DIR/nodtype/docker-new
        use_data_root "$root" overlay2 || return 1
        if it_systemctl start docker.service 2>/dev/null; then
                echo "  FAIL: dockerd started with overlay2 on a filesystem without d_type" >&2
                return 1
        fi
        it_systemctl stop docker.service 2>/dev/null
        it_log "dockerd: $(grep -o "[^\"]*formatted without d_type[^\"]*" "$IT_DIR/log/dockerd.log" | tail -n 1)"
        assert_match "backing extfs filesystem is formatted without d_type support" \
                "$(cat "$IT_DIR/log/dockerd.log")" "dockerd's log" || return 1
        it_dockaudit audit --format json
        assert_rc 1 || return 1
        assert_json '.facts["docker.running"].value' false || return 1
        assert_json "$(rule_expr $RULE_DT .status)" fail || return 1
        assert_json '.facts["storage.d_type"].value' false || return 1
        assert_json '.facts["storage.fs_type"].value' extfs || return 1
        assert_json '.facts["dockerd.storage_driver"].value' overlay2 || return 1
        assert_match "^readdir $ST_DIR/nodtype(/docker-new)? \\(d_type" "$(fact_source storage.d_type)" || return 1
        assert_match "Put the data root on a filesystem with d_type" \
                "$(jq -r "$(rule_expr $RULE_DT .message)" "$IT_STDOUT")" || return 1
}

# 3. An existing overlay2 directory on it: dockerd 20.10 keeps running it, with a warning, and
# the real /info says "Supports d_type: false" (what Engine 23 refuses, moby#43472).
t_nodtype_existing() {
        local root=$ST_DIR/nodtype/docker-old
        mkdir -p "$root/overlay2/l" || return 1
        use_data_root "$root" overlay2 || return 1
        it_start_docker || return 1
        it_dockaudit audit --format json
        assert_rc 1 || return 1
        assert_json '.facts["docker.supports_d_type"].value' false || return 1
        assert_json '.facts["docker.backing_fs"].value' extfs || return 1
        assert_json "$(rule_expr $RULE_DT .status)" fail || return 1
        assert_match '"Supports d_type: false"' "$(jq -r "$(rule_expr $RULE_DT .message)" "$IT_STDOUT")" || return 1
        assert_match 'level=warning.*overlay2: the backing extfs filesystem is formatted without d_type' \
                "$(cat "$IT_DIR/log/dockerd.log")" "dockerd's warning" || return 1
        it_stop_docker
}

# 4. No storage driver configured, new data root: dockerd passes overlay2 over and runs vfs.
t_nodtype_fallback() {
        local root=$ST_DIR/nodtype/docker-auto
        use_data_root "$root" || return 1
        it_start_docker || return 1
        it_dockaudit audit --format json
        assert_json '.facts["docker.storage_driver"].value' vfs || return 1
        assert_json '.facts["dockerd.storage_driver"].value' '' || return 1
        assert_json '.facts["storage.d_type"].value' false || return 1
        assert_json "$(rule_expr $RULE_DT .status)" fail || return 1
        it_stop_docker
}

# 5. XFS with ftype=1: overlay2 runs, /info and the read-only check say d_type; the rule passes.
# Then XFS with ftype=0 where this kernel mounts it.
t_xfs() {
        use_data_root "$ST_DIR/xfs1/docker" overlay2 || return 1
        it_start_docker || return 1
        it_dockaudit audit --format json
        assert_json '.facts["docker.backing_fs"].value' xfs || return 1
        assert_json '.facts["docker.supports_d_type"].value' true || return 1
        assert_json '.facts["storage.fs_type"].value' xfs || return 1
        assert_json '.facts["storage.d_type"].value' true || return 1
        assert_json "$(rule_expr $RULE_DT .status)" pass || return 1
        it_stop_docker
        if [ -z "${XFS0:-}" ]; then
                it_log "XFS ftype=0 not tested: $XFS0_WHY"
                return 0
        fi
        use_data_root "$XFS0/docker" overlay2 || return 1
        it_systemctl start docker.service 2>/dev/null && { echo "  FAIL: dockerd started on XFS ftype=0" >&2; return 1; }
        it_systemctl stop docker.service 2>/dev/null
        it_dockaudit audit --format json
        assert_json '.facts["storage.fs_type"].value' xfs || return 1
        assert_json '.facts["storage.d_type"].value' false || return 1
        assert_json "$(rule_expr $RULE_DT .status)" fail || return 1
}

# 6. Offline (--root) on the filesystem without d_type: daemon.json says overlay2.
t_offline_root() {
        local img=$ST_DIR/nodtype/image
        mkdir -p "$img/etc/docker" "$img/var/lib/docker/image" "$img/lib/systemd/system" || return 1
        cp "$UNITS/upstream.service" "$img/lib/systemd/system/docker.service" || return 1
        echo '{"storage-driver": "overlay2"}' >"$img/etc/docker/daemon.json"
        env -i PATH=$IT_PATH timeout 60 "$DOCKAUDIT" --rules-dir "$IT_RULES_DIR" --root "$img" audit --format json \
                >"$IT_OUT/stdout" 2>"$IT_OUT/stderr"
        IT_RC=$? IT_STDOUT=$IT_OUT/stdout IT_STDERR=$IT_OUT/stderr
        assert_json "$(rule_expr $RULE_DT .status)" fail || return 1
        assert_json '.facts["storage.d_type"].source' "readdir $img/var/lib/docker (d_type of its entries)" || return 1
        echo '{"storage-driver": "btrfs"}' >"$img/etc/docker/daemon.json"
        env -i PATH=$IT_PATH timeout 60 "$DOCKAUDIT" --rules-dir "$IT_RULES_DIR" --root "$img" audit --format json \
                >"$IT_OUT/stdout" 2>"$IT_OUT/stderr"
        assert_json "$(rule_expr $RULE_DT .status)" pass || return 1
}

# kube_units CONFIG: kubelet.service (DEB) with kubeadm's drop-in under $IT_DIR/kube, and a
# drop-in of ours pointing --config at CONFIG (kubeadm's path is the host's).
kube_units() {
        local k=$IT_DIR/kube
        rm -rf "$k"
        mkdir -p "$k/units/kubelet.service.d" || return 1
        cp "$FIX/kubelet.service" "$k/units/" &&
                cp "$FIX/10-kubeadm.conf" "$k/units/kubelet.service.d/" || return 1
        cp "$1" "$k/config.yaml" || return 1
        printf '[Service]\nEnvironment="KUBELET_CONFIG_ARGS=--config=%s"\n' "$k/config.yaml" \
                >"$k/units/kubelet.service.d/20-test.conf"
}

# 7. kubeadm's kubelet (cgroupDriver: systemd) against this machine's real dockerd, whose /info
# says its driver: a mismatch unless it says systemd; kubelet on cgroupfs then agrees with
# a cgroupfs dockerd; no kubelet: skipped, saying so.
t_kubelet_live() {
        local docker_cg
        [ -f /etc/default/kubelet ] || [ -f /var/lib/kubelet/kubeadm-flags.env ] &&
                it_log "note: this host has kubelet environment files; kubeadm's drop-in reads them"
        echo '{}' >"$IT_DAEMON_JSON"
        it_install_docker_unit "$UNITS/upstream.service" || return 1
        it_restart_docker || return 1
        kube_units "$FIX/config-etcd-ha.yaml" || return 1
        IT_DOCKAUDIT_ENV="SYSTEMD_UNIT_PATH=$IT_DIR/kube/units" it_dockaudit audit --format json
        docker_cg=$(fact docker.cgroup_driver)
        assert_json '.facts["kubelet.present"].value' true || return 1
        assert_json '.facts["kubelet.cgroup_driver"].source' "$IT_DIR/kube/config.yaml:13" || return 1
        assert_json '.facts["docker.cgroup_driver_effective"].source' 'docker-api:/v1.41/info CgroupDriver' || return 1
        if [ "$docker_cg" = systemd ]; then
                assert_json "$(rule_expr $RULE_CG .status)" pass || return 1
        else
                assert_json "$(rule_expr $RULE_CG .status)" fail || return 1
                assert_match "kubelet uses the systemd cgroup driver \\($IT_DIR/kube/config.yaml:13\\) and Docker the $docker_cg driver" \
                        "$(jq -r "$(rule_expr $RULE_CG .message)" "$IT_STDOUT")" || return 1
        fi
        sed "s/^cgroupDriver: systemd/cgroupDriver: $docker_cg/" "$FIX/config-etcd-ha.yaml" >"$IT_DIR/kube/config.yaml"
        IT_DOCKAUDIT_ENV="SYSTEMD_UNIT_PATH=$IT_DIR/kube/units" it_dockaudit audit --format json
        assert_json "$(rule_expr $RULE_CG .status)" pass || return 1
        mkdir -p "$IT_DIR/kube/empty"
        IT_DOCKAUDIT_ENV="SYSTEMD_UNIT_PATH=$IT_DIR/kube/empty" it_dockaudit audit --format json
        assert_json "$(rule_expr $RULE_CG .status)" skip || return 1
        assert_match "not applicable: kubelet.present is false" "$(jq -r "$(rule_expr $RULE_CG .reason)" "$IT_STDOUT")" || return 1
        assert_json "$(rule_expr $RULE_CG .not_applicable)" true || return 1
}

# 8. Offline (--root): a kubeadm 1.9 node image (--cgroup-driver=systemd in the drop-in) and
# daemon.json with or without native.cgroupdriver.
t_kubelet_offline() {
        local img=$IT_DIR/kube-image out
        mkdir -p "$img/lib/systemd/system" "$img/etc/systemd/system/kubelet.service.d" "$img/etc/docker" || return 1
        cp "$UNITS/upstream.service" "$img/lib/systemd/system/docker.service" &&
                cp "$FIX/kubelet.service" "$img/lib/systemd/system/" &&
                cp "$FIX/10-kubeadm-1.9.conf" "$img/etc/systemd/system/kubelet.service.d/10-kubeadm.conf" || return 1
        for dj in '{}:skip' '{"exec-opts": ["native.cgroupdriver=cgroupfs"]}:fail' \
                '{"exec-opts": ["native.cgroupdriver=systemd"]}:pass'; do
                echo "${dj%:*}" >"$img/etc/docker/daemon.json"
                env -i PATH=$IT_PATH timeout 60 "$DOCKAUDIT" --rules-dir "$IT_RULES_DIR" --root "$img" audit \
                        --format json >"$IT_OUT/stdout" 2>"$IT_OUT/stderr"
                IT_STDOUT=$IT_OUT/stdout
                out=$(jq -r "$(rule_expr $RULE_CG .status)" "$IT_STDOUT")
                assert_eq "${dj##*:}" "$out" "cgroup-driver-mismatch with daemon.json ${dj%:*}" || return 1
        done
        assert_json '.facts["kubelet.cgroup_driver"].source' \
                "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf:8" || return 1
}

it_run "this machine's filesystem: /info Supports d_type true, the rule passes" t_live_info
it_run "overlay2 configured without d_type: dockerd does not start, the read-only check fails the rule" \
        t_nodtype_configured
it_run "an existing overlay2 without d_type: /info Supports d_type false, the rule fails" t_nodtype_existing
it_run "no storage driver configured without d_type: dockerd falls back to vfs, the rule fails" t_nodtype_fallback
it_run "XFS ftype=1 passes (ftype=0 where the kernel mounts V4 XFS)" t_xfs
it_run "offline --root on a filesystem without d_type" t_offline_root
it_run "kubelet's config.yaml against the real dockerd's CgroupDriver; no kubelet: skipped" t_kubelet_live
it_run "offline kubeadm 1.9 node: --cgroup-driver flag against daemon.json exec-opts" t_kubelet_offline
it_summary
