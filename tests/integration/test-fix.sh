#!/bin/bash
# SPDX-License-Identifier: MIT
# Integration tests of `dockaudit --user fix` against a real systemd user manager, a private
# dbus-daemon and a real dockerd (see lib.sh for the isolation). Run by `make check` with
# DOCKAUDIT, top_srcdir and top_builddir set; as root. Prints "ok N - NAME" /
# "not ok N - NAME" and "P passed, F failed". Exit: 0 all passed, 1 a scenario failed, 99
# the harness could not run (never 77: nothing here is optional).
srcdir=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$srcdir/../.." && pwd)}
. "$srcdir/lib.sh"

it_require_dockaudit
SHIPPED_RULES=$IT_RULES_DIR
for t in script sha256sum setpriv; do
        command -v "$t" >/dev/null || it_hard_error "'$t' not found (util-linux, coreutils)"
done

UNITS=$srcdir/units
ENV_FILE_TEMPLATE=$UNITS/etc-default-docker

# The drop-in the fixer writes, and the one the tests compare with after a complete run.
dropin() {
        echo "$IT_UNIT_DIR/docker.service.d/50-dockaudit.conf"
}

# slave_live_restore: the v1.11.2 unit (MountFlags=slave) with --live-restore from the
# EnvironmentFile, no drop-in, an empty daemon.json; dockerd (re)started with it.
slave_live_restore() {
        IT_RULES_DIR=$SHIPPED_RULES
        echo '{}' >"$IT_DAEMON_JSON"
        cp "$ENV_FILE_TEMPLATE" "$IT_DIR/etc/default/docker" || return 1
        echo 'DOCKER_OPTS="--live-restore"' >>"$IT_DIR/etc/default/docker"
        it_install_docker_unit "$UNITS/slave-envfile.service" || return 1
        it_restart_docker
}

# dockerd_pid / dockerd_mnt / manager_mnt
dockerd_pid() {
        it_systemctl show -p MainPID --value docker.service
}
dockerd_mnt() {
        readlink "/proc/$(dockerd_pid)/ns/mnt"
}
manager_mnt() {
        readlink "/proc/$IT_SYSTEMD_PID/ns/mnt"
}

# reload_count: how many times the manager has reloaded (it logs to systemd.log).
reload_count() {
        grep -c 'Reloading' "$IT_DIR/log/systemd.log"
}

# checksums: of every file the fixer could write (unit dir, daemon.json dir).
checksums() {
        find "$IT_UNIT_DIR" "$IT_CONFIG_HOME/docker" -type f -o -type l | sort | xargs -r sha256sum
        find "$IT_UNIT_DIR" "$IT_CONFIG_HOME/docker" | sort
}

# no_temp_files: none of the fixer's temp files (".#NAME.dockaudit-XXXXXX") anywhere it writes.
no_temp_files() {
        local t
        t=$(find "$IT_UNIT_DIR" "$IT_CONFIG_HOME/docker" -name '.#*')
        [ -z "$t" ] && return 0
        printf '  FAIL: temp files left behind: %s\n' "$t" >&2
        return 1
}

# rules_with RULEFILE...: a rules dir with the shipped rules plus the given rule files
# (written by the caller in $IT_DIR/extra-rules); sets IT_RULES_DIR.
rules_with() {
        local d=$IT_DIR/rules-$1
        rm -rf "$d"
        mkdir -p "$d"
        cp "$SHIPPED_RULES"/*.rule "$d/" || return 1
        IT_RULES_DIR=$d
}

# 1. The failure, then the fix: MountFlags=slave + live-restore breaks docker exec after a
# restart; fix --yes --restart loads MountFlags=shared, dockerd joins the manager's mount
# namespace, a new container survives two restarts with docker exec working.
t_reproduce_and_fix() {
        local pid_before mf out
        slave_live_restore || return 1
        it_docker image inspect "$IT_IMAGE" >/dev/null 2>&1 || it_import_busybox || return 1
        it_docker rm -f before after >/dev/null 2>&1
        it_docker run -d --name before "$IT_IMAGE" sleep 100000 >/dev/null || return 1
        it_docker exec before true || { echo "  FAIL: exec before the restart" >&2; return 1; }
        it_restart_docker || return 1
        if it_docker exec before true 2>"$IT_DIR/exec.err"; then
                echo "  FAIL: docker exec worked after a restart with MountFlags=slave + live-restore" >&2
                return 1
        fi
        it_log "reproduced: $(head -n 1 "$IT_DIR/exec.err")"
        [ "$(dockerd_mnt)" != "$(manager_mnt)" ] || { echo "  FAIL: dockerd not in a namespace of its own" >&2; return 1; }

        pid_before=$(dockerd_pid)
        it_dockaudit fix --yes --restart
        sed 's/^/#   | /' "$IT_STDOUT" "$IT_STDERR" >&2
        assert_rc 0 || return 1
        out=$IT_STDOUT_TEXT
        assert_match 'mountflags-slave-with-live-restore' "$out" "plan names the rule" || return 1
        assert_match 'Containers to recreate:' "$out" "container warning" || return 1
        assert_match '\bbefore\b' "$out" "the running container is listed" || return 1
        assert_match 'recreate' "$out" "says they must be recreated" || return 1
        assert_match 'Restarted docker.service \(job result: done\)' "$out" "restart reported" || return 1
        assert_match 'mountflags-slave-with-live-restore +high +fail -> pass' "$out" "before/after" || return 1
        [ -f "$(dropin)" ] || { echo "  FAIL: no drop-in $(dropin)" >&2; return 1; }
        assert_match '^MountFlags=shared$' "$(cat "$(dropin)")" "drop-in content" || return 1
        mf=$(it_systemctl show -p MountFlags --value docker.service)
        assert_eq shared "$mf" "loaded MountFlags" || return 1
        [ "$(dockerd_pid)" != "$pid_before" ] || { echo "  FAIL: dockerd was not restarted" >&2; return 1; }
        assert_eq "$(manager_mnt)" "$(dockerd_mnt)" "dockerd's mount namespace" || return 1
        no_temp_files || return 1

        it_docker run -d --name after "$IT_IMAGE" sleep 100000 >/dev/null || return 1
        for i in 1 2; do
                it_restart_docker || return 1
                it_docker exec after true || { echo "  FAIL: docker exec after restart $i" >&2; return 1; }
        done
        it_dockaudit audit --format json
        assert_rc 0 || return 1
        assert_json '[.results[] | select(.status == "fail") | .id] | join(",")' '' || return 1
        it_docker rm -f before after >/dev/null 2>&1
        return 0
}

# 2. Idempotent: on the fixed host a second run writes nothing, reloads nothing, restarts
# nothing and exits 0.
t_idempotent() {
        local sums reloads pid
        [ -f "$(dropin)" ] || { echo "  FAIL: needs the fixed host of test 1" >&2; return 1; }
        sums=$(checksums)
        reloads=$(reload_count)
        pid=$(dockerd_pid)
        it_dockaudit fix --yes --restart
        assert_rc 0 || return 1
        assert_match 'Nothing to change' "$IT_STDOUT_TEXT" || return 1
        assert_eq "$sums" "$(checksums)" "files" || return 1
        assert_eq "$reloads" "$(reload_count)" "manager reloads" || return 1
        assert_eq "$pid" "$(dockerd_pid)" "dockerd pid" || return 1
        it_dockaudit fix --dry-run
        assert_rc 0 || return 1
}

# 3. --dry-run prints the plan and the diff, writes nothing, exits 1.
t_dry_run() {
        local sums reloads
        slave_live_restore || return 1
        sums=$(checksums)
        reloads=$(reload_count)
        it_dockaudit fix --dry-run
        assert_rc 1 || return 1
        assert_match '^\+\+\+ .*50-dockaudit.conf' "$IT_STDOUT_TEXT" "diff header" || return 1
        assert_match '^--- /dev/null' "$IT_STDOUT_TEXT" "new file" || return 1
        assert_match '^\+MountFlags=shared$' "$IT_STDOUT_TEXT" "diff line" || return 1
        assert_match 'restart' "$IT_STDOUT_TEXT" || return 1
        assert_eq "$sums" "$(checksums)" "files after --dry-run" || return 1
        assert_eq "$reloads" "$(reload_count)" "manager reloads" || return 1
        [ ! -e "$(dropin)" ] || { echo "  FAIL: drop-in written by --dry-run" >&2; return 1; }
}

# 4. No tty and no --yes: refuse with exit 2, naming --yes and --dry-run; write nothing.
t_no_tty_refused() {
        local sums
        slave_live_restore || return 1
        sums=$(checksums)
        it_dockaudit fix </dev/null
        assert_rc 2 || return 1
        assert_match -- '--yes' "$IT_STDERR_TEXT" || return 1
        assert_match -- '--dry-run' "$IT_STDERR_TEXT" || return 1
        assert_eq "$sums" "$(checksums)" "files" || return 1
}

# 5. Not root on the system manager: refused before anything is read or written.
t_not_root_refused() {
        env -i $(it_env) setpriv --reuid=65534 --regid=65534 --clear-groups \
                timeout 60 "$DOCKAUDIT" --rules-dir "$SHIPPED_RULES" fix --yes >"$IT_OUT/stdout" 2>"$IT_OUT/stderr"
        IT_RC=$? IT_STDERR=$IT_OUT/stderr IT_STDOUT=$IT_OUT/stdout
        assert_rc 2 || return 1
        assert_match 'needs root' "$(cat "$IT_OUT/stderr")" || return 1
}

# run_on_tty ANSWERS ARGS...: dockaudit on a pseudo-terminal (script(1)), ANSWERS typed in.
run_on_tty() {
        local answers=$1
        shift
        printf '%b' "$answers" | env -i $(it_env) TERM=dumb timeout 120 script -qec \
                "$DOCKAUDIT --user --rules-dir $IT_RULES_DIR $*" /dev/null >"$IT_OUT/stdout" 2>"$IT_OUT/stderr"
        IT_RC=$?
        IT_STDOUT=$IT_OUT/stdout IT_STDERR=$IT_OUT/stderr
        IT_STDOUT_TEXT=$(tr -d '\r' <"$IT_STDOUT")
}

# 6. The prompt: shows the diff and asks; 'q' writes nothing, 'y' applies.
t_prompt() {
        local sums
        slave_live_restore || return 1
        sums=$(checksums)
        run_on_tty 'q\n' fix
        assert_match '\[y\]es/\[n\]o/\[a\]ll/\[q\]uit/\[\?\]' "$IT_STDOUT_TEXT" "prompt" || return 1
        assert_match '^\+MountFlags=shared' "$IT_STDOUT_TEXT" "diff shown" || return 1
        assert_eq "$sums" "$(checksums)" "files after q" || return 1
        run_on_tty '?\ny\n' fix
        sed 's/^/#   | /' "$IT_STDOUT" >&2
        assert_match 'a - yes to this one and all the following ones' "$IT_STDOUT_TEXT" "help" || return 1
        assert_match '^MountFlags=shared$' "$(cat "$(dropin)" 2>/dev/null)" "drop-in after y" || return 1
        assert_eq shared "$(it_systemctl show -p MountFlags --value docker.service)" "loaded MountFlags" || return 1
        assert_match 'next restart' "$IT_STDOUT_TEXT" "restart pending message" || return 1
}

# 7. A daemon.json edit keeps the other keys and their order, and backs the file up.
t_daemon_json_keeps_keys() {
        local before after
        rules_with dj || return 1
        cat >"$IT_RULES_DIR/it-live-restore-off.rule" <<'EOF'
# test rule: wants live-restore off through daemon.json
[rule]
id = it-live-restore-off
title = test: live-restore must be off
severity = medium
when = dockerd.live_restore
message = live-restore is on (${dockerd.live_restore@source})

[fix]
when = !("live-restore" in dockerd.flags)
daemon-json = live-restore=false
restart = no
EOF
        rm -f "$IT_DIR/etc/default/docker"
        # log-opts with a max-size: log-size-unbounded (shipped) has nothing to add
        printf '{\n  "log-level": "info",\n  "live-restore": true,\n  "max-concurrent-downloads": 3,\n  "log-opts": {"max-size": "10m"}\n}\n' \
                >"$IT_DAEMON_JSON"
        before=$(cat "$IT_DAEMON_JSON")
        it_install_docker_unit "$UNITS/upstream.service" || return 1
        it_restart_docker || return 1
        it_dockaudit fix --yes
        assert_rc 0 || return 1
        assert_eq 'log-level live-restore max-concurrent-downloads log-opts' \
                "$(jq -r 'keys_unsorted | join(" ")' "$IT_DAEMON_JSON")" "keys and order" || return 1
        assert_eq 'false info 3' \
                "$(jq -r '"\(.["live-restore"]) \(.["log-level"]) \(.["max-concurrent-downloads"])"' "$IT_DAEMON_JSON")" \
                "values" || return 1
        after=$(find "$IT_CONFIG_HOME/docker" -maxdepth 1 -type f ! -name daemon.json ! -name '.#*' | head -n 1)
        [ -n "$after" ] || { echo "  FAIL: no backup beside daemon.json" >&2; return 1; }
        assert_eq "$before" "$(cat "$after")" "backup content" || return 1
        no_temp_files || return 1
        # and a second run changes nothing
        after=$(checksums)
        it_dockaudit fix --yes
        assert_rc 0 || return 1
        assert_eq "$after" "$(checksums)" "files after the second run" || return 1
}

# 8. Two rules wanting different values for one key: refused, nothing written.
t_conflict_refused() {
        local sums
        slave_live_restore || return 1
        rules_with conflict || return 1
        cat >"$IT_RULES_DIR/it-want-private.rule" <<'EOF'
# test rule: wants MountFlags=private (conflicts with the shipped rules' shared)
[rule]
id = it-want-private
title = test: MountFlags must be private
severity = low
when = unit.mount_flags == "slave"
message = slave

[fix]
dropin = Service.MountFlags=private
EOF
        sums=$(checksums)
        it_dockaudit fix --yes
        assert_rc 2 || return 1
        assert_match 'conflicting' "$IT_STDERR_TEXT" || return 1
        assert_match 'it-want-private' "$IT_STDERR_TEXT" || return 1
        assert_match 'mountflags-slave-' "$IT_STDERR_TEXT" || return 1
        assert_eq "$sums" "$(checksums)" "files" || return 1
        IT_RULES_DIR=$SHIPPED_RULES
}

# 9. The drop-in is a symlink: refused, the link and its target untouched.
t_symlink_refused() {
        local sums
        slave_live_restore || return 1
        mkdir -p "$IT_UNIT_DIR/docker.service.d"
        printf '# the real file\n' >"$IT_DIR/elsewhere.conf"
        ln -s "$IT_DIR/elsewhere.conf" "$(dropin)"
        it_systemctl daemon-reload
        sums=$(checksums; sha256sum "$IT_DIR/elsewhere.conf")
        it_dockaudit fix --yes
        assert_rc 2 || return 1
        assert_match 'symbolic link' "$IT_STDERR_TEXT" || return 1
        [ -L "$(dropin)" ] || { echo "  FAIL: the symlink was replaced" >&2; return 1; }
        assert_eq "$sums" "$(checksums; sha256sum "$IT_DIR/elsewhere.conf")" "files" || return 1
        rm -f "$(dropin)"
        it_systemctl daemon-reload
}

# 10. --no-reload (image builds): the drop-in is written, the manager is not reloaded.
t_no_reload() {
        local reloads
        slave_live_restore || return 1
        reloads=$(reload_count)
        it_dockaudit fix --yes --no-reload
        assert_rc 1 || return 1
        assert_match '^MountFlags=shared$' "$(cat "$(dropin)" 2>/dev/null)" "drop-in" || return 1
        assert_eq "$reloads" "$(reload_count)" "manager reloads" || return 1
        assert_eq slave "$(it_systemctl show -p MountFlags --value docker.service)" "loaded MountFlags" || return 1
        assert_match 'daemon-reload' "$IT_STDOUT_TEXT" "says a reload is needed" || return 1
        it_log "NeedDaemonReload=$(it_systemctl show -p NeedDaemonReload --value docker.service) after the write"
        # a later run without --no-reload only reloads (the file is already right)
        it_dockaudit fix --yes
        assert_match 'Reloaded the user service manager' "$IT_STDOUT_TEXT" || return 1
        assert_eq shared "$(it_systemctl show -p MountFlags --value docker.service)" "loaded MountFlags" || return 1
}

# 11. kill -9 at varying moments of a fix (50 times): the drop-in is either absent or
# complete, never partial, and no temp file survives the next run.
t_kill_loop() {
        local i pid delay good expected written=0 absent=0 t0 t1 span t
        slave_live_restore || return 1
        it_dockaudit fix --yes
        [ "$IT_RC" = 0 ] || [ "$IT_RC" = 1 ] || { assert_rc "0 or 1"; return 1; }
        expected=$(sha256sum <"$(dropin)")
        # How long one run takes, to spread the kills over it: the fastest of three, since
        # other suites share the machine (make -j).
        span=
        for i in 1 2 3; do
                rm -f "$(dropin)"
                it_systemctl daemon-reload
                t0=$(date +%s%N)
                it_dockaudit fix --yes
                t1=$(date +%s%N)
                t=$(((t1 - t0) / 1000000 + 50))
                it_log "calibration run $i: $((t - 50)) ms, exit status $IT_RC"
                [ -n "$span" ] && [ "$span" -le "$t" ] || span=$t
        done
        it_log "one fix run takes about $((span - 50)) ms"
        # 50 kills spread over [0, span]; if they all landed on one side of the write (the
        # machine got faster or slower), up to two more rounds of 25 over a rescaled span.
        local round=0 kills=50 total=0
        while :; do
                for i in $(seq "$kills"); do
                        rm -f "$(dropin)"
                        it_systemctl daemon-reload
                        env -i $(it_env) "$DOCKAUDIT" --user --rules-dir "$IT_RULES_DIR" fix --yes >/dev/null 2>&1 &
                        pid=$!
                        delay=$((span * i / kills))
                        sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
                        kill -KILL "$pid" 2>/dev/null
                        wait "$pid" 2>/dev/null
                        total=$((total + 1))
                        if [ -e "$(dropin)" ]; then
                                good=$(sha256sum <"$(dropin)")
                                [ "$good" = "$expected" ] || {
                                        echo "  FAIL: kill $total after ${delay} ms left a partial drop-in:" >&2
                                        cat "$(dropin)" >&2
                                        return 1
                                }
                                written=$((written + 1))
                        else
                                absent=$((absent + 1))
                        fi
                        t=$(find "$IT_UNIT_DIR" -name '.#*')
                        [ -z "$t" ] || it_log "kill $total after ${delay} ms: temp file $t (the next run removes it)"
                done
                [ "$written" -gt 0 ] && [ "$absent" -gt 0 ] && break
                round=$((round + 1))
                [ "$round" -le 2 ] || break
                if [ "$absent" = 0 ]; then span=$((span / 3 + 1)); else span=$((span * 3)); fi
                kills=25
                it_log "all kills on one side of the write: another round over $span ms"
        done
        it_log "after $total kills: drop-in complete $written times, absent $absent times"
        [ "$written" -gt 0 ] && [ "$absent" -gt 0 ] ||
                { echo "  FAIL: the kills did not land both before and after the write" >&2; return 1; }
        it_dockaudit fix --yes
        [ "$IT_RC" = 0 ] || [ "$IT_RC" = 1 ] || { assert_rc "0 or 1"; return 1; }
        assert_eq "$expected" "$(sha256sum <"$(dropin)")" "drop-in after a complete run" || return 1
        no_temp_files || return 1
}

# frozen_fix manager|dockerd: fix --yes --timeout 2 with that process stopped, from the
# unfixed host: exit 2 within 3 s, the timeout named on stderr, nothing written, no reload.
frozen_fix() {
        local sums reloads pid
        slave_live_restore || return 1
        sums=$(checksums)
        reloads=$(reload_count)
        if [ "$1" = manager ]; then pid=$IT_SYSTEMD_PID; else pid=$(dockerd_pid); fi
        [ "${pid:-0}" -gt 0 ] || { echo "  FAIL: no $1 pid" >&2; return 1; }
        it_frozen "$pid" it_dockaudit fix --yes --timeout 2
        sed 's/^/#   | /' "$IT_STDERR" >&2
        assert_rc 2 || return 1
        it_secs_below 3 || return 1
        assert_match 'timed out after 2 s \(--timeout\)' "$IT_STDERR_TEXT" "stderr names the timeout" || return 1
        assert_match 'nothing changed' "$IT_STDERR_TEXT" "stderr" || return 1
        assert_eq "$sums" "$(checksums)" "files" || return 1
        assert_eq "$reloads" "$(reload_count)" "manager reloads" || return 1
        no_temp_files
}

# 12. --timeout: the manager stopped (its bus accepts, it never answers): the collection
# gives up at the deadline, the plan is never made.
t_timeout_manager() {
        frozen_fix manager
}

# 13. --timeout: dockerd stopped (its socket accepts, it never answers).
t_timeout_dockerd() {
        frozen_fix dockerd || return 1
        assert_match 'Docker API' "$IT_STDERR_TEXT" "stderr names the Docker API"
}

# 14. --timeout after the write: the manager is stopped the moment the drop-in appears, so
# connecting or the Reload (whichever it catches) times out: exit 2 within the deadline,
# the drop-in whole, the message says it is written and what to run.
t_timeout_after_write() {
        local watcher expected t0 secs
        slave_live_restore || return 1
        it_dockaudit fix --yes --dry-run
        expected=$(sed -n 's/^+\(MountFlags=.*\)$/\1/p' "$IT_STDOUT")
        [ -n "$expected" ] || { echo "  FAIL: no MountFlags line in the plan" >&2; return 1; }
        IT_FROZEN="$IT_FROZEN $IT_SYSTEMD_PID" # it_teardown continues it
        ( while [ ! -e "$(dropin)" ]; do :; done; kill -STOP "$IT_SYSTEMD_PID" ) &
        watcher=$!
        t0=$EPOCHREALTIME
        it_dockaudit fix --yes --timeout 2
        secs=$(echo "$t0 $EPOCHREALTIME" | awk '{ printf "%.2f", $2 - $1 }')
        kill "$watcher" 2>/dev/null
        wait "$watcher" 2>/dev/null
        kill -CONT "$IT_SYSTEMD_PID"
        IT_FROZEN=${IT_FROZEN% $IT_SYSTEMD_PID}
        it_log "fix with the manager stopped after the write: $secs s"
        sed 's/^/#   | /' "$IT_STDERR" >&2
        assert_rc 2 || return 1
        # the collection before the write had its own 2 s; after it, 2 s more at most
        IT_SECS=$secs
        it_secs_below 5 || return 1
        assert_match 'the files are written, not yet loaded: systemctl --user daemon-reload' "$IT_STDERR_TEXT" \
                "stderr" || return 1
        assert_match "Created $(dropin)" "$IT_STDOUT_TEXT" "stdout" || return 1
        assert_match "^$expected\$" "$(cat "$(dropin)")" "the drop-in, whole" || return 1
        no_temp_files || return 1
        # the manager, continued, loads it on the next reload
        it_systemctl daemon-reload
        assert_eq "${expected#MountFlags=}" "$(it_systemctl show -p MountFlags --value docker.service)" "loaded MountFlags"
}

it_setup
it_run "reproduce slave + live-restore, fix --yes --restart" t_reproduce_and_fix
it_run "second run: no write, no reload, exit 0" t_idempotent
it_run "--dry-run writes nothing, exit 1" t_dry_run
it_run "no tty, no --yes: refused" t_no_tty_refused
it_run "not root on the system manager: refused" t_not_root_refused
it_run "prompt on a tty: q writes nothing, y applies" t_prompt
it_run "daemon.json edit keeps the other keys" t_daemon_json_keeps_keys
it_run "conflicting plan refused" t_conflict_refused
it_run "symlinked drop-in refused" t_symlink_refused
it_run "--no-reload writes but does not reload" t_no_reload
it_run "kill -9 during fix: never a partial or temp file" t_kill_loop
it_run "--timeout 2, manager stopped: exit 2 after 2 s, nothing written" t_timeout_manager
it_run "--timeout 2, dockerd stopped: exit 2 after 2 s, nothing written" t_timeout_dockerd
it_run "--timeout 2, manager stopped after the write: exit 2, the drop-in whole and named" t_timeout_after_write
it_summary
