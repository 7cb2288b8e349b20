#!/bin/bash
# SPDX-License-Identifier: MIT
# killmode-with-live-restore on a real systemd user manager and a real dockerd 20.10 with
# live-restore on (lib.sh's stack): which KillMode= loses containers, for which containerd
# layout; the finding; `fix --yes` writing KillMode=process; the containers surviving.
#
# Observed (systemd 252, dockerd 20.10.24, containerd 1.6.20, runc shim v2; cgroup hybrid).
# Each cell: a container started, docker.service stopped, then started again.
#
#   containerd layout                          KillMode=      on stop         after the start
#   dockerd's own (no --containerd, no         control-group  shim killed     container gone
#   /run/containerd/containerd.sock)           mixed          shim killed     container gone
#                                              process        shim kept       container kept
#                                              none           dockerd is not stopped at all;
#                                                             the start fails ("pid file
#                                                             found"); the old dockerd keeps
#                                                             the container
#   containerd.service, dockerd                control-group  shim kept       container kept
#   --containerd=SOCK (daemon.json)            mixed          shim kept       container kept
#                                              process        shim kept       container kept
#   containerd.service on the default          control-group  shim kept       container kept
#   /run/containerd/containerd.sock, dockerd
#   without --containerd (it picks the socket)
#
# The container process runs in a cgroup of its own (--cgroup-parent, outside the unit), so
# systemd never signals it; its shim is containerd's child, in containerd's cgroup. Killing
# the shim is enough: containerd kills and deletes the container of a dead shim, at once
# when it outlives the shim ("cleaning up after shim disconnected"), else at the next start
# ("cleaning up dead shim"); which one comes first varies from run to run. Docker then
# shows the container exited. A KillMode changed by a drop-in applies at the daemon-reload:
# the next stop already uses it (5: no restart between the fix and the restart the
# container survives; 8: the restart fix --restart does itself).
#
# Prints "ok N - NAME" / "not ok N - NAME" and "P passed, F failed". Exit: 0 all passed, 1 a
# scenario failed, 99 the harness could not run.
srcdir=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$srcdir/../.." && pwd)}
. "$srcdir/lib.sh"

it_require_dockaudit
command -v sha256sum >/dev/null || it_hard_error "'sha256sum' not found (coreutils)"
UNITS=$srcdir/units
RULE=killmode-with-live-restore

dockerd_pid() {
        it_systemctl show -p MainPID --value docker.service
}

# cg_of PID: PID's cgroup in systemd's hierarchy (name=systemd when mounted, else unified).
cg_of() {
        local l
        l=$(grep ':name=systemd:' "/proc/$1/cgroup" 2>/dev/null)
        [ -n "$l" ] || l=$(grep '^0::' "/proc/$1/cgroup" 2>/dev/null)
        echo "${l#*:*:}"
}

alive() {
        kill -0 "$1" 2>/dev/null
}

# dropin_file NAME CONTENT: a drop-in template $IT_DIR/dropins/NAME; prints its path.
dropin_file() {
        mkdir -p "$IT_DIR/dropins"
        printf '%s\n' "$2" >"$IT_DIR/dropins/$1"
        echo "$IT_DIR/dropins/$1"
}

# containerd_unit ADDRESS STATE: containerd.service in the test manager (KillMode=process
# and Delegate=yes, as containerd ships it), its root in $IT_DIR, listening on ADDRESS.
containerd_unit() {
        mkdir -p "$IT_DIR/cd-root"
        cat >"$IT_DIR/containerd.toml" <<EOF
version = 2
root = "$IT_DIR/cd-root"
state = "$2"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$1"
EOF
        cat >"$IT_UNIT_DIR/containerd.service" <<EOF
[Unit]
Description=containerd (dockaudit-it)
[Service]
Type=notify
ExecStart=$(command -v containerd) --config $IT_DIR/containerd.toml
StandardOutput=append:$IT_DIR/log/containerd.log
StandardError=append:$IT_DIR/log/containerd.log
Delegate=yes
KillMode=process
EOF
        it_systemctl daemon-reload
}

# remove_containers: every container of the test dockerd, if it answers.
remove_containers() {
        local ids
        ids=$(it_docker ps -aq 2>/dev/null)
        # shellcheck disable=SC2086 # one word per container id
        [ -z "$ids" ] || it_docker rm -f $ids >/dev/null 2>&1
}

# set_layout own|flag|default: the containerd dockerd uses, live-restore on in daemon.json.
#   own      dockerd starts its own (lib.sh's default)
#   flag     containerd.service on $IT_DIR/containerd.sock, daemon.json "containerd"
#   default  containerd.service on /run/containerd/containerd.sock (the manager's private
#            /run), dockerd without --containerd: dockerd uses that socket when it exists
#            (moby cmd/dockerd systemContainerdRunning)
LAYOUT=
set_layout() {
        [ "$LAYOUT" = "$1" ] && return 0
        remove_containers
        it_systemctl stop docker.service containerd.service 2>/dev/null
        case $1 in
        own)
                # no containerd.service on the host: as with dockerd's own containerd
                rm -f "$IT_UNIT_DIR/containerd.service"
                it_systemctl daemon-reload
                echo '{"live-restore": true}' >"$IT_DAEMON_JSON"
                ;;
        flag)
                containerd_unit "$IT_DIR/containerd.sock" "$IT_DIR/cd-state" || return 1
                it_systemctl start containerd.service || return 1
                printf '{\n  "live-restore": true,\n  "containerd": "%s"\n}\n' "$IT_DIR/containerd.sock" \
                        >"$IT_DAEMON_JSON"
                ;;
        default)
                containerd_unit /run/containerd/containerd.sock /run/containerd || return 1
                it_systemctl start containerd.service || return 1
                echo '{"live-restore": true}' >"$IT_DAEMON_JSON"
                ;;
        esac
        LAYOUT=$1
}

# start_container NAME: runs it; sets CPID (the container's init) and SHIM (its parent).
start_container() {
        it_docker image inspect "$IT_IMAGE" >/dev/null 2>&1 || it_import_busybox || return 1
        it_docker run -d --name "$1" "$IT_IMAGE" sleep 100000 >/dev/null || return 1
        CPID=$(it_docker inspect -f '{{.State.Pid}}' "$1") || return 1
        SHIM=$(awk '{ print $4 }' "/proc/$CPID/stat")
        [ -n "$SHIM" ] && [ "$SHIM" -gt 1 ] || { echo "  FAIL: no shim for $1" >&2; return 1; }
}

# kept NAME: the container runs, with the init it had when started (CPID).
kept() {
        [ "$(it_docker inspect -f '{{.State.Running}} {{.State.Pid}}' "$1" 2>&1)" = "true $CPID" ] && alive "$CPID"
}

# cell LAYOUT MODE: a container under KillMode=MODE (a drop-in on the upstream unit, which
# says KillMode=process), docker.service stopped, then started. Sets SHIM_CG (where the
# shim ran), AFTER_STOP ("shim alive" / "shim dead") and OUTCOME (kept / deleted).
cell() {
        local layout=$1 mode=$2 ucg n0
        set_layout "$layout" || return 1
        remove_containers
        it_install_docker_unit "$UNITS/upstream.service" \
                "$(dropin_file 10-killmode.conf "[Service]
KillMode=$mode")" || return 1
        it_restart_docker || return 1
        assert_eq "$mode" "$(it_systemctl show -p KillMode --value docker.service)" "loaded KillMode" || return 1
        start_container k1 || return 1
        ucg=$(it_systemctl show -p ControlGroup --value docker.service)
        SHIM_CG=$(cg_of "$SHIM")
        it_log "[$layout/$mode] unit $ucg; shim $SHIM ($(cat "/proc/$SHIM/comm")) in $SHIM_CG;" \
                "container $CPID in $(cg_of "$CPID")"
        n0=$(wc -l <"$IT_DIR/log/dockerd.log")
        it_systemctl stop docker.service || return 1
        AFTER_STOP="shim dead"
        alive "$SHIM" && AFTER_STOP="shim alive"
        # informational: whether containerd outlived the shim decides when the container dies
        it_log "[$layout/$mode] after stop: container process $(alive "$CPID" && echo alive || echo gone)"
        it_start_docker || return 1
        OUTCOME=deleted
        kept k1 && OUTCOME=kept
        # deleted: the container's process is gone too, not orphaned
        if [ "$OUTCOME" = deleted ] && alive "$CPID"; then
                OUTCOME="exited in docker, process $CPID still running"
        fi
        it_log "[$layout/$mode] after stop: $AFTER_STOP; after start: $OUTCOME;" \
                "containerd:$(tail -n "+$((n0 + 1))" "$IT_DIR/log/dockerd.log" |
                        grep -o 'cleaning up after shim disconnected\|cleaning up dead shim' | sort | uniq -c |
                        tr -s ' \n' ' ')"
        echo "$layout $mode: $AFTER_STOP, $OUTCOME" >>"$IT_DIR/matrix"
}

# expect_cell LAYOUT MODE AFTER_STOP OUTCOME [SHIM_UNIT]
expect_cell() {
        cell "$1" "$2" || return 1
        assert_eq "$3" "$AFTER_STOP" "[$1/$2] after stop" || return 1
        assert_eq "$4" "$OUTCOME" "[$1/$2] after start" || return 1
        [ -z "${5:-}" ] || assert_match "/$5\$" "$SHIM_CG" "[$1/$2] the shim's cgroup" || return 1
}

# audit_rule STATUS [SHIMS]: audit; the rule's status, and dockerd.shims_in_unit_cgroup.
audit_rule() {
        it_dockaudit audit --format json
        assert_json "$(printf '.results[] | select(.id == "%s") | .status' "$RULE")" "$1" || return 1
        [ -z "${2:-}" ] || assert_json '.facts["dockerd.shims_in_unit_cgroup"].value' "$2" || return 1
}

# 1. dockerd's own containerd: control-group and mixed lose the container, process keeps
# it; the audit says so for the running dockerd.
t_own_containerd() {
        expect_cell own control-group "shim dead" deleted docker.service || return 1
        audit_rule fail true || return 1
        assert_json '.facts["unit.kill_mode"].value' control-group || return 1
        assert_match "/proc/[0-9]+/cgroup \\(containerd(-shim)?, in .*/docker.service\\)" \
                "$(jq -r '.facts["dockerd.shims_in_unit_cgroup"].source' "$IT_STDOUT")" "the fact's source" ||
                return 1
        expect_cell own mixed "shim dead" deleted docker.service || return 1
        audit_rule fail true || return 1
        expect_cell own process "shim alive" kept docker.service || return 1
        audit_rule pass true || return 1
}

# 2. KillMode=none stops nothing: the old dockerd runs on (with the container) and the new
# one refuses to start. Not this rule's finding: the containers are not lost.
t_killmode_none() {
        local old
        set_layout own || return 1
        remove_containers
        it_install_docker_unit "$UNITS/upstream.service" || return 1
        it_restart_docker || return 1
        start_container k2 || return 1
        old=$(dockerd_pid)
        it_install_docker_unit "$UNITS/upstream.service" \
                "$(dropin_file 10-killmode.conf '[Service]
KillMode=none')" || return 1
        it_systemctl stop docker.service
        alive "$old" || { echo "  FAIL: KillMode=none stopped dockerd" >&2; return 1; }
        if it_systemctl start docker.service 2>/dev/null; then
                echo "  FAIL: a second dockerd started next to the first" >&2
                return 1
        fi
        grep -q 'pid file found' "$IT_DIR/log/dockerd.log" ||
                { echo "  FAIL: no 'pid file found' in dockerd's log" >&2; return 1; }
        it_log "KillMode=none: dockerd $old still runs, the new one refused: pid file found"
        kept k2 || { echo "  FAIL: the container did not survive" >&2; return 1; }
        echo "own none: dockerd not stopped, start fails" >>"$IT_DIR/matrix"
        # the old dockerd (not the unit's any more) is ours to stop, by pid
        kill -TERM "$old"
        for _ in $(seq 150); do
                alive "$old" || break
                sleep 0.2
        done
        ! alive "$old" || { echo "  FAIL: dockerd $old did not stop" >&2; return 1; }
        it_systemctl stop docker.service
        it_install_docker_unit "$UNITS/upstream.service" || return 1
        it_restart_docker || return 1
        audit_rule pass || return 1
}

# 3. containerd as its own unit, dockerd --containerd= (daemon.json): no KillMode of
# docker.service reaches the shims.
t_flag_containerd() {
        expect_cell flag control-group "shim alive" kept containerd.service || return 1
        audit_rule pass false || return 1
        assert_match "in .*/containerd.service, not in .*/docker.service" \
                "$(jq -r '.facts["dockerd.shims_in_unit_cgroup"].source' "$IT_STDOUT")" "the fact's source" ||
                return 1
        expect_cell flag mixed "shim alive" kept containerd.service || return 1
        expect_cell flag process "shim alive" kept containerd.service || return 1
        audit_rule pass false || return 1
        # stopped: the configured containerd decides (dockerd.containerd, daemon.json:3)
        remove_containers
        it_systemctl stop docker.service || return 1
        it_install_docker_unit "$UNITS/upstream.service" \
                "$(dropin_file 10-killmode.conf '[Service]
KillMode=control-group')" || return 1
        audit_rule pass false || return 1
        assert_match "^dockerd uses the containerd at $IT_DIR/containerd.sock \\($IT_DAEMON_JSON:3\\)" \
                "$(jq -r '.facts["dockerd.shims_in_unit_cgroup"].source' "$IT_STDOUT")" "the fact's source" ||
                return 1
}

# 4. containerd.service on the default socket, dockerd without --containerd: dockerd picks
# the socket, the shims are containerd.service's; dockerd.containerd is "" all the same,
# so the fact comes from the processes.
t_default_socket() {
        expect_cell default control-group "shim alive" kept containerd.service || return 1
        audit_rule pass false || return 1
}

FIX_DROPIN=
checksums() {
        find "$IT_UNIT_DIR" "$IT_CONFIG_HOME/docker" -type f | sort | xargs -r sha256sum
}

# 5. The trap as shipped (moby v1.11.2's unit, no KillMode=): a restart deletes the
# container; the finding; fix --yes writes KillMode=process and reloads; with no restart in
# between, the next restart keeps the containers; the re-audit passes.
t_fix() {
        local pid line msg
        set_layout own || return 1
        remove_containers
        it_install_docker_unit "$UNITS/killmode-v1.11.2.service" || return 1
        it_restart_docker || return 1
        assert_eq control-group "$(it_systemctl show -p KillMode --value docker.service)" "default KillMode" ||
                return 1
        start_container lost || return 1
        it_restart_docker || return 1
        ! kept lost || { echo "  FAIL: the container survived KillMode=control-group" >&2; return 1; }
        it_log "reproduced: container 'lost' is $(it_docker inspect -f '{{.State.Status}}' lost) after a restart"

        start_container kept1 || return 1
        it_dockaudit audit --format json
        assert_rc 1 || return 1
        assert_json "$(printf '.results[] | select(.id == "%s") | .status' "$RULE")" fail || return 1
        msg=$(jq -r "$(printf '.results[] | select(.id == "%s") | .message' "$RULE")" "$IT_STDOUT")
        assert_match "KillMode=control-group" "$msg" "message" || return 1
        assert_match "live-restore is on \\($IT_DAEMON_JSON:1\\)" "$msg" "message cites daemon.json" || return 1
        assert_match "/proc/[0-9]+/cgroup" "$msg" "message cites /proc" || return 1

        pid=$(dockerd_pid)
        it_dockaudit fix --yes
        sed 's/^/#   | /' "$IT_STDOUT" "$IT_STDERR" >&2
        assert_rc 0 || return 1
        assert_match "$RULE" "$IT_STDOUT_TEXT" "the plan names the rule" || return 1
        FIX_DROPIN=$IT_UNIT_DIR/docker.service.d/50-dockaudit.conf
        [ -f "$FIX_DROPIN" ] || { echo "  FAIL: no drop-in $FIX_DROPIN" >&2; return 1; }
        assert_match '^KillMode=process$' "$(cat "$FIX_DROPIN")" "drop-in" || return 1
        assert_eq process "$(it_systemctl show -p KillMode --value docker.service)" "loaded KillMode" || return 1
        assert_eq "$pid" "$(dockerd_pid)" "dockerd not restarted by the fix" || return 1
        kept kept1 || { echo "  FAIL: the fix lost the container" >&2; return 1; }

        # no restart since the reload: this one already runs with KillMode=process
        it_restart_docker || return 1
        kept kept1 || { echo "  FAIL: kept1 did not survive the restart after the fix" >&2; return 1; }
        it_restart_docker || return 1
        kept kept1 || { echo "  FAIL: kept1 did not survive a second restart" >&2; return 1; }
        audit_rule pass true || return 1
        line=$(grep -n '^KillMode=process' "$FIX_DROPIN" | cut -d: -f1)
        assert_json '.facts["unit.kill_mode"].value' process || return 1
        assert_match "^$FIX_DROPIN:$line\\b" "$(jq -r '.facts["unit.kill_mode"].source' "$IT_STDOUT")" \
                "source of unit.kill_mode" || return 1
        assert_json '[.results[] | select(.status == "fail" and .severity == "high") | .id] | join(",")' '' ||
                return 1
}

# 6. A second fix changes nothing: no file, no reload, same dockerd.
t_idempotent() {
        local sums pid
        [ -n "$FIX_DROPIN" ] && [ -f "$FIX_DROPIN" ] || { echo "  FAIL: needs the fixed host of 5" >&2; return 1; }
        sums=$(checksums)
        pid=$(dockerd_pid)
        it_dockaudit fix --yes
        assert_rc 0 || return 1
        assert_match 'Nothing to change' "$IT_STDOUT_TEXT" || return 1
        assert_eq "$sums" "$(checksums)" "files" || return 1
        assert_eq "$pid" "$(dockerd_pid)" "dockerd pid" || return 1
        kept kept1 || return 1
}

# 7. docker.service stopped, dockerd's own containerd: nothing to look at, the rule is
# skipped with the reason.
t_stopped() {
        it_install_docker_unit "$UNITS/killmode-v1.11.2.service" || return 1
        remove_containers
        it_systemctl stop docker.service || return 1
        it_dockaudit audit --format json
        assert_json "$(printf '.results[] | select(.id == "%s") | .status' "$RULE")" skip || return 1
        assert_match 'not running' "$(jq -r '.facts["dockerd.shims_in_unit_cgroup"].reason' "$IT_STDOUT")" \
                "the fact's reason" || return 1
}

# 8. Both traps of moby v1.11.2's era: its unit plus haxorof/ansible-role-docker-ce's
# MountFlags=slave drop-in (tests/fixtures/units/dropins), installed as 10-*.conf (under its
# own name, mountflags-slave.conf, it sorts after our 50-dockaudit.conf and the plan is
# refused, rightly: ours would not win). fix --yes --restart writes
# KillMode=process and MountFlags=shared, reloads, then restarts: the reload comes first, so
# its own restart already runs with KillMode=process and keeps the container.
t_fix_restart() {
        local pid
        set_layout own || return 1
        remove_containers
        mkdir -p "$IT_DIR/dropins"
        cp "$top_srcdir/tests/fixtures/units/dropins/haxorof-mountflags-slave.conf" \
                "$IT_DIR/dropins/10-mountflags-slave.conf" || return 1
        it_install_docker_unit "$UNITS/killmode-v1.11.2.service" "$IT_DIR/dropins/10-mountflags-slave.conf" ||
                return 1
        it_restart_docker || return 1
        start_container before || return 1
        audit_rule fail true || return 1
        pid=$(dockerd_pid)
        it_dockaudit fix --yes --restart
        sed 's/^/#   | /' "$IT_STDOUT" "$IT_STDERR" >&2
        assert_rc 0 || return 1
        assert_match 'Restarted docker.service' "$IT_STDOUT_TEXT" "the fix restarted" || return 1
        [ "$(dockerd_pid)" != "$pid" ] || { echo "  FAIL: dockerd was not restarted" >&2; return 1; }
        assert_match '^KillMode=process$' "$(cat "$IT_UNIT_DIR/docker.service.d/50-dockaudit.conf")" "drop-in" ||
                return 1
        kept before || { echo "  FAIL: the fix's own restart lost the container" >&2; return 1; }
        audit_rule pass true || return 1
}

it_setup
it_run "dockerd's own containerd: control-group, mixed delete the container; process keeps it" t_own_containerd
it_run "KillMode=none: dockerd not stopped, the next start fails" t_killmode_none
it_run "containerd.service with --containerd: every KillMode keeps the container" t_flag_containerd
it_run "containerd.service on the default socket: kept, the fact from the processes" t_default_socket
it_run "v1.11.2 unit: restart deletes, fix --yes writes KillMode=process, restarts keep" t_fix
it_run "second fix: nothing to change" t_idempotent
it_run "docker.service stopped: the rule is skipped" t_stopped
it_run "fix --yes --restart with MountFlags=slave too: its restart keeps the container" t_fix_restart
[ -f "$IT_DIR/matrix" ] && sed 's/^/# observed: /' "$IT_DIR/matrix" >&2
it_summary
