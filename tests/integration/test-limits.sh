#!/bin/bash
# SPDX-License-Identifier: MIT
# Rules limitnofile-infinity and tasksmax-low (issue 10) on the real systemd user manager of
# lib.sh, with real units from the wild (tests/fixtures/units/SOURCES):
#   1. docker-ce-packaging 20.10's docker.service and containerd v1.6.0's containerd.service
#      (both LimitNOFILE=infinity): with this host's fs.nr_open (1048576) infinity is 1048576
#      and the rule passes; with fs.nr_open as systemd >= 240 leaves it (see
#      nr_open_dockaudit) the finding names both files and lines; `fix --yes`
#      writes a drop-in for each unit, the manager reports LimitNOFILE=1024:524288 for both,
#      the re-audit passes and a second fix changes nothing.
#   2. moby v1.11.2's docker.service (no TasksMax=, written for systemd < 228) under a manager
#      with DefaultTasksMax=512 (the systemd 228-230 default, in user.conf): the finding, the
#      fix (TasksMax=infinity, no restart), idempotence.
#   3. Real dockerd (the harness's unit, which runs its own containerd: the shims live in
#      docker.service's cgroup): TasksCurrent is counted here (cgroup v1 pids controller);
#      with TasksMax a few tasks above what runs, `docker run` fails for want of tasks and
#      the rule fails on unit.tasks_wanted; after `fix --yes` (reload only) it runs.
#   4. Real dockerd with LimitNOFILE=infinity: a container inherits dockerd's limits (through
#      the containerd dockerd runs; dockerd 20.10 is built with Go 1.19, which raises its soft
#      limit to the hard one, and its children keep that); after the fix and a restart the
#      manager gives dockerd 1024:524288 and containers inherit the hard limit. What infinity becomes is capped here by the test
#      manager's own hard limit (no CAP_SYS_RESOURCE in the sandbox); on a host it is PID 1's
#      fs.nr_open, about 2^30 since systemd 240 raises it, which a test must not do to the
#      host's kernel.
# Environment: DOCKAUDIT (absolute path), top_srcdir. Exit 0/1/99 as lib.sh.
srcdir=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$srcdir/../.." && pwd)}
. "$srcdir/lib.sh"

it_require_dockaudit
FIX=$top_srcdir/tests/fixtures/units
UNITS=$srcdir/units

# This host's fs.nr_open is the kernel default, 1048576: LimitNOFILE=infinity is 1048576 here
# and the rule rightly passes. Hosts booted by systemd >= 240 have 1073741816 (PID 1 raises
# it); dockaudit sees that value when run through nr_open_dockaudit, which bind-mounts a file
# over /proc/sys/fs/nr_open in a mount namespace of its own (the host's kernel setting is
# never written).
NR_OPEN_RAISED=1073741816
nr_open_dockaudit() {
        printf '%s\n' "$NR_OPEN_RAISED" >"$IT_DIR/nr_open"
        cat >"$IT_DIR/dockaudit-nr-open" <<EOT
#!/bin/sh
exec unshare -m sh -c 'mount --bind "\$1" /proc/sys/fs/nr_open && shift && exec "\$@"' sh "$IT_DIR/nr_open" "$DOCKAUDIT" "\$@"
EOT
        chmod +x "$IT_DIR/dockaudit-nr-open"
}

# raised CMD...: run it_dockaudit (CMD's arguments) as on a host with fs.nr_open raised.
raised() {
        local real=$DOCKAUDIT rc
        DOCKAUDIT=$IT_DIR/dockaudit-nr-open
        it_dockaudit "$@"
        rc=$?
        DOCKAUDIT=$real
        return $rc
}

# install_units DOCKER_UNIT [CONTAINERD_UNIT]: real unit files, verbatim, no drop-ins.
install_units() {
        rm -rf "$IT_UNIT_DIR"/docker.service "$IT_UNIT_DIR"/docker.service.d \
                "$IT_UNIT_DIR"/containerd.service "$IT_UNIT_DIR"/containerd.service.d
        cp "$1" "$IT_UNIT_DIR/docker.service" || return 1
        [ -z "${2:-}" ] || cp "$2" "$IT_UNIT_DIR/containerd.service" || return 1
        it_systemctl daemon-reload
}

# status_of ID: the status of rule ID in the last JSON report.
status_of() {
        jq -r --arg id "$1" '.results[] | select(.id == $id) | .status' "$IT_STDOUT"
}

# fact NAME: "value|source" of a fact in the last JSON report.
fact() {
        jq -r --arg n "$1" '.facts[$n] | "\(.value // "unknown")|\(.source // .reason)"' "$IT_STDOUT"
}

# prop UNIT PROPERTY: what the manager reports.
prop() {
        it_systemctl show -p "$2" --value "$1"
}

t_limitnofile_units() {
        local d=$IT_UNIT_DIR/docker.service.d/50-dockaudit.conf c=$IT_UNIT_DIR/containerd.service.d/50-dockaudit.conf
        install_units "$FIX/docker-ce-packaging-20.10-docker.service" "$FIX/containerd-v1.6.0-containerd.service" ||
                return 1
        it_dockaudit audit --format json
        assert_eq pass "$(status_of limitnofile-infinity)" "limitnofile-infinity with this host's fs.nr_open" ||
                return 1
        assert_eq "1048576|/proc/sys/fs/nr_open" "$(fact kernel.nr_open)" "kernel.nr_open" || return 1
        raised audit --format json
        assert_eq "$NR_OPEN_RAISED|/proc/sys/fs/nr_open" "$(fact kernel.nr_open)" "kernel.nr_open raised" || return 1
        assert_eq fail "$(status_of limitnofile-infinity)" "limitnofile-infinity before the fix" || return 1
        # infinity (9223372036854775807; jq prints it rounded)
        assert_match "^92233720368547[0-9]{5}\|$IT_UNIT_DIR/docker.service:31$" "$(fact unit.limit_nofile)" \
                "unit.limit_nofile" || return 1
        assert_match "^92233720368547[0-9]{5}\|$IT_UNIT_DIR/containerd.service:33$" \
                "$(fact containerd_unit.limit_nofile)" "containerd_unit.limit_nofile" || return 1
        assert_match "containerd.service:33" "$(it_result limitnofile-infinity)" "message" || return 1

        raised fix --yes
        [ "$IT_RC" = 0 ] || [ "$IT_RC" = 1 ] || { it__show_output; return 1; }
        assert_match "LimitNOFILE=1024:524288" "$(cat "$d" 2>&1)" "docker.service's drop-in" || return 1
        assert_match "LimitNOFILE=1024:524288" "$(cat "$c" 2>&1)" "containerd.service's drop-in" || return 1
        assert_match "restart containerd.service" "$IT_STDOUT_TEXT" "the note on containerd's restart" || return 1
        assert_eq 524288 "$(prop docker.service LimitNOFILE)" "docker.service LimitNOFILE (D-Bus)" || return 1
        assert_eq 1024 "$(prop containerd.service LimitNOFILESoft)" "containerd.service LimitNOFILESoft" ||
                return 1
        raised audit --format json
        assert_eq pass "$(status_of limitnofile-infinity)" "limitnofile-infinity after the fix" || return 1
        assert_match "^524288\|$c:[0-9]+$" "$(fact containerd_unit.limit_nofile)" "source after the fix" || return 1

        # The offline loader reads the same files the same way (fs.nr_open: unknown offline,
        # systemd 252 raises it).
        it_dockaudit --root / audit --format json
        assert_eq pass "$(status_of limitnofile-infinity)" "--root / after the fix" || return 1
        assert_eq "524288|$d:5" "$(fact unit.limit_nofile)" "unit.limit_nofile offline" || return 1

        local before
        before=$(stat -c %Y.%i "$d" "$c")
        raised fix --yes
        assert_match "Nothing to change" "$IT_STDOUT_TEXT" "second fix" || return 1
        assert_eq "$before" "$(stat -c %Y.%i "$d" "$c")" "drop-ins untouched by the second fix"
}

t_tasksmax_default_512() {
        local d=$IT_UNIT_DIR/docker.service.d/50-dockaudit.conf conf=$IT_CONFIG_HOME/systemd/user.conf
        mkdir -p "$IT_CONFIG_HOME/systemd"
        printf '[Manager]\nDefaultTasksMax=512\n' >"$conf"
        install_units "$FIX/moby-v1.11.2-docker.service" "$FIX/containerd-v1.4.0-containerd.service" || return 1
        assert_eq 512 "$(prop docker.service TasksMax)" "TasksMax from DefaultTasksMax=512" || return 1
        it_dockaudit audit --format json
        assert_eq fail "$(status_of tasksmax-low)" "tasksmax-low before the fix" || return 1
        assert_match "^512\|default: " "$(fact unit.tasks_max)" "unit.tasks_max" || return 1
        it_dockaudit --root / audit --format json
        assert_eq fail "$(status_of tasksmax-low)" "tasksmax-low offline (user.conf read)" || return 1
        assert_eq "512|default: DefaultTasksMax= at $conf:2" "$(fact unit.tasks_max)" "offline source" || return 1

        it_dockaudit fix --yes
        [ "$IT_RC" = 0 ] || [ "$IT_RC" = 1 ] || { it__show_output; return 1; }
        assert_match "^TasksMax=infinity$" "$(cat "$d" 2>&1)" "drop-in" || return 1
        [ ! -e "$IT_UNIT_DIR/containerd.service.d/50-dockaudit.conf" ] ||
                { echo "  containerd.service (TasksMax=infinity) got a drop-in" >&2; return 1; }
        assert_eq infinity "$(prop docker.service TasksMax)" "TasksMax after the fix" || return 1
        it_dockaudit audit --format json
        assert_eq pass "$(status_of tasksmax-low)" "tasksmax-low after the fix" || return 1
        it_dockaudit fix --yes
        assert_match "Nothing to change" "$IT_STDOUT_TEXT" "second fix" || return 1
        rm -f "$conf"
        it_systemctl daemon-reload
}

# install_harness_unit DROPIN_TEXT: the harness's dockerd unit with one drop-in of ours.
install_harness_unit() {
        rm -rf "$IT_UNIT_DIR"/containerd.service "$IT_UNIT_DIR"/containerd.service.d
        printf '%s\n' "$1" >"$IT_DIR/10-test.conf"
        it_install_docker_unit "$UNITS/upstream.service" "$IT_DIR/10-test.conf"
}

t_tasksmax_real_dockerd() {
        local cur max i
        install_harness_unit "[Service]" || return 1
        it_start_docker || return 1
        it_docker image inspect "$IT_IMAGE" >/dev/null 2>&1 || it_import_busybox || return 1
        cur=$(prop docker.service TasksCurrent)
        it_log "docker.service TasksCurrent=$cur (dockerd and its own containerd)"
        case $cur in '' | *[!0-9]*) echo "  TasksCurrent not counted here: $cur" >&2; return 1 ;; esac
        # a few tasks above what runs: dockerd itself still works, a container start does not
        max=$((cur + 3))
        printf '[Service]\nTasksMax=%s\n' "$max" >"$IT_UNIT_DIR/docker.service.d/10-test.conf"
        it_systemctl daemon-reload
        if it_docker run --rm "$IT_IMAGE" true >"$IT_DIR/run.out" 2>&1; then
                echo "  docker run worked with TasksMax=$max (TasksCurrent $cur)" >&2
                return 1
        fi
        it_log "docker run with TasksMax=$max: $(tr '\n' ' ' <"$IT_DIR/run.out" | cut -c1-300)"
        it_dockaudit audit --format json
        assert_eq fail "$(status_of tasksmax-low)" "tasksmax-low with TasksMax=$max" || return 1
        assert_match "^[0-9]+\|2 x " "$(fact unit.tasks_wanted)" "unit.tasks_wanted" || return 1

        it_dockaudit fix --yes
        [ "$IT_RC" = 0 ] || [ "$IT_RC" = 1 ] || { it__show_output; return 1; }
        assert_eq infinity "$(prop docker.service TasksMax)" "TasksMax after the fix (no restart)" || return 1
        # Under the low limit dockerd's own containerd may have died too (it could not make a
        # thread): dockerd starts it again by itself, within seconds. No restart of the unit.
        for i in $(seq 1 30); do
                it_docker run --rm "$IT_IMAGE" true >"$IT_DIR/run.out" 2>&1 && break
                [ "$i" = 30 ] && { echo "  docker run still fails after the fix: $(cat "$IT_DIR/run.out")" >&2; return 1; }
                sleep 1
        done
        it_log "docker run works after the fix (attempt $i)"
        it_dockaudit audit --format json
        assert_eq pass "$(status_of tasksmax-low)" "tasksmax-low after the fix" || return 1
        it_stop_docker
}

# limits_of PID: "SOFT HARD" open files of a process.
limits_of() {
        awk '/^Max open files/ { print $4, $5 }' "/proc/$1/limits"
}

t_limitnofile_real_dockerd() {
        local n cap pid
        it_stop_docker # whatever the last case left running
        install_harness_unit "$(printf '[Service]\nLimitNOFILE=infinity')" || return 1
        it_start_docker || return 1
        it_docker image inspect "$IT_IMAGE" >/dev/null 2>&1 || it_import_busybox || return 1
        # The manager cannot give more than its own hard limit here (no CAP_SYS_RESOURCE in
        # this sandbox): infinity becomes that cap, on a host's PID 1 fs.nr_open.
        cap=$(limits_of "$IT_SYSTEMD_PID" | cut -d' ' -f2)
        pid=$(prop docker.service MainPID)
        it_log "manager's hard limit $cap; dockerd (pid $pid): $(limits_of "$pid")"
        n=$(it_docker run --rm "$IT_IMAGE" sh -c 'ulimit -n; ulimit -Hn' | tr '\n' ' ')
        assert_eq "$(limits_of "$pid") " "$n" "a container inherits dockerd's limits" || return 1
        [ "${n%% *}" -gt 1024 ] || { echo "  soft limit $n is not above 1024" >&2; return 1; }
        raised audit --format json
        assert_eq fail "$(status_of limitnofile-infinity)" "limitnofile-infinity" || return 1
        raised fix --yes --restart
        [ "$IT_RC" = 0 ] || [ "$IT_RC" = 1 ] || { it__show_output; return 1; }
        assert_match "Restarted docker.service" "$IT_STDOUT_TEXT" "fix --restart" || return 1
        it_wait_docker 60 || return 1
        pid=$(prop docker.service MainPID)
        # dockerd (Go >= 1.19) raises its own soft limit to the hard one: compare the hard limit
        assert_eq "$((cap < 524288 ? cap : 524288))" "$(limits_of "$pid" | cut -d' ' -f2)" \
                "dockerd's hard limit after the fix" || return 1
        # Containers inherit dockerd's limits through the containerd dockerd runs: dockerd
        # 20.10 (Go 1.19) raises its soft limit to the hard one and its children keep that.
        # Here the sandbox cap ($cap) is below 524288, so before and after look alike; on a
        # host, infinity was fs.nr_open (2^30 with systemd >= 240) and is 524288 now.
        it_systemctl kill --kill-who=all -s KILL docker.service
        it_start_docker || return 1
        pid=$(prop docker.service MainPID)
        n=$(it_docker run --rm "$IT_IMAGE" sh -c 'ulimit -n; ulimit -Hn' | tr '\n' ' ')
        assert_eq "$(limits_of "$pid") " "$n" "a container inherits dockerd's limits after the fix" || return 1
        n=${n#* }
        assert_eq "$((cap < 524288 ? cap : 524288))" "${n% }" "a container's hard limit after the fix" || return 1
        it_stop_docker
}

it_setup
nr_open_dockaudit
it_run "LimitNOFILE=infinity: docker-ce-packaging 20.10 + containerd v1.6.0, fix both" t_limitnofile_units
it_run "TasksMax: moby v1.11.2 under DefaultTasksMax=512, fix" t_tasksmax_default_512
it_run "TasksMax just above TasksCurrent: docker run fails, fix, it runs (real dockerd)" t_tasksmax_real_dockerd
it_run "LimitNOFILE=infinity reaches containers; after fix --restart 1024:524288 (real dockerd)" \
        t_limitnofile_real_dockerd
it_summary
