#!/bin/bash
# SPDX-License-Identifier: MIT
# The Ansible role (contrib/ansible) with real ansible-playbook (Debian's ansible-core) against
# a fleet of three hosts, each a real systemd user manager (its own dbus-daemon, runtime dir,
# HOME, cgroup and mount namespace, as lib.sh's it_setup) with its own docker.service,
# loaded but not started (the unit rules need no dockerd):
#   alpha  MountFlags=slave drop-in, live-restore in daemon.json  (mountflags-slave-with-live-restore)
#   beta   clean
#   gamma  MountFlags=private drop-in, no live-restore            (mountflags-slave-on-fixed-kernel)
# Each host is its own UTS namespace whose hostname is its inventory name: Ansible reaches it
# with connection=local and a python interpreter that enters that namespace (nsenter --uts),
# so dockaudit reports the host's own name. The playbook installs the built dockaudit and the
# rules (dockaudit_binary, dockaudit_rules_dir) under each host's directory, audits, fetches
# the reports, summarizes on the controller and fails by severity. Then: check mode (fix
# --dry-run) reports changed on alpha and gamma and writes nothing; the fix run changes exactly
# alpha and gamma and leaves a clean fleet; a second fix run changes nothing.
srcdir=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$srcdir/../.." && pwd)}
. "$srcdir/lib.sh"

it_require_dockaudit
it_require_tools
# Ansible resolves relative paths against the role: make them absolute.
top_srcdir=$(cd "$top_srcdir" && pwd)
IT_RULES_DIR=$(cd "$IT_RULES_DIR" && pwd)
for t in ansible-playbook nsenter hostname xmllint chromium; do
        command -v "$t" >/dev/null || it_hard_error "'$t' not found (autogen.sh installs ansible-core, chromium)"
done
it__one_suite_at_a_time
HOSTS="alpha beta gamma"
ROLE_DIR=$top_srcdir/contrib/ansible

# The harness's layout and traps (it_setup's, without its manager: each host has its own).
trap 'rc=$?; fleet_stop; (exit $rc); it_teardown' EXIT
trap 'it_log "interrupted"; exit 130' INT
trap 'it_log "terminated"; exit 143' TERM
IT_DIR=$(mktemp -d /tmp/dockaudit-it.XXXXXX) || it_hard_error "mktemp failed"
IT_TAG=${IT_DIR##*/}
IT_OUT=$IT_DIR/out
chmod 755 "$IT_DIR"
mkdir -p "$IT_OUT" "$IT_DIR/log" "$IT_DIR/controller" || it_hard_error "mkdir in $IT_DIR"
it_log "IT_DIR=$IT_DIR"

# host_use NAME: point lib.sh's variables (it_env, it_systemctl, it_install_docker_unit) at
# host NAME.
host_use() {
        local h=$IT_DIR/hosts/$1
        IT_RUNTIME_DIR=$h/run
        HOME_DIR=$h/home
        IT_CONFIG_HOME=$HOME_DIR/.config
        IT_UNIT_DIR=$IT_CONFIG_HOME/systemd/user
        IT_DAEMON_JSON=$IT_CONFIG_HOME/docker/daemon.json
        IT_DOCKER_SOCK=$h/docker.sock
        eval "IT_SYSTEMD_PID=\${PID_$1:-}"
}

# host_start NAME: a systemd user manager for host NAME, in its own UTS namespace (hostname
# NAME), mount namespace and cgroup, with its private session bus (as it_setup).
host_start() {
        local name=$1 i pid
        host_use "$name"
        mkdir -p "$IT_RUNTIME_DIR" "$IT_UNIT_DIR" "$IT_CONFIG_HOME/docker" "$IT_DIR/hosts/$name/etc/docker" ||
                return 1
        chmod 700 "$IT_RUNTIME_DIR"
        cat >"$IT_DIR/hosts/$name/dbus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$IT_RUNTIME_DIR/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
        printf '[Unit]\nDescription=%s session bus socket\n[Socket]\nListenStream=%%t/bus\n' "$name" \
                >"$IT_UNIT_DIR/dbus.socket"
        printf '[Unit]\nRequires=dbus.socket\n[Service]\nType=notify\nNotifyAccess=main\nExecStart=/usr/bin/dbus-daemon --config-file=%s --address=systemd: --nofork --nopidfile\n' \
                "$IT_DIR/hosts/$name/dbus.conf" >"$IT_UNIT_DIR/dbus.service"
        printf '[Unit]\nDescription=dockaudit-it %s\nWants=dbus.socket dbus.service\n' "$name" \
                >"$IT_UNIT_DIR/dockaudit-it.target"
        (
                IT_TAG=$IT_TAG-$name
                it__cg_enter || exit 1
                exec env -i $(it_env) SYSTEMD_LOG_TARGET=console SYSTEMD_LOG_LEVEL=info \
                        unshare --mount --uts --propagation private -- sh -c \
                        'hostname "$2" && mount -n -t tmpfs -o mode=755 tmpfs /run && mkdir -p /run/systemd/system &&
                         mount -n --bind "$1" /etc/docker &&
                         exec "$0" --user --unit=dockaudit-it.target \
                                --default-standard-output=inherit --default-standard-error=inherit' \
                        "$IT_SYSTEMD" "$IT_DIR/hosts/$name/etc/docker" "$name"
        ) </dev/null >>"$IT_DIR/log/systemd-$name.log" 2>&1 &
        pid=$!
        eval "PID_$name=$pid"
        IT_SYSTEMD_PID=$pid
        for i in $(seq 200); do
                kill -0 "$pid" 2>/dev/null || { cat "$IT_DIR/log/systemd-$name.log" >&2; return 1; }
                env -i $(it_env) timeout 5 busctl --user --no-pager status org.freedesktop.systemd1 >/dev/null 2>&1 &&
                        break
                sleep 0.1
        done
        [ "$i" -lt 200 ] || { tail -n 30 "$IT_DIR/log/systemd-$name.log" >&2; return 1; }
        [ "$(nsenter --uts --target "$pid" hostname)" = "$name" ] || return 1
        # Ansible's python for this host runs in its UTS namespace: dockaudit sees its hostname.
        printf '#!/bin/sh\nexec nsenter --uts --target %s -- /usr/bin/python3 "$@"\n' "$pid" \
                >"$IT_DIR/hosts/$name/python"
        chmod 755 "$IT_DIR/hosts/$name/python"
        it_log "host $name: systemd --user pid $pid"
}

# fleet_stop: SIGTERM every manager, wait (10 s), then it_teardown kills what is left.
fleet_stop() {
        local name pid i
        for name in $HOSTS; do
                eval "pid=\${PID_$name:-}"
                [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null
        done
        for name in $HOSTS; do
                eval "pid=\${PID_$name:-}"
                [ -n "$pid" ] || continue
                for i in $(seq 50); do
                        kill -0 "$pid" 2>/dev/null || break
                        sleep 0.2
                done
                wait "$pid" 2>/dev/null
        done
        IT_SYSTEMD_PID=
}

# host_unit NAME DROPIN-TEXT DAEMON-JSON: the host's docker.service (upstream's, not started),
# a drop-in with DROPIN-TEXT when not empty, and its daemon.json.
host_unit() {
        host_use "$1"
        printf '%s\n' "$3" >"$IT_DAEMON_JSON"
        it_install_docker_unit "$srcdir/units/upstream.service" >/dev/null || return 1
        if [ -n "$2" ]; then
                mkdir -p "$IT_UNIT_DIR/docker.service.d"
                printf '[Service]\n%s\n' "$2" >"$IT_UNIT_DIR/docker.service.d/10-fleet.conf"
                it_systemctl daemon-reload
        fi
}

inventory() {
        local name
        {
                echo "[docker_hosts]"
                for name in $HOSTS; do
                        host_use "$name"
                        echo "$name ansible_connection=local ansible_python_interpreter=$IT_DIR/hosts/$name/python" \
                                "dockaudit_install_prefix=$IT_DIR/hosts/$name/usr" \
                                "dockaudit_report_path=$IT_DIR/hosts/$name/var/report.json" \
                                "fleet_home=$HOME_DIR fleet_runtime=$IT_RUNTIME_DIR"
                done
        } >"$IT_DIR/inventory"
        cat >"$IT_DIR/vars.yml" <<EOF
dockaudit_binary: $DOCKAUDIT
dockaudit_rules_dir: $IT_RULES_DIR
dockaudit_controller_command: $DOCKAUDIT
dockaudit_controller_dir: $IT_DIR/controller
dockaudit_args: [--user]
dockaudit_fail_on: medium
dockaudit_environment:
  PATH: $IT_PATH
  HOME: "{{ fleet_home }}"
  XDG_RUNTIME_DIR: "{{ fleet_runtime }}"
  XDG_CONFIG_HOME: "{{ fleet_home }}/.config"
  DBUS_SESSION_BUS_ADDRESS: "unix:path={{ fleet_runtime }}/bus"
EOF
}

# play [ARGS...]: ansible-playbook site.yml on the fleet; output in $IT_OUT/play.N, exit status
# in PLAY_RC, the recap in $IT_OUT/recap.
PLAY_N=0
play() {
        PLAY_N=$((PLAY_N + 1))
        PLAY_OUT=$IT_OUT/play.$PLAY_N
        env -i PATH="$IT_PATH" HOME="$IT_DIR" LANG=C.UTF-8 ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 \
                ANSIBLE_LOCAL_TEMP="$IT_DIR/ansible-local" ANSIBLE_REMOTE_TEMP="$IT_DIR/ansible-remote" \
                ANSIBLE_ROLES_PATH="$ROLE_DIR/roles" ANSIBLE_RETRY_FILES_ENABLED=0 \
                ANSIBLE_STDOUT_CALLBACK=default ANSIBLE_HOST_KEY_CHECKING=0 \
                timeout 300 ansible-playbook -i "$IT_DIR/inventory" -e "@$IT_DIR/vars.yml" "$@" \
                "$ROLE_DIR/site.yml" >"$PLAY_OUT" 2>&1
        PLAY_RC=$?
        sed -n '/^PLAY RECAP/,$p' "$PLAY_OUT" >"$IT_OUT/recap"
        it_log "ansible-playbook $* -> $PLAY_RC"
}

# changed NAME: the changed count of host NAME in the last recap.
changed() {
        sed -n "s/^$1 *: .*changed=\([0-9]*\).*/\1/p" "$IT_OUT/recap"
}
failed_count() {
        sed -n "s/^$1 *: .*failed=\([0-9]*\).*/\1/p" "$IT_OUT/recap"
}

show_play() {
        echo "  --- ansible-playbook exit $PLAY_RC; last 60 lines:" >&2
        tail -n 60 "$PLAY_OUT" | sed 's/^/  | /' >&2
}

# The unit and daemon.json files of every host, with their checksums.
fleet_checksums() {
        local name
        for name in $HOSTS; do
                host_use "$name"
                find "$IT_UNIT_DIR" "$IT_CONFIG_HOME/docker" -type f | sort | xargs -r sha256sum
        done
}

C=$IT_DIR/controller

t_audit() {
        local name
        play
        [ "$PLAY_RC" = 2 ] || { show_play; assert_eq 2 "$PLAY_RC" "ansible-playbook exit status (failed by severity)"; return 1; }
        grep -q 'hosts fail at or above medium' "$PLAY_OUT" || { show_play; echo "  FAIL: no failure by severity" >&2; return 1; }
        assert_json '[.hosts[] | "\(.name)=\(.state)"] | join(" ")' "alpha=failing beta=clean gamma=failing" "$C/summary.json" &&
                assert_json '.hosts[] | select(.name == "alpha") | .failing_rules | index("mountflags-slave-with-live-restore") != null' true "$C/summary.json" &&
                assert_json '.hosts[] | select(.name == "gamma") | .failing_rules | index("mountflags-slave-on-fixed-kernel") != null' true "$C/summary.json" &&
                assert_json '.hosts[] | select(.name == "gamma") | .failing_rules | index("mountflags-slave-with-live-restore")' null "$C/summary.json" &&
                assert_json '.hosts[] | select(.name == "beta") | .failing_rules | length' 0 "$C/summary.json" &&
                assert_json '.rules[] | select(.id == "mountflags-slave-with-live-restore") | .hosts | "\(.alpha) \(.beta) \(.gamma)"' \
                        "fail pass pass" "$C/summary.json" || return 1
        # each report names its own host (the UTS namespace), not the machine running the test
        for name in $HOSTS; do
                assert_json .host.hostname "$name" "$C/reports/$name.json" || return 1
        done
        assert_match '^  alpha +failing +1/1/0/0 ' "$(cat "$C/summary.txt")" "text summary" &&
                assert_match '^  beta +clean ' "$(cat "$C/summary.txt")" "text summary" &&
                assert_match '^  gamma +failing +0/1/0/0 ' "$(cat "$C/summary.txt")" "text summary" &&
                assert_match '^ +2 hosts  medium  mountflags-slave-on-fixed-kernel: ' "$(cat "$C/summary.txt")" "ranked" &&
                assert_match '^ +1 host   high    mountflags-slave-with-live-restore: ' "$(cat "$C/summary.txt")" "ranked" ||
                return 1
        xmllint --noout "$C/summary.xml" || return 1
        assert_eq 3 "$(xmllint --xpath 'count(/testsuites/testsuite)' "$C/summary.xml")" "JUnit testsuites" &&
                assert_eq 1 "$(xmllint --xpath 'count(/testsuites/testsuite[@name="alpha"]/testcase[@name="mountflags-slave-with-live-restore"]/failure)' "$C/summary.xml")" "alpha's failure" &&
                assert_eq 0 "$(xmllint --xpath 'count(/testsuites/testsuite[@name="beta"]//failure)' "$C/summary.xml")" "beta has no failure" &&
                assert_eq 1 "$(xmllint --xpath 'count(/testsuites/testsuite[@name="gamma"]/testcase[@name="mountflags-slave-on-fixed-kernel"]/failure)' "$C/summary.xml")" "gamma's failure" &&
                assert_eq 0 "$(xmllint --xpath 'count(/testsuites/testsuite[@name="gamma"]/testcase[@name="mountflags-slave-with-live-restore"]/failure)' "$C/summary.xml")" "gamma: live-restore is off" || return 1
        timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$IT_DIR/chromium" --dump-dom \
                --enable-logging=stderr --v=0 --virtual-time-budget=5000 "file://$C/summary.html" \
                >"$IT_OUT/dom" 2>"$IT_OUT/browser.log" || return 1
        grep -q '<body data-hosts="3" data-ready="1">' "$IT_OUT/dom" || { echo "  FAIL: page script" >&2; return 1; }
        ! grep -q ':CONSOLE' "$IT_OUT/browser.log" || { grep ':CONSOLE' "$IT_OUT/browser.log" >&2; return 1; }
        for name in $HOSTS; do
                grep -q "<tr data-state=\"$( [ $name = beta ] && echo clean || echo failing)\"><td class=\"host\">$name</td>" \
                        "$IT_OUT/dom" || { echo "  FAIL: $name's row in the HTML" >&2; return 1; }
        done
        # first run: the binary and the rules were installed on every host
        for name in $HOSTS; do
                [ "$(changed $name)" -ge 1 ] || { echo "  FAIL: $name: install not changed" >&2; cat "$IT_OUT/recap" >&2; return 1; }
        done
}

# Check mode: the fix is planned (changed on alpha and gamma only), nothing is written.
t_check_mode() {
        local before
        before=$(fleet_checksums)
        play --check -e dockaudit_fix=true
        assert_eq "$before" "$(fleet_checksums)" "files after check mode" || return 1
        assert_eq "1 0 1" "$(changed alpha) $(changed beta) $(changed gamma)" "changed (alpha beta gamma) in check mode" ||
                { show_play; return 1; }
        grep -q 'Changes:' "$PLAY_OUT" || { show_play; return 1; }
}

t_fix() {
        local before
        before=$(fleet_checksums | grep beta)
        play -e dockaudit_fix=true
        [ "$PLAY_RC" = 0 ] || { show_play; assert_eq 0 "$PLAY_RC" "ansible-playbook exit status after the fix"; return 1; }
        assert_eq "1 0 1" "$(changed alpha) $(changed beta) $(changed gamma)" "changed (alpha beta gamma)" ||
                { show_play; return 1; }
        assert_eq "$before" "$(fleet_checksums | grep beta)" "beta's files" &&
                assert_json '[.hosts[] | "\(.name)=\(.state)"] | join(" ")' "alpha=clean beta=clean gamma=clean" "$C/summary.json" &&
                assert_json '.summary.exit_status' 0 "$C/summary.json" || return 1
        host_use alpha
        assert_eq shared "$(it_systemctl show -p MountFlags --value docker.service)" "alpha's MountFlags" || return 1
        host_use gamma
        assert_eq shared "$(it_systemctl show -p MountFlags --value docker.service)" "gamma's MountFlags"
}

t_idempotent() {
        local before
        before=$(fleet_checksums)
        play -e dockaudit_fix=true
        [ "$PLAY_RC" = 0 ] || { show_play; return 1; }
        assert_eq "0 0 0" "$(changed alpha) $(changed beta) $(changed gamma)" "changed on the second run" ||
                { show_play; return 1; }
        assert_eq "$before" "$(fleet_checksums)" "files after the second run"
}

# ansible-lint (Debian's), offline, when installed: the role and the playbook are clean.
t_lint() {
        command -v ansible-lint >/dev/null || { it_log "ansible-lint not installed: not run"; return 0; }
        (cd "$ROLE_DIR" && env -i PATH="$IT_PATH" HOME="$IT_DIR" ANSIBLE_ROLES_PATH="$ROLE_DIR/roles" \
                timeout 300 ansible-lint --offline --nocolor site.yml roles/dockaudit) >"$IT_OUT/lint" 2>&1 ||
                { sed 's/^/  | /' "$IT_OUT/lint" | tail -n 30 >&2; return 1; }
}

for name in $HOSTS; do
        host_start "$name" || it_hard_error "host $name did not start"
done
# log-opts bounded everywhere: only the unit rules differ between the hosts.
host_unit alpha "MountFlags=slave" '{"live-restore": true, "log-opts": {"max-size": "10m"}}' || it_hard_error "alpha's unit"
host_unit beta "" '{"log-opts": {"max-size": "10m"}}' || it_hard_error "beta's unit"
host_unit gamma "MountFlags=private" '{"log-opts": {"max-size": "10m"}}' ||
        it_hard_error "gamma's unit"
inventory

it_run "audit: the summary names each host's findings (text, JSON, JUnit, HTML); the play fails by severity" t_audit
it_run "check mode: fix --dry-run reports changed on alpha and gamma, writes nothing" t_check_mode
it_run "fix: changes exactly alpha and gamma, the fleet is clean" t_fix
it_run "second fix run: changed=0 everywhere" t_idempotent
it_run "ansible-lint: the role and site.yml are clean" t_lint
it_summary
