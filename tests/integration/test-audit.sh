#!/bin/bash
# SPDX-License-Identifier: MIT
# Integration tests of `dockaudit --user audit|facts` against a real systemd user manager,
# a private dbus-daemon and a real dockerd (see lib.sh for the isolation). Run by
# `make check` with DOCKAUDIT, top_srcdir and top_builddir set; as root. Prints
# "ok N - NAME" / "not ok N - NAME" and "P passed, F failed". Exit: 0 all passed, 1 a
# scenario failed, 99 the harness could not run (never 77: nothing here is optional).
srcdir=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$srcdir/../.." && pwd)}
. "$srcdir/lib.sh"

it_require_dockaudit

UNITS=$srcdir/units
ENV_FILE_TEMPLATE=$UNITS/etc-default-docker
RULE_SLAVE=mountflags-slave-with-live-restore

# reset_config: no env file, an empty daemon.json.
reset_config() {
        rm -f "$IT_DIR/etc/default/docker"
        echo '{}' >"$IT_DAEMON_JSON"
}

# rule_expr ID JQ: a jq program applying JQ to the result of rule ID in the last report.
rule_expr() {
        printf '.results[] | select(.id == "%s") | %s' "$1" "$2"
}

# assert_report: the last stdout is a dockaudit-report/1 for the user docker.service whose
# summary.exit_status is the process exit status.
assert_report() {
        jq -e 'type == "object"' "$IT_STDOUT" >/dev/null 2>&1 ||
                { echo "  FAIL: stdout is not a JSON object" >&2; it__show_output; return 1; }
        assert_json '.schema' 'dockaudit-report/1' || return 1
        assert_json '.target.unit + " " + .target.scope' 'docker.service user' || return 1
        assert_json '.summary.exit_status' "$IT_RC" || return 1
}

# line_of FILE REGEX: number of the first line of FILE matching REGEX.
line_of() {
        grep -nE -- "$2" "$1" | head -n 1 | cut -d: -f1
}

# 1. The current upstream unit, running: nothing high fails.
t_upstream_running() {
        reset_config
        it_install_docker_unit "$UNITS/upstream.service" || return 1
        it_restart_docker || return 1
        it_dockaudit audit --format json
        assert_report || return 1
        [ "$IT_RC" = 0 ] || [ "$IT_RC" = 1 ] || { assert_rc "0 or 1"; return 1; }
        assert_json '.facts["unit.fragment_path"].value' "$IT_UNIT_DIR/docker.service" || return 1
        assert_json '.facts["unit.active_state"].value' active || return 1
        assert_json '.facts["unit.mount_flags"].value' '' || return 1
        assert_json '[.results[] | select(.severity == "high" and .status == "fail") | .id] | join(",")' '' ||
                return 1
}

# 2. MountFlags=slave in the fragment, --live-restore from $DOCKER_OPTS in an EnvironmentFile.
t_slave_envfile_live_restore() {
        local env=$IT_DIR/etc/default/docker line mfline
        reset_config
        cp "$ENV_FILE_TEMPLATE" "$env" || return 1
        echo 'DOCKER_OPTS="--live-restore"' >>"$env"
        line=$(wc -l <"$env")
        it_install_docker_unit "$UNITS/slave-envfile.service" || return 1
        it_restart_docker || return 1
        mfline=$(line_of "$IT_UNIT_DIR/docker.service" '^MountFlags=slave')
        it_dockaudit audit --format json
        assert_report || return 1
        assert_rc 1 || return 1
        assert_json "$(rule_expr $RULE_SLAVE .status)" fail || return 1
        assert_json "$(rule_expr $RULE_SLAVE '.evidence[] | select(.fact == "dockerd.live_restore") | .value')" true ||
                return 1
        assert_match "^$env:$line\b" \
                "$(jq -r "$(rule_expr $RULE_SLAVE '.evidence[] | select(.fact == "dockerd.live_restore") | .source')" "$IT_STDOUT")" \
                "source of dockerd.live_restore" || return 1
        assert_match "^$IT_UNIT_DIR/docker.service:$mfline\b" \
                "$(jq -r "$(rule_expr $RULE_SLAVE '.evidence[] | select(.fact == "unit.mount_flags") | .source')" "$IT_STDOUT")" \
                "source of unit.mount_flags" || return 1
}

# 3. MountFlags=slave in the fragment, live-restore only in daemon.json.
t_slave_daemon_json_live_restore() {
        reset_config
        printf '{\n  "live-restore": true\n}\n' >"$IT_DAEMON_JSON"
        it_install_docker_unit "$UNITS/slave-envfile.service" || return 1
        it_restart_docker || return 1
        it_dockaudit audit --format json
        assert_report || return 1
        assert_rc 1 || return 1
        assert_json "$(rule_expr $RULE_SLAVE .status)" fail || return 1
        assert_match "^$IT_DAEMON_JSON:2\b" \
                "$(jq -r "$(rule_expr $RULE_SLAVE '.evidence[] | select(.fact == "dockerd.live_restore") | .source')" "$IT_STDOUT")" \
                "source of dockerd.live_restore" || return 1
}

# 4. As 3, plus a drop-in 50-shared.conf with MountFlags=shared: the rule passes.
t_shared_dropin() {
        local dropin=$IT_UNIT_DIR/docker.service.d/50-shared.conf line
        reset_config
        printf '{\n  "live-restore": true\n}\n' >"$IT_DAEMON_JSON"
        it_install_docker_unit "$UNITS/slave-envfile.service" "$UNITS/50-shared.conf" || return 1
        it_restart_docker || return 1
        line=$(line_of "$dropin" '^MountFlags=shared')
        it_dockaudit audit --format json
        assert_report || return 1
        assert_json "$(rule_expr $RULE_SLAVE .status)" pass || return 1
        assert_json '.facts["unit.mount_flags"].value' shared || return 1
        assert_json "$(rule_expr $RULE_SLAVE '.evidence[] | select(.fact == "unit.mount_flags") | .value')" shared ||
                return 1
        assert_match "^$dropin:$line\b" \
                "$(jq -r "$(rule_expr $RULE_SLAVE '.evidence[] | select(.fact == "unit.mount_flags") | .source')" "$IT_STDOUT")" \
                "source of unit.mount_flags" || return 1
}

# 5. The unit file edited after it was loaded, no daemon-reload.
t_needs_daemon_reload() {
        reset_config
        it_install_docker_unit "$UNITS/upstream.service" || return 1
        it_restart_docker || return 1
        it_dockaudit audit --format json
        assert_json "$(rule_expr unit-needs-daemon-reload .status)" pass || return 1
        sleep 0.1
        echo '# edited by test-audit.sh, no daemon-reload' >>"$IT_UNIT_DIR/docker.service"
        it_dockaudit audit --format json
        assert_report || return 1
        assert_rc 1 || return 1
        assert_json '.facts["unit.need_daemon_reload"].value' true || return 1
        assert_json "$(rule_expr unit-needs-daemon-reload .status)" fail || return 1
}

# 5b. A new docker.service.d/ drop-in, no daemon-reload: systemd 252's NeedDaemonReload stays
#     false (its unit-path cache is stale); dockaudit compares the drop-ins on disk itself.
t_new_dropin_without_reload() {
        reset_config
        it_install_docker_unit "$UNITS/upstream.service" || return 1
        it_restart_docker || return 1
        mkdir -p "$IT_UNIT_DIR/docker.service.d"
        printf '[Service]\nMountFlags=slave\n' >"$IT_UNIT_DIR/docker.service.d/60-new.conf"
        it_dockaudit audit --format json
        assert_report || return 1
        assert_rc 1 || return 1
        assert_json '.facts["unit.changed_on_disk"].value' true || return 1
        assert_match "60-new.conf" "$(jq -r '.facts["unit.changed_on_disk"].source' "$IT_STDOUT")" \
                "source of unit.changed_on_disk" || return 1
        assert_json "$(rule_expr unit-needs-daemon-reload .status)" fail || return 1
        rm -rf "$IT_UNIT_DIR/docker.service.d"
        it_systemctl daemon-reload
}

# 6. A malformed daemon.json is bad input: the rule fails, the report is still written, the
#    exit status is 2 (could not audit dockerd's options) and the message gives LINE:COL.
t_daemon_json_invalid() {
        reset_config
        it_install_docker_unit "$UNITS/upstream.service" || return 1
        it_restart_docker || return 1
        # line 4: a ',' or '}' was expected before the third member, whose token spans
        # columns 3-16 (Python's json names column 3, the token's start; jq column 16)
        printf '{\n  "debug": true,\n  "log-level": "info"\n  "live-restore": true\n}\n' >"$IT_DAEMON_JSON"
        it_dockaudit audit --format json
        cp "$IT_STDOUT" "$IT_DIR/log/daemon-json-invalid.json"
        assert_report || return 1
        assert_rc 2 || return 1
        assert_json '.summary.exit_status' 2 || return 1
        assert_json '.problems | length' 1 || return 1
        assert_json '.facts["daemon_json.valid"].value' false || return 1
        assert_json '.facts["dockerd.live_restore"].known' false || return 1
        assert_json "$(rule_expr daemon-json-invalid .status)" fail || return 1
        assert_match '(^|[^0-9])4:(3|16)([^0-9]|$)' "$(jq -r "$(rule_expr daemon-json-invalid .message)" "$IT_STDOUT")" \
                "daemon-json-invalid message" || return 1
        it_dockaudit audit
        assert_rc 2 || return 1
        assert_match '(^|[^0-9])4:(3|16)([^0-9]|$)' "$IT_STDOUT_TEXT" "text report" || return 1
        reset_config
}

# 7. audit --facts FILE with an old RHEL 7.3 kernel release: kernel-leaks-mounts fails.
t_facts_file_old_kernel() {
        local facts=$IT_DIR/facts-el7.json
        reset_config
        it_install_docker_unit "$UNITS/upstream.service" || return 1
        it_restart_docker || return 1
        it_dockaudit facts --format json
        assert_rc 0 || return 1
        assert_json '.schema' 'dockaudit-facts/1' || return 1
        jq '.facts["kernel.release"].value = "3.10.0-514.el7.x86_64"
            | .facts |= with_entries(select((.key | startswith("kernel.") | not) or .key == "kernel.release"))' \
                "$IT_STDOUT" >"$facts" || { echo "  FAIL: jq could not rewrite the facts" >&2; return 1; }
        it_dockaudit audit --facts "$facts" --format json
        assert_report || return 1
        assert_rc 1 || return 1
        assert_json '.facts["kernel.release"].value' '3.10.0-514.el7.x86_64' || return 1
        assert_json '.facts["kernel.leaks_mounts"].value' true || return 1
        assert_json "$(rule_expr kernel-leaks-mounts .status)" fail || return 1
}

# 8. No session bus and no manager socket: exit 2 with a message saying what was tried.
t_no_bus() {
        mkdir -p "$IT_DIR/empty-run"
        chmod 700 "$IT_DIR/empty-run"
        IT_DOCKAUDIT_ENV="DBUS_SESSION_BUS_ADDRESS=unix:path=$IT_DIR/no-such-bus XDG_RUNTIME_DIR=$IT_DIR/empty-run" \
                it_dockaudit audit --format json
        assert_rc 2 || return 1
        assert_match "no-such-bus" "$IT_STDERR_TEXT" "stderr names the bus address" || return 1
        assert_match "cannot reach" "$IT_STDERR_TEXT" "stderr" || return 1
}

# 9. Session bus gone but the manager's private socket there: the audit still works.
t_private_socket_fallback() {
        reset_config
        it_install_docker_unit "$UNITS/upstream.service" || return 1
        IT_DOCKAUDIT_ENV="DBUS_SESSION_BUS_ADDRESS=unix:path=$IT_DIR/no-such-bus" it_dockaudit audit --format json
        assert_report || return 1
        assert_json '.facts["unit.fragment_path"].value' "$IT_UNIT_DIR/docker.service" || return 1
}

it_setup
it_run "upstream unit running: no high finding" t_upstream_running
it_run "MountFlags=slave + --live-restore from EnvironmentFile" t_slave_envfile_live_restore
it_run "MountFlags=slave + live-restore in daemon.json" t_slave_daemon_json_live_restore
it_run "drop-in MountFlags=shared fixes it" t_shared_dropin
it_run "unit edited without daemon-reload" t_needs_daemon_reload
it_run "new drop-in directory without daemon-reload" t_new_dropin_without_reload
it_run "malformed daemon.json" t_daemon_json_invalid
it_run "audit --facts with a RHEL 7.3 kernel" t_facts_file_old_kernel
it_run "no bus, no private socket: exit 2" t_no_bus
it_run "no bus, private socket: audit works" t_private_socket_fallback
it_summary
