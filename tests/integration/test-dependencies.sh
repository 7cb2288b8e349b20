#!/bin/bash
# SPDX-License-Identifier: MIT
# The dependency rules on a real systemd user manager with real units (lib.sh: private
# dbus-daemon, systemd --user, real containerd and dockerd), issue 10:
#   containerd-bindsto   docker-ce 18.09's docker.service (BindsTo=containerd.service) with
#                        containerd's own containerd.service and the upstream docker.socket:
#                        killing containerd stops dockerd for good; a drop-in cannot take
#                        BindsTo= out ("BindsTo=" resets nothing); `fix` leaves it alone unless
#                        the override is chosen; `fix --choose containerd-bindsto=override`
#                        writes the full copy, the manager loads it (BindsTo gone, Wants= and
#                        After= kept), killing containerd no longer stops dockerd; a second
#                        run changes nothing; a package update of the vendor unit makes
#                        unit-override-stale fail.
#   fd-without-socket    docker-ce 17.06's rpm docker.service (no socket unit) with the deb
#                        unit's `dockerd -H fd://` in a drop-in: dockerd fails "no sockets found
#                        via socket activation" and the audit says why; with docker.socket
#                        installed and required, as the message says, it starts and passes.
#   containerd-ordering  docker-ce 18.09.1's docker.service (BindsTo=containerd.service, no
#                        After=) beside containerd.service: fails; `fix` adds the drop-in
#                        After=containerd.service, the manager orders it, a second run changes
#                        nothing. The boot race itself (dockerd first, then a second containerd)
#                        needs a boot with the system's containerd on its default socket: not
#                        reproduced here, where the test containerd listens in $IT_DIR.
# The vendor units are installed in $HOME/.local/share/systemd/user, the user manager's
# counterpart of /lib/systemd/system, so that the admin's directory ($XDG_CONFIG_HOME/
# systemd/user) is free for the override. Each fixture is changed only where the test stack
# needs it (sed below): binaries' paths, dockerd's isolation options, sockets in $IT_DIR,
# logs to files. Run by `make check` as root with DOCKAUDIT and top_srcdir set.
srcdir=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$srcdir/../.." && pwd)}
. "$srcdir/lib.sh"

it_require_dockaudit
command -v script >/dev/null || it_hard_error "'script' not found (package bsdutils)"
command -v sha256sum >/dev/null || it_hard_error "'sha256sum' not found (package coreutils)"

UNITS=$top_srcdir/tests/fixtures/units
U1809=$UNITS/docker-ce-packaging-18.09-docker.service
U1903=$UNITS/docker-ce-packaging-19.03-docker.service
U18091=$UNITS/docker-ce-packaging-v18.09.1-docker.service
U1706=$UNITS/docker-ce-packaging-v17.06.0-ce-rpm-docker.service
SOCKET=$UNITS/docker-ce-packaging-19.03-docker.socket
CONTAINERD=$UNITS/containerd-v1.6.20-containerd.service

# vendor_dir, override, ctrd_sock: where things go (after it_setup).
vendor_dir() { echo "$HOME_DIR/.local/share/systemd/user"; }
override() { echo "$IT_UNIT_DIR/docker.service"; }
ctrd_sock() { echo "$IT_DIR/ctrd/containerd.sock"; }

# dockerd_args: the test dockerd's isolation options without its -H (the socket unit listens there).
dockerd_args() {
        local a
        a=$(it_dockerd_args)
        echo "${a#-H unix://$IT_DOCKER_SOCK }"
}

# adapt_docker SRC DST: a docker.service fixture for the test stack: dockerd's path and test
# options, --containerd= on the test containerd, its log to a file. Nothing else changes.
adapt_docker() {
        sed -e "s|^ExecStart=/usr/bin/dockerd \(.*\)$|ExecStart=$(command -v dockerd) \1 $(dockerd_args)\nStandardOutput=append:$IT_DIR/log/dockerd.log\nStandardError=append:$IT_DIR/log/dockerd.log|" \
                -e "s|/run/containerd/containerd.sock|$(ctrd_sock)|" "$1" >"$2"
}

# install_vendor: containerd.service, docker.socket and docker.service FIXTURE as the vendor's.
install_vendor() {
        local v
        v=$(vendor_dir)
        mkdir -p "$v" "$IT_DIR/ctrd" || return 1
        cat >"$IT_DIR/ctrd/config.toml" <<EOF
version = 2
root = "$IT_DIR/ctrd/root"
state = "$IT_DIR/ctrd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$(ctrd_sock)"
[plugins."io.containerd.internal.v1.opt"]
  path = "$IT_DIR/ctrd/opt"
EOF
        sed -e "s|^ExecStart=/usr/local/bin/containerd$|ExecStart=$(command -v containerd) --config $IT_DIR/ctrd/config.toml\nStandardOutput=append:$IT_DIR/log/containerd.log\nStandardError=append:$IT_DIR/log/containerd.log|" \
                "$CONTAINERD" >"$v/containerd.service" || return 1
        sed -e "s|^ListenStream=/var/run/docker.sock$|ListenStream=$IT_DOCKER_SOCK|" "$SOCKET" >"$v/docker.socket" || return 1
        [ -z "${1:-}" ] || adapt_docker "$1" "$v/docker.service"
}

# reset: every unit of ours stopped, no override, no drop-ins, no vendor docker files.
reset() {
        it_systemctl stop docker.service docker.socket containerd.service 2>/dev/null
        it_systemctl reset-failed docker.service docker.socket containerd.service 2>/dev/null
        rm -rf "$(override)" "$IT_UNIT_DIR/docker.service.d" "$(vendor_dir)"
        rm -f "$IT_DOCKER_SOCK"
        it_systemctl daemon-reload
}

prop() { it_systemctl show -p "$2" --value "$1"; }

# wait_state UNIT STATE SECONDS: until ActiveState is STATE.
wait_state() {
        local i
        for i in $(seq $(($3 * 5))); do
                [ "$(prop "$1" ActiveState)" = "$2" ] && return 0
                sleep 0.2
        done
        echo "  FAIL: $1 not $2 within $3 s (it is $(prop "$1" ActiveState))" >&2
        return 1
}

rule_status() { jq -r --arg id "$1" '.results[] | select(.id == $id) | .status' "$IT_STDOUT"; }
assert_rule() {
        local got
        got=$(rule_status "$1")
        [ "$got" = "$2" ] && return 0
        echo "  FAIL: $1: expected $2, got [$got]" >&2
        it_result "$1" >&2
        return 1
}

# kill_containerd: SIGKILL containerd's main process (an OOM kill, a crash); Restart=always
# brings containerd back after RestartSec=5.
kill_containerd() {
        it_systemctl kill -s KILL --kill-who=main containerd.service || return 1
        sleep 1
        wait_state containerd.service active 20
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

# 1. docker-ce 18.09 running on its own containerd: containerd-bindsto fails, with the line.
t_bindsto_audit() {
        reset
        install_vendor "$U1809" || return 1
        it_systemctl daemon-reload
        it_systemctl start docker.socket || return 1
        it_start_docker || return 1
        assert_eq active "$(prop containerd.service ActiveState)" "containerd.service" || return 1
        it_dockaudit audit --format json
        assert_rc 1 || return 1
        assert_rule containerd-bindsto fail || return 1
        assert_rule fd-without-socket pass || return 1
        assert_rule containerd-ordering pass || return 1
        assert_rule unit-override-stale pass || return 1
        assert_json '.facts["unit.binds_to"].value | index("containerd.service") != null' true || return 1
        assert_match "$(vendor_dir)/docker.service:4" "$(jq -r '.facts["unit.binds_to"].source' "$IT_STDOUT")" \
                "source of unit.binds_to" || return 1
        assert_json '.facts["dockerd.hosts"].value | join(",")' 'fd://' || return 1
}

# 2. The trap: containerd's process dies, systemd stops dockerd, containerd comes back,
# dockerd does not.
t_bindsto_trap() {
        local pid
        assert_eq active "$(prop docker.service ActiveState)" "docker.service (needs test 1)" || return 1
        pid=$(prop docker.service MainPID)
        kill_containerd || return 1
        sleep 3
        assert_eq inactive "$(prop docker.service ActiveState)" "docker.service after containerd came back" || return 1
        [ ! -d "/proc/$pid" ] || { echo "  FAIL: dockerd $pid still runs" >&2; return 1; }
        it_log "reproduced: containerd was killed and restarted, docker.service stayed $(prop docker.service ActiveState)"
        it_start_docker
}

# 3. Why a drop-in cannot fix it: an empty BindsTo= resets nothing.
t_dropin_cannot() {
        mkdir -p "$IT_UNIT_DIR/docker.service.d" || return 1
        printf '[Unit]\nBindsTo=\n' >"$IT_UNIT_DIR/docker.service.d/10-unbind.conf"
        it_systemctl daemon-reload
        assert_match 'containerd.service' "$(prop docker.service BindsTo)" "BindsTo with 'BindsTo=' in a drop-in" || return 1
        it_dockaudit audit --format json
        assert_rule containerd-bindsto fail || return 1
        rm -rf "$IT_UNIT_DIR/docker.service.d"
        it_systemctl daemon-reload
}

# 4. fix without the choice: the rule has no automatic fix; nothing is written.
t_fix_not_chosen() {
        it_dockaudit fix --yes
        assert_rc 1 || return 1
        assert_match 'no automatic fix' "$IT_STDOUT_TEXT" || return 1
        assert_match 'only when chosen \(--choose containerd-bindsto=override\)' "$IT_STDOUT_TEXT" || return 1
        assert_match 'package updates of docker.service no longer apply' "$IT_STDOUT_TEXT" "the trade-off" || return 1
        [ ! -e "$(override)" ] || { echo "  FAIL: an override was written without the choice" >&2; return 1; }
        # on a terminal it is offered with its trade-off; "n" writes nothing
        run_on_tty 'n\n' fix
        assert_rc 1 || return 1
        assert_match 'containerd-bindsto: no automatic fix\.' "$IT_STDOUT_TEXT" "the question" || return 1
        assert_match 'note: This writes a full copy' "$IT_STDOUT_TEXT" "the trade-off asked about" || return 1
        assert_match 'apply fix \[override\] \(full override of the unit without BindsTo=containerd.service\)\? \[y/N\]' \
                "$IT_STDOUT_TEXT" "the question" || return 1
        [ ! -e "$(override)" ] || { echo "  FAIL: an override was written after 'n'" >&2; return 1; }
}

# 5. The chosen override: written, loaded, BindsTo gone, Wants=/After= there, audit clean.
t_fix_chosen() {
        local digest
        it_dockaudit fix --yes --choose containerd-bindsto=override
        sed 's/^/#   | /' "$IT_STDOUT" "$IT_STDERR" >&2
        assert_rc 0 || return 1
        assert_match "Created $(override)" "$IT_STDOUT_TEXT" || return 1
        assert_match 'Reloaded the user service manager' "$IT_STDOUT_TEXT" || return 1
        assert_match 'containerd-bindsto +medium +fail -> pass' "$IT_STDOUT_TEXT" "before/after" || return 1
        digest=$(sha256sum "$(vendor_dir)/docker.service" | cut -d' ' -f1)
        assert_eq "# dockaudit-override-of: $(vendor_dir)/docker.service sha256:$digest" "$(sed -n 2p "$(override)")" \
                "override header" || return 1
        assert_eq "$(override)" "$(prop docker.service FragmentPath)" "FragmentPath" || return 1
        assert_eq "" "$(prop docker.service BindsTo)" "BindsTo" || return 1
        assert_match 'containerd.service' "$(prop docker.service Wants)" "Wants" || return 1
        assert_match 'containerd.service' "$(prop docker.service After)" "After" || return 1
        assert_match 'docker.socket' "$(prop docker.service Requires)" "Requires kept" || return 1
        # the rest of the unit is the vendor's, byte for byte
        diff <(grep -v '^BindsTo=' "$(vendor_dir)/docker.service") \
                <(sed '1,/^$/d' "$(override)" | grep -v '^Wants=containerd.service$') >&2 ||
                { echo "  FAIL: the override differs from the vendor unit" >&2; return 1; }
        it_dockaudit audit --format json
        assert_rc 0 || return 1
        assert_rule containerd-bindsto pass || return 1
        assert_rule unit-override-stale pass || return 1
        assert_json '.facts["unit_override.present"].value' true || return 1
}

# 6. The trap is gone: containerd dies and comes back, dockerd keeps running.
t_trap_gone() {
        local pid
        assert_eq active "$(prop docker.service ActiveState)" "docker.service" || return 1
        pid=$(prop docker.service MainPID)
        kill_containerd || return 1
        sleep 3
        assert_eq active "$(prop docker.service ActiveState)" "docker.service after containerd came back" || return 1
        assert_eq "$pid" "$(prop docker.service MainPID)" "dockerd's pid" || return 1
        it_wait_docker 30
}

# 7. Idempotent: the same command again changes nothing and reloads nothing.
t_second_run() {
        local sum
        sum=$(cksum "$(override)")
        it_dockaudit fix --yes --choose containerd-bindsto=override
        assert_rc 0 || return 1
        assert_match 'Nothing to change' "$IT_STDOUT_TEXT" || return 1
        assert_eq "$sum" "$(cksum "$(override)")" "override" || return 1
        it_dockaudit fix --dry-run
        assert_rc 0 || return 1
}

# 8. A package update of the vendor unit (19.03): the override hides it; the audit says so.
t_stale() {
        adapt_docker "$U1903" "$(vendor_dir)/docker.service" || return 1
        it_systemctl daemon-reload
        it_dockaudit audit --format json
        assert_rc 1 || return 1
        assert_rule unit-override-stale fail || return 1
        assert_rule containerd-bindsto pass || return 1
        assert_match "$(vendor_dir)/docker.service \(sha256 now" \
                "$(jq -r '.facts["unit_override.stale"].source' "$IT_STDOUT")" "source of unit_override.stale" || return 1
        # as the message says: remove the copy, then choose the override again
        rm -f "$(override)"
        it_systemctl daemon-reload
        it_dockaudit fix --yes --choose containerd-bindsto=override
        assert_rc 0 || return 1
        it_dockaudit audit --format json
        assert_rc 0 || return 1
        assert_rule unit-override-stale pass || return 1
}

# 9. -H fd:// without a socket unit: dockerd fails, the audit says why; then as the message says.
t_fd_without_socket() {
        local d
        reset
        install_vendor || return 1
        rm -f "$(vendor_dir)/docker.socket"
        adapt_docker "$U1706" "$(vendor_dir)/docker.service" || return 1
        sed -i "s|^ExecStart=/usr/bin/dockerd$|ExecStart=$(command -v dockerd) $(dockerd_args)\nStandardOutput=append:$IT_DIR/log/dockerd.log\nStandardError=append:$IT_DIR/log/dockerd.log|" \
                "$(vendor_dir)/docker.service"
        d=$IT_UNIT_DIR/docker.service.d
        mkdir -p "$d" || return 1
        # the deb unit's ExecStart (docker-ce-packaging v18.03.1-ce deb/systemd/docker.service:13)
        printf '[Service]\nExecStart=\nExecStart=%s -H fd:// %s\n' "$(command -v dockerd)" "$(dockerd_args)" \
                >"$d/10-deb-execstart.conf"
        it_systemctl daemon-reload
        : >"$IT_DIR/log/dockerd.log"
        it_systemctl reset-failed docker.service 2>/dev/null
        if it_systemctl start docker.service 2>/dev/null; then
                echo "  FAIL: dockerd -H fd:// started without a socket unit" >&2
                return 1
        fi
        assert_match 'no sockets found via socket activation' "$(cat "$IT_DIR/log/dockerd.log")" "dockerd's log" ||
                return 1
        it_log "reproduced: $(grep -m1 'no sockets found' "$IT_DIR/log/dockerd.log")"
        it_dockaudit audit --format json
        assert_rule fd-without-socket fail || return 1
        assert_json '.facts["docker_socket.load_state"].value' not-found || return 1
        assert_match "$d/10-deb-execstart.conf:3" "$(jq -r '.facts["dockerd.hosts"].source' "$IT_STDOUT")" \
                "source of dockerd.hosts" || return 1
        assert_match 'no sockets found via socket activation' \
                "$(jq -r '.results[] | select(.id == "fd-without-socket") | .message' "$IT_STDOUT")" || return 1

        # install docker.socket and require it, as the message says
        sed -e "s|^ListenStream=/var/run/docker.sock$|ListenStream=$IT_DOCKER_SOCK|" "$SOCKET" \
                >"$(vendor_dir)/docker.socket" || return 1
        printf '[Unit]\nRequires=docker.socket\nAfter=docker.socket\n' >"$d/20-socket.conf"
        it_systemctl daemon-reload
        it_start_docker || return 1
        it_dockaudit audit --format json
        assert_rule fd-without-socket pass || return 1
}

# 10. docker-ce 18.09.1 (no After=containerd.service): the drop-in fix, proven on the manager.
t_ordering() {
        local dropin=$IT_UNIT_DIR/docker.service.d/50-dockaudit.conf sum
        reset
        install_vendor "$U18091" || return 1
        it_systemctl daemon-reload
        assert_eq loaded "$(prop containerd.service LoadState)" "containerd.service" || return 1
        it_dockaudit audit --format json
        assert_rule containerd-ordering fail || return 1
        assert_rule containerd-bindsto fail || return 1
        it_dockaudit fix --yes
        sed 's/^/#   | /' "$IT_STDOUT" "$IT_STDERR" >&2
        assert_rc 1 || return 1 # containerd-bindsto stays: not chosen
        assert_match 'containerd-ordering +medium +fail -> pass' "$IT_STDOUT_TEXT" "before/after" || return 1
        assert_match '^After=containerd.service$' "$(cat "$dropin")" "drop-in" || return 1
        assert_match 'containerd.service' "$(prop docker.service After)" "After" || return 1
        [ ! -e "$(override)" ] || { echo "  FAIL: override written without the choice" >&2; return 1; }
        sum=$(cksum "$dropin")
        it_dockaudit fix --yes
        assert_rc 1 || return 1
        assert_match 'Nothing to change' "$IT_STDOUT_TEXT" || return 1
        assert_eq "$sum" "$(cksum "$dropin")" "drop-in" || return 1
        # the override picked at the prompt (then the change confirmed): it keeps the drop-in's
        # effect, the audit is clean
        run_on_tty 'y\ny\n' fix
        sed 's/^/#   | /' "$IT_STDOUT" >&2
        assert_rc 0 || return 1
        [ -f "$(override)" ] || { echo "  FAIL: no override after 'y'" >&2; return 1; }
        assert_match 'containerd.service' "$(prop docker.service After)" "After" || return 1
        it_dockaudit audit --format json
        assert_rc 0 || return 1
}

it_setup
# Only the rules under test: these old units fail other rules too (LimitNOFILE=infinity...),
# which would change the exit statuses asserted here.
IT_RULES_DIR=$IT_DIR/rules
mkdir -p "$IT_RULES_DIR" || it_hard_error "mkdir $IT_RULES_DIR"
for r in containerd-bindsto fd-without-socket containerd-ordering unit-override-stale; do
        cp "$top_srcdir/rules/$r.rule" "$IT_RULES_DIR/" || it_hard_error "no rule $r"
done
it_run "docker-ce 18.09: containerd-bindsto fails" t_bindsto_audit
it_run "the trap: containerd killed, dockerd stays stopped" t_bindsto_trap
it_run "an empty BindsTo= in a drop-in resets nothing" t_dropin_cannot
it_run "fix without --choose, or 'n' at the prompt: no override" t_fix_not_chosen
it_run "fix --choose containerd-bindsto=override" t_fix_chosen
it_run "with the override, dockerd survives containerd's death" t_trap_gone
it_run "the same fix again changes nothing" t_second_run
it_run "vendor unit updated: unit-override-stale" t_stale
it_run "-H fd:// without docker.socket: dockerd fails, audit says why" t_fd_without_socket
it_run "docker-ce 18.09.1: containerd-ordering and its drop-in; the override at the prompt" t_ordering
it_summary
