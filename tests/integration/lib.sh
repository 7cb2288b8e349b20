# SPDX-License-Identifier: MIT
# shellcheck shell=bash
#
# Integration-test harness for dockaudit: a real dbus-daemon, a real systemd user manager
# and a real dockerd, all started here, as root, inside one temp dir ($IT_DIR), and all
# stopped again by it_teardown (which the EXIT trap runs even when a test fails or the
# script is killed with INT/TERM).
#
# What is isolated, and how:
#   files      everything lives in $IT_DIR (mktemp -d /tmp/dockaudit-it.XXXXXX): the
#              runtime dir, HOME, XDG_CONFIG_HOME, dockerd's data root, exec root, socket,
#              pidfile and config file. No host /etc, unit or socket is written: dockerd
#              20.10 as root writes /etc/docker/key.json whatever its options, so the
#              manager's namespace gets $IT_DIR/etc/docker bind-mounted on /etc/docker.
#   mounts     the manager runs in its own mount namespace (unshare -m, propagation
#              private) with a tmpfs on /run: /run/systemd/system exists only there (the
#              user manager refuses to start without it) and whatever dockerd, containerd
#              and the shims put under /run (shim sockets in /run/containerd/s) stays off
#              the host; /opt gets a tmpfs too (containerd's "opt" plugin creates
#              /opt/containerd), and `mount -n` keeps libmount off the host's /run/mount.
#              Docker's overlay and shm mounts live in that namespace and vanish
#              with its last process.
#   cgroups    systemd moves every process of the cgroup it starts in into init.scope, so
#              the manager is first put into fresh cgroups of its own ($IT_TAG, a child of
#              the current cgroup in every hierarchy); containers get an absolute
#              --cgroup-parent=/$IT_TAG-ctr. Both trees are removed by it_teardown.
#   bus        the manager only connects to the session bus when its dbus.socket and
#              dbus.service units run, so $XDG_CONFIG_HOME/systemd/user has its own
#              dbus.socket/dbus.service (shadowing the host's) running dbus-daemon with
#              the private config written here: unix:path=$XDG_RUNTIME_DIR/bus, EXTERNAL
#              auth, allow-all policy, no service directories (no activation).
#   dockerd    -H unix://$IT_DIR/docker.sock, its own --data-root/--exec-root/--pidfile,
#              --config-file,
#              --bridge=none --iptables=false --ip6tables=false --ip-forward=false
#              --ip-masq=false (no host network or sysctl changes). No --containerd, so
#              dockerd 20.10 runs its own containerd with state in the exec root and root
#              in the data root.
#
# Exit statuses follow the automake test driver: 0 pass, 1 fail, 77 skip, 99 hard error.
# The harness never skips: a missing tool or a failure to bring the stack up is exit 99.

IT_SYSTEMD=${IT_SYSTEMD:-/lib/systemd/systemd}
IT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
IT_IMAGE=dockaudit-it/busybox:latest

# it_log MSG...: progress to stderr (the test log), prefixed with the time.
it_log() {
        printf '# %s %s\n' "$(date +%T)" "$*" >&2
}

# it_hard_error MSG...: the harness itself cannot work; exit 99 (runs it_teardown via trap).
it_hard_error() {
        printf 'HARD ERROR: %s\n' "$*" >&2
        exit 99
}

# it_require_dockaudit: exit 99 unless DOCKAUDIT is the built binary and the rules directory
# (IT_RULES_DIR, default $top_srcdir/rules) exists.
it_require_dockaudit() {
        [ -n "${DOCKAUDIT:-}" ] || it_hard_error "DOCKAUDIT (absolute path of the dockaudit binary) is not set"
        [ -x "$DOCKAUDIT" ] || it_hard_error "DOCKAUDIT=$DOCKAUDIT is not an executable"
        IT_RULES_DIR=${IT_RULES_DIR:-$top_srcdir/rules}
        [ -d "$IT_RULES_DIR" ] || it_hard_error "rules directory $IT_RULES_DIR missing"
}

# it_require_tools: exit 99 naming the first missing prerequisite (root, tools, cgroupfs).
it_require_tools() {
        local t
        [ "$(id -u)" = 0 ] || it_hard_error "integration tests must run as root (they start dockerd)"
        for t in dbus-daemon unshare systemctl busctl dockerd docker containerd containerd-shim-runc-v2 \
                runc jq mount umount mktemp timeout; do
                PATH=$IT_PATH:$PATH command -v "$t" >/dev/null ||
                        it_hard_error "'$t' not found (autogen.sh installs docker.io dbus systemd busybox-static jq)"
        done
        [ -x "$IT_SYSTEMD" ] || it_hard_error "$IT_SYSTEMD not found (package systemd)"
        IT_BUSYBOX=
        for t in /bin/busybox /usr/bin/busybox; do
                if [ -x "$t" ] && ! ldd "$t" >/dev/null 2>&1; then
                        IT_BUSYBOX=$t
                        break
                fi
        done
        [ -n "$IT_BUSYBOX" ] || it_hard_error "no static busybox (package busybox-static)"
        [ -d /etc/docker ] || it_hard_error "/etc/docker missing (package docker.io)"
        grep -q ' - cgroup' /proc/self/mountinfo || it_hard_error "no cgroup filesystem mounted"
}

# it__cg_dirs: the directory of the current process's cgroup in every mounted hierarchy,
# one a line (v1 hierarchies matched to their mount by controller names, v2 by "0::").
it__cg_dirs() {
        awk '
        FNR == NR {
                # mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS
                for (i = 7; $i != "-"; i++) ;
                if ($(i + 1) == "cgroup2") { v2root = $4; v2mnt = $5 }
                else if ($(i + 1) == "cgroup") { n++; root[n] = $4; mnt[n] = $5; sopts[n] = "," $(i + 3) "," }
                next
        }
        {
                split($0, f, ":"); id = f[1]; ctrls = f[2]; path = substr($0, length(id) + length(ctrls) + 3)
                if (ctrls == "") { r = v2root; m = v2mnt }
                else {
                        m = ""
                        for (k = 1; k <= n && m == ""; k++) {
                                c = split(ctrls, cs, ","); ok = 1
                                for (j = 1; j <= c; j++) if (index(sopts[k], "," cs[j] ",") == 0) ok = 0
                                if (ok) { r = root[k]; m = mnt[k] }
                        }
                }
                if (m == "") next
                if (r != "/" && index(path, r) == 1) path = substr(path, length(r) + 1)
                if (path == "/") path = ""
                print m path
        }' /proc/self/mountinfo /proc/self/cgroup
}

# it__cg_mounts: the mount point of every cgroup hierarchy, one a line.
it__cg_mounts() {
        awk '{ for (i = 7; $i != "-"; i++) ; if ($(i + 1) ~ /^cgroup2?$/) print $5 }' /proc/self/mountinfo
}

# it__cg_enter: create $IT_TAG under the current cgroup of every hierarchy and move the
# calling (sub)shell into it. Must run in the process that later execs the manager.
it__cg_enter() {
        local d
        for d in $(it__cg_dirs); do
                mkdir -p "$d/$IT_TAG" || { echo "cannot create cgroup $d/$IT_TAG" >&2; return 1; }
                # a new v1 cpuset is empty (no cpus, no mems) and takes no process
                if [ -f "$d/$IT_TAG/cpuset.cpus" ] && [ -z "$(cat "$d/$IT_TAG/cpuset.cpus")" ]; then
                        cat "$d/cpuset.cpus" >"$d/$IT_TAG/cpuset.cpus"
                        cat "$d/cpuset.mems" >"$d/$IT_TAG/cpuset.mems"
                fi
                echo "$BASHPID" >"$d/$IT_TAG/cgroup.procs" ||
                        { echo "cannot enter cgroup $d/$IT_TAG" >&2; return 1; }
                echo "$d/$IT_TAG" >>"$IT_DIR/cgroups"
        done
}

# it__cg_pids: pids of every process in the cgroup trees this harness created.
it__cg_pids() {
        local d m
        {
                [ -f "$IT_DIR/cgroups" ] && while read -r d; do
                        [ -d "$d" ] && find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null
                done <"$IT_DIR/cgroups"
                for m in $(it__cg_mounts); do
                        [ -d "$m/$IT_TAG-ctr" ] && find "$m/$IT_TAG-ctr" -name cgroup.procs -exec cat {} + 2>/dev/null
                done
        } | sort -un
}

# it__pids_mentioning: pids (other than this shell's) whose command line contains $IT_DIR.
it__pids_mentioning() {
        local p
        for p in /proc/[0-9]*; do
                p=${p#/proc/}
                [ "$p" = $$ ] || [ "$p" = "$BASHPID" ] && continue
                { tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null | grep -qF "$IT_DIR" && echo "$p"
        done
}

# it_env: the environment every command aimed at the test stack runs with (prefix a
# command with `env $(it_env)`; no value contains spaces).
it_env() {
        echo "PATH=$IT_PATH HOME=$HOME_DIR XDG_RUNTIME_DIR=$IT_RUNTIME_DIR XDG_CONFIG_HOME=$IT_CONFIG_HOME" \
                "DBUS_SESSION_BUS_ADDRESS=unix:path=$IT_RUNTIME_DIR/bus DOCKER_HOST=unix://$IT_DIR/docker.sock" \
                "DOCKER_CONFIG=$IT_DIR/docker-cli LANG=C.UTF-8"
}

# it_systemctl ARGS...: systemctl --user against the test manager (bounded: 120 s).
it_systemctl() {
        env -i $(it_env) timeout 120 systemctl --user --no-pager "$@"
}

# it_docker ARGS...: the docker CLI against the test dockerd (bounded: 120 s).
it_docker() {
        env -i $(it_env) timeout 120 docker "$@"
}

# it__one_suite_at_a_time: runs the rest of the suite under a lock that every suite takes,
# by running the script again under flock(1). make -j starts the suites together, and each
# boots a systemd, a dbus-daemon and a dockerd with its containerd: on a 2-core machine
# containerd then boots late and dockerd gives up on it. flock -o: the processes the suite
# starts do not inherit the lock.
it__one_suite_at_a_time() {
        [ -z "${IT_LOCKED:-}" ] || return 0
        command -v flock >/dev/null || it_hard_error "'flock' not found (package util-linux)"
        it_log "taking the integration lock: one suite at a time"
        IT_LOCKED=1 exec flock -o -E 99 -w 3600 "${TMPDIR:-/tmp}/dockaudit-integration.lock" "$BASH" "$0"
}

# it_setup: make $IT_DIR with the runtime dir ($IT_RUNTIME_DIR), HOME ($HOME_DIR) and
# XDG_CONFIG_HOME ($IT_CONFIG_HOME) inside it; start the systemd user manager (pid in
# $IT_SYSTEMD_PID) in its own mount namespace and cgroups, with the private dbus-daemon
# run by its dbus.socket/dbus.service (pid in $IT_DBUS_PID); return once
# org.freedesktop.systemd1 is owned on the bus (20 s at most, else exit 99).
# Installs the EXIT/INT/TERM traps that run it_teardown.
it_setup() {
        local i
        it_require_tools
        it__one_suite_at_a_time
        trap 'it_teardown' EXIT
        trap 'it_log "interrupted"; exit 130' INT
        trap 'it_log "terminated"; exit 143' TERM

        IT_DIR=$(mktemp -d /tmp/dockaudit-it.XXXXXX) || it_hard_error "mktemp failed"
        IT_TAG=${IT_DIR##*/}
        IT_RUNTIME_DIR=$IT_DIR/run
        HOME_DIR=$IT_DIR/home
        IT_CONFIG_HOME=$HOME_DIR/.config
        IT_UNIT_DIR=$IT_CONFIG_HOME/systemd/user
        IT_DAEMON_JSON=$IT_CONFIG_HOME/docker/daemon.json
        IT_DOCKER_SOCK=$IT_DIR/docker.sock
        IT_OUT=$IT_DIR/out
        chmod 755 "$IT_DIR"
        mkdir -p "$IT_RUNTIME_DIR" "$IT_UNIT_DIR" "$IT_CONFIG_HOME/docker" "$IT_DIR/etc/default" \
                "$IT_DIR/etc/docker" "$IT_DIR/d" "$IT_DIR/x" "$IT_DIR/log" "$IT_OUT" "$IT_DIR/docker-cli" || it_hard_error "mkdir in $IT_DIR"
        chmod 700 "$IT_RUNTIME_DIR"
        echo '{}' >"$IT_DAEMON_JSON"
        it_log "IT_DIR=$IT_DIR"

        cat >"$IT_DIR/dbus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<!-- dockaudit integration tests: private session bus, no service activation. -->
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
        # Shadow the host's dbus-user-session units: the manager connects to the API bus
        # only once its dbus.socket and dbus.service are running.
        cat >"$IT_UNIT_DIR/dbus.socket" <<EOF
# dockaudit integration tests: the private session bus, socket-activated by the manager.
[Unit]
Description=dockaudit-it session bus socket

[Socket]
ListenStream=%t/bus
EOF
        cat >"$IT_UNIT_DIR/dbus.service" <<EOF
# dockaudit integration tests: dbus-daemon with the private config (no activation).
[Unit]
Description=dockaudit-it session bus
Requires=dbus.socket

[Service]
Type=notify
NotifyAccess=main
ExecStart=/usr/bin/dbus-daemon --config-file=$IT_DIR/dbus.conf --address=systemd: --nofork --nopidfile
EOF
        # The manager's start unit: only the bus (default.target would pull in the host's
        # sockets.target: gpg-agent, dirmngr ...).
        cat >"$IT_UNIT_DIR/dockaudit-it.target" <<EOF
[Unit]
Description=dockaudit-it
Wants=dbus.socket dbus.service
EOF

        (
                it__cg_enter || exit 1
                exec env -i $(it_env) SYSTEMD_LOG_TARGET=console SYSTEMD_LOG_LEVEL=info \
                        unshare --mount --propagation private -- sh -c \
                        'mount -n -t tmpfs -o mode=755 tmpfs /run && mkdir -p /run/systemd/system &&
                         mount -n --bind "$1" /etc/docker &&
                         { [ ! -d /opt ] || mount -n -t tmpfs -o mode=755 tmpfs /opt; } &&
                         exec "$0" --user --unit=dockaudit-it.target \
                                --default-standard-output=inherit --default-standard-error=inherit' \
                        "$IT_SYSTEMD" "$IT_DIR/etc/docker"
        ) </dev/null >>"$IT_DIR/log/systemd.log" 2>&1 &
        IT_SYSTEMD_PID=$!

        for i in $(seq 200); do
                if ! kill -0 "$IT_SYSTEMD_PID" 2>/dev/null; then
                        cat "$IT_DIR/log/systemd.log" >&2
                        it_hard_error "the systemd user manager exited during startup"
                fi
                if env -i $(it_env) busctl --user --no-pager status org.freedesktop.systemd1 >/dev/null 2>&1; then
                        break
                fi
                sleep 0.1
        done
        [ "$i" -lt 200 ] || {
                tail -n 30 "$IT_DIR/log/systemd.log" >&2
                it_hard_error "org.freedesktop.systemd1 not on the bus after 20 s"
        }
        [ "$(cat "/proc/$IT_SYSTEMD_PID/comm" 2>/dev/null)" = systemd ] ||
                it_hard_error "pid $IT_SYSTEMD_PID is not the manager"
        IT_DBUS_PID=$(it_systemctl show -p MainPID --value dbus.service)
        it_log "systemd --user pid $IT_SYSTEMD_PID, dbus-daemon pid $IT_DBUS_PID, bus $IT_RUNTIME_DIR/bus"
}

# it_dockerd_args: the isolation options every test dockerd runs with (one line).
it_dockerd_args() {
        echo "-H unix://$IT_DOCKER_SOCK --data-root $IT_DIR/d --exec-root $IT_DIR/x" \
                "--pidfile $IT_DIR/x/dockerd.pid --config-file $IT_DAEMON_JSON" \
                "--cgroup-parent=/$IT_TAG-ctr" \
                "--bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false" \
                "--userland-proxy=false"
}

# it__subst SRC DST: copy a template, replacing @IT_DIR@, @DOCKERD@ (/usr/sbin/dockerd),
# @DOCKERD_TEST_ARGS@ (it_dockerd_args), @DAEMON_JSON@ and @XDG_CONFIG_HOME@.
it__subst() {
        local args
        args=$(it_dockerd_args)
        sed -e "s|@DOCKERD_TEST_ARGS@|$args|g" -e "s|@DOCKERD@|$(command -v dockerd)|g" \
                -e "s|@DAEMON_JSON@|$IT_DAEMON_JSON|g" -e "s|@XDG_CONFIG_HOME@|$IT_CONFIG_HOME|g" \
                -e "s|@IT_DIR@|$IT_DIR|g" "$1" >"$2"
}

# it_install_docker_unit FILE [DROPIN...]: install FILE as $IT_UNIT_DIR/docker.service and
# each DROPIN (keeping its base name) in docker.service.d/, replacing earlier ones, with
# the placeholders of it__subst filled in; then daemon-reload.
it_install_docker_unit() {
        local f=$1 d
        shift
        [ -f "$f" ] || { echo "no unit template $f" >&2; return 1; }
        rm -rf "$IT_UNIT_DIR/docker.service.d"
        it__subst "$f" "$IT_UNIT_DIR/docker.service" || return 1
        if [ $# -gt 0 ]; then
                mkdir -p "$IT_UNIT_DIR/docker.service.d"
                for d in "$@"; do
                        it__subst "$d" "$IT_UNIT_DIR/docker.service.d/${d##*/}" || return 1
                done
        fi
        it_systemctl daemon-reload
}

# it_wait_docker [SECONDS]: wait (default 60 s) until `docker version` answers on the socket.
it_wait_docker() {
        local i n=$((${1:-60} * 5))
        for i in $(seq "$n"); do
                env -i $(it_env) timeout 10 docker version >/dev/null 2>&1 && return 0
                sleep 0.2
        done
        echo "dockerd did not answer on $IT_DOCKER_SOCK within ${1:-60} s" >&2
        it_docker_diag
        return 1
}

# it_docker_diag: unit status and the tail of the manager's log (dockerd logs there).
it_docker_diag() {
        it_systemctl status docker.service >&2
        tail -n 20 "$IT_DIR/log/systemd.log" >&2
        tail -n 30 "$IT_DIR/log/dockerd.log" >&2
}

# it_start_docker / it_restart_docker: (re)start docker.service and wait for the socket.
# dockerd gives its containerd a fixed time to boot and exits when it is late; on a
# loaded machine (the suites run in parallel, under ASan) containerd has been seen to take
# 14 s. That is the machine, not the unit: such a start is tried once more, and said so.
it_start_docker() {
        it__docker_job start
}
it_restart_docker() {
        it__docker_job restart
}
it__docker_job() {
        local seen
        seen=$(grep -c 'timeout waiting for containerd' "$IT_DIR/log/dockerd.log" 2>/dev/null)
        it_systemctl reset-failed docker.service 2>/dev/null # the unit's StartLimitBurst
        if ! it_systemctl "$1" docker.service; then
                if [ "$(grep -c 'timeout waiting for containerd' "$IT_DIR/log/dockerd.log" 2>/dev/null)" \
                        = "${seen:-0}" ]; then
                        it_docker_diag
                        return 1
                fi
                it_log "containerd was too slow to boot for dockerd: starting docker.service once more"
                it_systemctl reset-failed docker.service 2>/dev/null
                it_systemctl start docker.service || { it_docker_diag; return 1; }
        fi
        it_wait_docker 60
}

# it_stop_docker: stop docker.service (KillMode=process: shims and containers stay).
it_stop_docker() {
        it_systemctl stop docker.service
}

# it_import_busybox: `docker import` a rootfs made of the static busybox and its applet
# links as $IT_IMAGE (no registry is reachable).
it_import_busybox() {
        local r=$IT_DIR/rootfs a
        rm -rf "$r"
        mkdir -p "$r/bin" "$r/proc" "$r/sys" "$r/dev" "$r/etc" "$r/tmp" || return 1
        cp "$IT_BUSYBOX" "$r/bin/busybox" || return 1
        for a in sh sleep cat ls echo true false ps mount id env grep; do
                ln -s busybox "$r/bin/$a"
        done
        tar -C "$r" -c . | env -i $(it_env) timeout 120 docker import - "$IT_IMAGE" >/dev/null
}

# it__kill_all: SIGKILL every process this harness started (cgroup trees, recorded
# pids, anything naming $IT_DIR), until none is left (10 s at most). Returns 1 if some
# survive.
it__kill_all() {
        local i pids
        for i in $(seq 50); do
                pids=$( { it__cg_pids; it__pids_mentioning
                        for p in ${IT_SYSTEMD_PID:-} ${IT_DBUS_PID:-}; do
                                [ -d "/proc/$p" ] && echo "$p"; done; } | sort -un | grep -vx -e "$$" -e "$BASHPID")
                [ -z "$pids" ] && return 0
                kill -KILL $pids 2>/dev/null
                # reap our own child (the manager) so it is not left a zombie
                [ -n "${IT_SYSTEMD_PID:-}" ] && wait "$IT_SYSTEMD_PID" 2>/dev/null
                sleep 0.2
        done
        return 1
}

# it_teardown: stop docker.service, then the manager (SIGTERM, 10 s), then SIGKILL all
# that is left of what we started; unmount whatever is mounted under $IT_DIR (lazily,
# deepest first); remove our cgroups and $IT_DIR. Fails (exit 99 from the trap) when a
# process naming $IT_DIR, a mount or a cgroup survives.
it_teardown() {
        local rc=$? i m left=0 d
        trap - EXIT
        trap "" INT TERM # a second signal must not cut the cleanup short
        [ -n "${IT_DIR:-}" ] && [ -d "$IT_DIR" ] || exit "$rc"
        case $IT_DIR in /tmp/dockaudit-it.??????) ;; *) echo "refusing teardown of $IT_DIR" >&2; exit 99 ;; esac
        it_log "teardown of $IT_DIR"
        for i in ${IT_FROZEN:-}; do kill -CONT "$i" 2>/dev/null; done # see it_frozen
        if [ -n "${IT_SYSTEMD_PID:-}" ] && kill -0 "$IT_SYSTEMD_PID" 2>/dev/null; then
                env -i $(it_env) timeout 30 systemctl --user stop docker.service >/dev/null 2>&1
                kill -TERM "$IT_SYSTEMD_PID" 2>/dev/null
                for i in $(seq 50); do
                        kill -0 "$IT_SYSTEMD_PID" 2>/dev/null || break
                        sleep 0.2
                done
        fi
        it__kill_all || { echo "teardown: processes survive SIGKILL" >&2; left=1; }
        [ -n "${IT_SYSTEMD_PID:-}" ] && wait "$IT_SYSTEMD_PID" 2>/dev/null

        # Mounts under $IT_DIR in this namespace (the manager's namespace died with it).
        for i in 1 2 3; do
                m=$(awk -v d="$IT_DIR" 'index($5, d "/") == 1 || $5 == d { print $5 }' /proc/self/mountinfo | sort -r)
                [ -z "$m" ] && break
                echo "$m" | while read -r d; do umount -l "$d" 2>/dev/null; done
        done
        [ -z "$m" ] || { echo "teardown: still mounted: $m" >&2; left=1; }

        # Our cgroups, deepest first (a cgroup empties a moment after its last process dies).
        for i in $(seq 25); do
                m=
                for d in $( [ -f "$IT_DIR/cgroups" ] && cat "$IT_DIR/cgroups"; for m2 in $(it__cg_mounts); do
                        [ -d "$m2/$IT_TAG-ctr" ] && echo "$m2/$IT_TAG-ctr"; done); do
                        [ -d "$d" ] || continue
                        find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
                        [ -d "$d" ] && m="$m $d"
                done
                [ -z "$m" ] && break
                sleep 0.2
        done
        [ -z "$m" ] || { echo "teardown: cgroups not removed:$m" >&2; left=1; }

        d=$(it__pids_mentioning)
        if [ -n "$d" ]; then
                echo "teardown: processes naming $IT_DIR survive:" >&2
                ps -o pid,ppid,cmd -p $d >&2
                left=1
        fi
        if [ "$left" = 0 ]; then
                if [ -n "${IT_KEEP:-}" ]; then
                        it_log "IT_KEEP set: $IT_DIR kept"
                else
                        rm -rf "$IT_DIR"
                fi
        else
                echo "teardown incomplete: $IT_DIR kept for inspection" >&2
                rc=99
        fi
        exit "$rc"
}

# it_dockaudit ARGS...: run "$DOCKAUDIT --user --rules-dir $IT_RULES_DIR ARGS" against the
# test stack (the repo's rules only, so no host /etc/dockaudit/rules.d can interfere).
# Sets IT_RC (exit status), IT_STDOUT/IT_STDERR (files) and IT_STDOUT_TEXT/IT_STDERR_TEXT.
# Extra environment: IT_DOCKAUDIT_ENV (NAME=VALUE words, applied after it_env).
it_dockaudit() {
        env -i $(it_env) ${IT_DOCKAUDIT_ENV:-} timeout 120 "$DOCKAUDIT" --user --rules-dir "$IT_RULES_DIR" "$@" \
                >"$IT_OUT/stdout" 2>"$IT_OUT/stderr"
        IT_RC=$?
        IT_STDOUT=$IT_OUT/stdout
        IT_STDERR=$IT_OUT/stderr
        IT_STDOUT_TEXT=$(cat "$IT_STDOUT")
        IT_STDERR_TEXT=$(cat "$IT_STDERR")
        return 0
}

# it_frozen PID COMMAND...: run COMMAND while process PID is stopped (SIGSTOP: the manager or
# dockerd keeps its sockets and never answers); PID is continued afterwards, and by
# it_teardown (the EXIT trap) should the suite die in between. IT_SECS: COMMAND's wall time
# in seconds (two decimals). Returns COMMAND's status.
IT_FROZEN=
it_frozen() {
        local pid=$1 rc t0
        shift
        IT_FROZEN="$IT_FROZEN $pid"
        kill -STOP "$pid" || return 1
        t0=$EPOCHREALTIME
        "$@"
        rc=$?
        IT_SECS=$(echo "$t0 $EPOCHREALTIME" | awk '{ printf "%.2f", $2 - $1 }')
        kill -CONT "$pid"
        it_log "pid $pid stopped during $1 ...: $IT_SECS s"
        IT_FROZEN=${IT_FROZEN% $pid}
        return $rc
}

# it_secs_below MAX: the last it_frozen COMMAND took less than MAX seconds.
it_secs_below() {
        awk -v s="$IT_SECS" -v m="$1" 'BEGIN { exit !(s < m) }' && return 0
        printf '  FAIL: took %s s (expected less than %s s)\n' "$IT_SECS" "$1" >&2
        return 1
}

# it__show_output: the last run's output, for failure messages.
it__show_output() {
        echo "  --- command exit status: ${IT_RC:-?}; stderr:" >&2
        sed 's/^/  | /' "${IT_STDERR:-/dev/null}" | head -n 20 >&2
        echo "  --- stdout (first 40 lines):" >&2
        sed 's/^/  | /' "${IT_STDOUT:-/dev/null}" | head -n 40 >&2
}

# assert_eq EXPECTED ACTUAL [WHAT]: fail (return 1, with a message) unless equal.
assert_eq() {
        [ "$1" = "$2" ] && return 0
        printf '  FAIL: %s: expected [%s], got [%s]\n' "${3:-value}" "$1" "$2" >&2
        return 1
}

# assert_rc EXPECTED: the last it_dockaudit exit status.
assert_rc() {
        [ "${IT_RC:-}" = "$1" ] && return 0
        printf '  FAIL: exit status: expected %s, got %s\n' "$1" "${IT_RC:-?}" >&2
        it__show_output
        return 1
}

# assert_match ERE TEXT [WHAT]: fail unless TEXT matches the extended regexp.
assert_match() {
        printf '%s' "$2" | grep -qE -- "$1" && return 0
        printf '  FAIL: %s: no match for /%s/ in:\n' "${3:-text}" "$1" >&2
        printf '%s\n' "$2" | sed 's/^/  | /' | head -n 20 >&2
        return 1
}

# assert_json JQ-EXPR EXPECTED [FILE]: `jq -r JQ-EXPR FILE` (default: last stdout) must
# print exactly EXPECTED.
assert_json() {
        local f=${3:-$IT_STDOUT} got
        if ! got=$(jq -r "$1" "$f" 2>&1); then
                printf '  FAIL: jq %s: %s\n' "$1" "$got" >&2
                it__show_output
                return 1
        fi
        [ "$got" = "$2" ] && return 0
        printf '  FAIL: jq %s: expected [%s], got [%s]\n' "$1" "$2" "$got" >&2
        return 1
}

# it_result ID: the result object of rule ID from the last JSON report (for messages).
it_result() {
        jq -c --arg id "$1" '.results[] | select(.id == $id)' "$IT_STDOUT" 2>/dev/null
}

# TAP-like runner. it_run NAME FUNCTION: run one scenario in this shell, print
# "ok N - NAME" or "not ok N - NAME" (IT_ONLY="N ...": run only those, for debugging). it_summary prints "P passed, F failed" and returns
# the exit status for the driver (0 all passed, 1 otherwise).
IT_N=0 IT_PASS=0 IT_FAIL=0
it_run() {
        local name=$1 fn=$2 rc
        IT_N=$((IT_N + 1))
        case " ${IT_ONLY:-$IT_N} " in *" $IT_N "*) ;; *) return 0 ;; esac
        it_log "=== $IT_N $name"
        "$fn"
        rc=$?
        if [ "$rc" = 0 ]; then
                echo "ok $IT_N - $name"
                IT_PASS=$((IT_PASS + 1))
        else
                echo "not ok $IT_N - $name"
                IT_FAIL=$((IT_FAIL + 1))
        fi
}
it_summary() {
        echo "$IT_PASS passed, $IT_FAIL failed"
        [ "$IT_FAIL" = 0 ]
}
