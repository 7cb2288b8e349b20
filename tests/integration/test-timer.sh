#!/bin/bash
# SPDX-License-Identifier: MIT
# The periodic run (issue 11) on a real systemd user manager (see lib.sh for the isolation):
# data/systemd/dockaudit-audit.service and .timer, adapted for the user manager, are
# installed and verified; the service is started for real (systemctl --user start) against a
# docker.service with MountFlags=slave and --live-restore; its reports appear in its
# StateDirectory and rotate to $DOCKAUDIT_KEEP; the findings are read back from a real
# journal with a real journalctl (`-p warning MESSAGE_ID=...`), and so are the changes of
# `fix`. The timer is listed with its randomized delay.
#
# The journal: the harness's manager has none, and the host's must not be touched. A real
# systemd-journald runs as a unit of the test manager, inside the manager's mount namespace
# (where /run is the harness's tmpfs): it owns /run/systemd/journal/socket there, which is
# where libsystemd's sd_journal_send() sends, and keeps its files in /run/log/journal (the
# namespace's tmpfs: a journald.conf bind-mounted there says Storage=volatile, ReadKMsg=no, no
# forwarding). journalctl -D /run/log/journal, run in that namespace, reads them back.
#
# Sandbox options not in the user variant, and why:
#   PrivateTmp=yes  the harness lives in /tmp/dockaudit-it.XXXXXX: the user bus socket, the
#                   unit files dockaudit reads and the state directory are there, and a
#                   private /tmp would hide them. (The system service has none of these in
#                   /tmp.)
#   ProtectKernelTunables=yes, ProtectKernelLogs=yes
#                   the service then fails with 226/NAMESPACE on the machine these tests were
#                   written on (a Firecracker VM, kernel 6.18, without /proc/kcore and
#                   /proc/sysrq-trigger): systemd 252 cannot set up the namespace there, for
#                   /bin/true as well. On a Debian host they work, as for Debian's own units.
# Everything else of the system unit applies: the test manager runs as root, so it can set
# up mount namespaces, seccomp and the capability bounding set like the system manager.
#
# Run by `make check` with DOCKAUDIT, top_srcdir and top_builddir set; as root. Prints
# "ok N - NAME" / "not ok N - NAME" and "P passed, F failed". Exit: 0 all passed, 1 a
# scenario failed, 99 the harness could not run.
srcdir=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$srcdir/../.." && pwd)}
. "$srcdir/lib.sh"

it_require_dockaudit
UNITS=$srcdir/units
SYSTEMD_DATA=$top_srcdir/data/systemd
JOURNALD=${JOURNALD:-/lib/systemd/systemd-journald}
[ -x "$JOURNALD" ] || it_hard_error "$JOURNALD not found (package systemd)"
for t in nsenter journalctl systemd-analyze; do
        command -v "$t" >/dev/null || it_hard_error "'$t' not found"
done
FIX_APPLIED_ID=463fb561edd6850f8540de79e5a9a2aa # id128_for_event("fix-applied"): test-id128-name.c

# in_ns CMD...: CMD in the manager's mount namespace, with the test environment.
in_ns() {
        env -i $(it_env) timeout 120 nsenter --target "$IT_SYSTEMD_PID" --mount -- "$@"
}

# journal ARGS...: journalctl over the test journal only (-D), one JSON entry a line.
journal() {
        in_ns journalctl -D /run/log/journal --no-pager -o json "$@"
}

# journal_wait N ARGS...: journal ARGS once it has at least N entries (10 s at most: journald
# reads its socket asynchronously).
journal_wait() {
        local n=$1 i out
        shift
        for i in $(seq 50); do
                out=$(journal "$@" 2>/dev/null)
                [ "$(printf '%s' "$out" | grep -c .)" -ge "$n" ] && break
                sleep 0.2
        done
        printf '%s\n' "$out"
}

# count ARGS...: the number of test journal entries matching ARGS.
count() {
        journal "$@" 2>/dev/null | grep -c .
}

message_id() {
        "$DOCKAUDIT" --rules-dir "$IT_RULES_DIR" rules show "$1" | sed -n 's/^message-id: *//p'
}

# user_service: the system unit for the test's user manager (see the header).
user_service() {
        sed -e "s|@bindir@/dockaudit audit|$DOCKAUDIT --user --rules-dir $IT_RULES_DIR audit|" \
                -e '/^PrivateTmp=/d' -e '/^ProtectKernelTunables=/d' -e '/^ProtectKernelLogs=/d' \
                "$SYSTEMD_DATA/dockaudit-audit.service.in"
}

start_journald() {
        printf '%s\n' '[Journal]' Storage=volatile ReadKMsg=no ForwardToSyslog=no ForwardToKMsg=no \
                ForwardToConsole=no ForwardToWall=no RuntimeMaxUse=16M >"$IT_DIR/journald.conf"
        in_ns mount -n --bind "$IT_DIR/journald.conf" /etc/systemd/journald.conf || return 1
        printf '%s\n' '[Unit]' 'Description=dockaudit-it journald (volatile, in the manager namespace)' \
                '[Service]' Type=notify "ExecStart=$JOURNALD" >"$IT_UNIT_DIR/dockaudit-it-journald.service"
        it_systemctl daemon-reload && it_systemctl start dockaudit-it-journald.service || return 1
        in_ns test -S /run/systemd/journal/socket || { echo "no journal socket" >&2; return 1; }
        it_log "journald pid $(it_systemctl show -p MainPID --value dockaudit-it-journald.service)"
}

STATE= # the service's StateDirectory (user manager, systemd 252: $XDG_CONFIG_HOME/dockaudit)
reports() {
        (cd "$STATE" && ls report-*.json 2>/dev/null)
}

t_units_verify() {
        local d=$IT_DIR/verify v
        mkdir -p "$d/system" "$d/user"
        # systemd-analyze wants the binary where ExecStart= says: the build's dockaudit
        sed "s|@bindir@|$(dirname "$DOCKAUDIT")|" "$SYSTEMD_DATA/dockaudit-audit.service.in" \
                >"$d/system/dockaudit-audit.service"
        user_service >"$d/user/dockaudit-audit.service"
        cp "$SYSTEMD_DATA/dockaudit-audit.timer" "$d/system/"
        cp "$SYSTEMD_DATA/dockaudit-audit.timer" "$d/user/"
        (cd "$d/system" && systemd-analyze verify --man=no ./dockaudit-audit.service ./dockaudit-audit.timer) ||
                { echo "  FAIL: systemd-analyze verify (system variant)" >&2; return 1; }
        (cd "$d/user" && env -i $(it_env) systemd-analyze --user verify --man=no ./dockaudit-audit.service \
                ./dockaudit-audit.timer) || { echo "  FAIL: systemd-analyze --user verify" >&2; return 1; }
        for v in system user; do
                it_log "$v: $(systemd-analyze security --offline=yes --no-pager "$d/$v/dockaudit-audit.service" 2>&1 |
                        tail -n 1)"
        done
        # the exposure the unit's comment states
        systemd-analyze security --offline=yes --no-pager "$d/system/dockaudit-audit.service" 2>&1 |
                tail -n 1 | grep -q 'exposure level for dockaudit-audit.service: 1\.[0-9] OK' ||
                { echo "  FAIL: the system unit's exposure is not 1.x OK" >&2; return 1; }
}

t_install() {
        user_service >"$IT_UNIT_DIR/dockaudit-audit.service" || return 1
        cp "$SYSTEMD_DATA/dockaudit-audit.timer" "$IT_UNIT_DIR/" || return 1
        # N configured the documented way: a drop-in with Environment=DOCKAUDIT_KEEP=
        mkdir -p "$IT_UNIT_DIR/dockaudit-audit.service.d"
        printf '[Service]\nEnvironment=DOCKAUDIT_KEEP=2\n' >"$IT_UNIT_DIR/dockaudit-audit.service.d/keep.conf"
        it_systemctl daemon-reload || return 1
        assert_eq loaded "$(it_systemctl show -p LoadState --value dockaudit-audit.service)" "service" || return 1
        assert_eq loaded "$(it_systemctl show -p LoadState --value dockaudit-audit.timer)" "timer" || return 1
        STATE=$IT_CONFIG_HOME/dockaudit
}

t_timer_listed() {
        local out
        it_systemctl start dockaudit-audit.timer || return 1
        out=$(it_systemctl list-timers --all)
        it_log "list-timers: $(printf '%s' "$out" | grep dockaudit)"
        assert_match 'dockaudit-audit\.timer +dockaudit-audit\.service' "$out" "list-timers" || return 1
        assert_eq 1h "$(it_systemctl show -p RandomizedDelayUSec --value dockaudit-audit.timer)" \
                "RandomizedDelayUSec" || return 1
        assert_eq yes "$(it_systemctl show -p Persistent --value dockaudit-audit.timer)" "Persistent" || return 1
        # the next run is scheduled: a time, not n/a
        assert_match '^[A-Z][a-z][a-z] [0-9]{4}-' \
                "$(it_systemctl show -p NextElapseUSecRealtime --value dockaudit-audit.timer)" "next elapse" || return 1
}

# Three runs of the service: each adds a report; two are kept; latest.json is the newest.
t_service_runs() {
        local i n newest
        for i in 1 2 3; do
                if ! it_systemctl start dockaudit-audit.service; then
                        it_systemctl status dockaudit-audit.service >&2
                        tail -n 20 "$IT_DIR/log/systemd.log" >&2
                        return 1
                fi
                assert_eq success "$(it_systemctl show -p Result --value dockaudit-audit.service)" "Result" || return 1
                # 1: findings (SuccessExitStatus=1): the slave + live-restore unit fails a high rule
                assert_eq 1 "$(it_systemctl show -p ExecMainStatus --value dockaudit-audit.service)" "status" ||
                        { tail -n 20 "$IT_DIR/log/systemd.log" >&2; return 1; }
                n=$(reports | wc -l)
                assert_eq $((i < 2 ? i : 2)) "$n" "reports after run $i" || return 1
        done
        newest=$(reports | tail -n 1)
        cmp -s "$STATE/$newest" "$STATE/latest.json" || { echo "  FAIL: latest.json is not $newest" >&2; return 1; }
        assert_json '.schema' dockaudit-report/1 "$STATE/latest.json" || return 1
        assert_json '.results[] | select(.id == "mountflags-slave-with-live-restore") | .status' fail \
                "$STATE/latest.json" || return 1
        assert_json '.summary.exit_status' 1 "$STATE/latest.json" || return 1
        assert_eq "drwxr-x--- -rw-r-----" "$(stat -c %A "$STATE") $(stat -c %A "$STATE/$newest")" "modes" ||
                return 1
        assert_eq "latest.json $(reports | tr '\n' ' ')" "$(ls "$STATE" | tr '\n' ' ')" "state dir" || return 1
}

# The findings in the journal: one entry a run for the high rule, found by its MESSAGE_ID with
# -p warning and -p err; the medium one with -p warning only.
t_journal_findings() {
        local high med out e=$IT_OUT/entry.json
        high=$(message_id mountflags-slave-with-live-restore)
        med=$(message_id mountflags-slave-on-fixed-kernel)
        [ ${#high} = 32 ] && [ ${#med} = 32 ] || { echo "  FAIL: message ids '$high' '$med'" >&2; return 1; }
        out=$(journal_wait 3 -p warning MESSAGE_ID="$high")
        assert_eq 3 "$(printf '%s\n' "$out" | grep -c .)" "high entries (-p warning)" ||
                { journal | tail -n 5 >&2; return 1; }
        printf '%s\n' "$out" | tail -n 1 >"$e"
        it_log "entry: $(cat "$e")"
        assert_json '.PRIORITY' 3 "$e" || return 1
        assert_json '.RULE' mountflags-slave-with-live-restore "$e" || return 1
        assert_json '.UNIT' docker.service "$e" || return 1
        assert_json '.SEVERITY' high "$e" || return 1
        assert_json '.SYSLOG_IDENTIFIER' dockaudit "$e" || return 1
        assert_json '.DOCKAUDIT_MANAGER' user "$e" || return 1
        assert_json '[.EVIDENCE[] | select(test("^unit.mount_flags=slave [(].*docker.service:[0-9]+[)]$"))] | length' \
                1 "$e" || return 1
        assert_json '[.EVIDENCE[] | select(test("^dockerd.live_restore=true [(].*etc/default/docker:[0-9]+[)]$"))] | length' \
                1 "$e" || return 1
        assert_match "^$STATE/report-[0-9]{8}T[0-9]{6}[.][0-9]{6}Z[.]json\$" "$(jq -r .DOCKAUDIT_REPORT "$e")" \
                "DOCKAUDIT_REPORT" || return 1
        assert_match '^docker.service: mountflags-slave-with-live-restore [(]high[)]: ' "$(jq -r .MESSAGE "$e")" \
                "MESSAGE" || return 1
        # sent from the service: journald's trusted field, the sender's cgroup (the harness's
        # cgroup tree is not under user@.service, so journald names no _SYSTEMD_USER_UNIT)
        assert_json '._SYSTEMD_CGROUP | endswith("/app.slice/dockaudit-audit.service")' true "$e" || return 1
        assert_eq 3 "$(count -p err MESSAGE_ID="$high")" "high entries (-p err)" || return 1
        assert_eq 3 "$(journal_wait 3 -p warning MESSAGE_ID="$med" | grep -c .)" "medium entries (-p warning)" ||
                return 1
        assert_eq 0 "$(count -p err MESSAGE_ID="$med")" "medium entries (-p err)" || return 1
}

# fix logs each change: the drop-in written and the reload, with the fix-applied MESSAGE_ID;
# the next run of the service logs no more high findings.
t_journal_fix() {
        local high out n f1=$IT_OUT/fix1.json f2=$IT_OUT/fix2.json
        high=$(message_id mountflags-slave-with-live-restore)
        in_ns "$DOCKAUDIT" --user --rules-dir "$IT_RULES_DIR" fix --yes >"$IT_OUT/fix.out" 2>&1
        grep -q 'Reloaded the user service manager' "$IT_OUT/fix.out" || { cat "$IT_OUT/fix.out" >&2; return 1; }
        # one entry per file written (the drop-in; daemon.json too where other rules of the set
        # want log-opts) and one for the reload, last
        n=$(grep -cE '^(Created|Updated|Wrote) ' "$IT_OUT/fix.out")
        out=$(journal_wait $((n + 1)) MESSAGE_ID="$FIX_APPLIED_ID")
        assert_eq $((n + 1)) "$(printf '%s\n' "$out" | grep -c .)" "fix entries" || return 1
        printf '%s\n' "$out" | jq -c --arg f "$IT_UNIT_DIR/docker.service.d/50-dockaudit.conf" 'select(.FILE == $f)' >"$f1"
        printf '%s\n' "$out" | tail -n 1 >"$f2"
        it_log "fix entries: $(cat "$f1" "$f2")"
        assert_json '.FIX_ACTION' create "$f1" || return 1
        assert_json '.FILE' "$IT_UNIT_DIR/docker.service.d/50-dockaudit.conf" "$f1" || return 1
        assert_json '.PRIORITY' 5 "$f1" || return 1
        assert_json '[.RULE] | flatten | index("mountflags-slave-with-live-restore") != null' true "$f1" || return 1
        assert_match 'MountFlags=shared' "$(jq -r .DIFF "$f1")" "DIFF" || return 1
        assert_json '.FIX_ACTION' reload "$f2" || return 1
        # the next periodic run passes the rule and logs no new high entry
        it_systemctl start dockaudit-audit.service || return 1
        assert_json '.results[] | select(.id == "mountflags-slave-with-live-restore") | .status' pass \
                "$STATE/latest.json" || return 1
        sleep 1
        assert_eq 3 "$(count MESSAGE_ID="$high")" "high entries after the fix" || return 1
        assert_eq 2 "$(reports | wc -l)" "reports kept" || return 1
}

# facts_of FILE: the facts of a JSON report, sorted, one a line (known, value, source, reason).
# The values of unit.tasks_current and unit.tasks_wanted are counts of dockerd's threads at that
# moment (Go's runtime starts and ends threads between two runs): their sources are compared,
# not their numbers, as in test-container.sh.
facts_of() {
        jq -S -c '.facts | del(.["unit.tasks_current"].value, .["unit.tasks_wanted"].value) | to_entries[]' "$1"
}

# The sandbox lets the audit read what it must: with dockerd running and a container, the
# service's facts (namespaces, leaks scan, Docker API, unit, files, kernel) are those of the
# same audit run without a sandbox in the same mount namespace; without CAP_SYS_PTRACE in the
# bounding set, dockerd's namespace could not be read (so the one capability kept is needed).
t_sandbox_sees_all() {
        local d=$IT_UNIT_DIR/dockaudit-audit.service.d
        it_start_docker || return 1
        it_import_busybox || return 1
        it_docker run -d --name sandbox-probe "$IT_IMAGE" sleep 600 >/dev/null || return 1
        it_systemctl start dockaudit-audit.service || return 1
        in_ns "$DOCKAUDIT" --user --rules-dir "$IT_RULES_DIR" audit --format json >"$IT_OUT/direct.json" 2>/dev/null
        assert_json '.facts["ns.dockerd_mnt"].known' true "$STATE/latest.json" || return 1
        assert_json '.facts["docker.running_containers_count"].value' 1 "$STATE/latest.json" || return 1
        assert_json '.facts["leaks.count"].known' true "$STATE/latest.json" || return 1
        if ! diff <(facts_of "$IT_OUT/direct.json") <(facts_of "$STATE/latest.json") >"$IT_OUT/facts.diff"; then
                echo "  FAIL: the sandboxed service's facts differ from a direct audit's:" >&2
                sed 's/^/  | /' "$IT_OUT/facts.diff" | head -n 20 >&2
                return 1
        fi
        printf '[Service]\nCapabilityBoundingSet=~CAP_SYS_PTRACE\n' >"$d/no-ptrace.conf"
        it_systemctl daemon-reload && it_systemctl start dockaudit-audit.service
        rm -f "$d/no-ptrace.conf"
        it_systemctl daemon-reload
        it_log "without CAP_SYS_PTRACE: $(jq -c '.facts["ns.dockerd_mnt"]' "$STATE/latest.json")"
        assert_json '.facts["ns.dockerd_mnt"].known' false "$STATE/latest.json" || return 1
        it_docker rm -f sandbox-probe >/dev/null
}

it_setup
cp "$UNITS/etc-default-docker" "$IT_DIR/etc/default/docker" || it_hard_error "etc-default-docker"
echo 'DOCKER_OPTS="--live-restore"' >>"$IT_DIR/etc/default/docker"
it_install_docker_unit "$UNITS/slave-envfile.service" || it_hard_error "docker.service not installed"
start_journald || it_hard_error "systemd-journald did not start in the manager's namespace"
it_run "systemd-analyze verify: system and user variants; exposure" t_units_verify
it_run "install the service and the timer in the user manager" t_install
it_run "the timer: listed, randomized delay, persistent" t_timer_listed
it_run "the service: reports in the StateDirectory, rotated to DOCKAUDIT_KEEP" t_service_runs
it_run "the findings in the journal: MESSAGE_ID, -p warning / -p err, fields" t_journal_findings
it_run "fix logs its changes to the journal; the next run is clean" t_journal_fix
it_run "the sandbox: the same facts as an audit without it; CAP_SYS_PTRACE needed" t_sandbox_sees_all
it_summary
