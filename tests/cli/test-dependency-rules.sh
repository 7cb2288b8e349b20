#!/bin/bash
# SPDX-License-Identifier: MIT
# The dependency rules over saved facts (`audit --facts`), without a service manager:
# containerd-bindsto, fd-without-socket, containerd-ordering and unit-override-stale, each
# failing, passing and skipped, starting from a docker-ce 18.09 host
# (tests/fixtures/facts/docker-ce-18.09-dependencies.json) changed one fact at a time.
# Run by `make check` with DOCKAUDIT and top_srcdir set. Prints "ok N - name" lines and
# "P passed, F failed"; exit 0 all passed, 1 a case failed, 99 cannot run.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x "${DOCKAUDIT:-}" ] || { echo "DOCKAUDIT is not set to the built binary" >&2; exit 99; }
for t in jq sha256sum; do command -v $t >/dev/null || { echo "$t is missing (autogen.sh installs it)" >&2; exit 99; }; done

RULES=$top_srcdir/rules
BASE=$top_srcdir/tests/fixtures/facts/docker-ce-18.09-dependencies.json
TMP=$(mktemp -d /tmp/dockaudit-deps.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/lib.sh"

# facts JQ: the base facts changed by the jq program JQ, in $TMP/facts.json.
facts() {
        jq "$1" "$BASE" >"$TMP/facts.json" || { echo "  FAIL: jq $1" >&2; return 1; }
}
# set_list NAME JSON-ARRAY / set_str NAME VALUE / set_bool NAME true|false / unknown NAME
set_list() { printf '.facts["%s"] = {"type": "list", "known": true, "value": %s, "source": "test"}' "$1" "$2"; }
set_str() { printf '.facts["%s"] = {"type": "string", "known": true, "value": "%s", "source": "test"}' "$1" "$2"; }
set_bool() { printf '.facts["%s"] = {"type": "bool", "known": true, "value": %s, "source": "test"}' "$1" "$2"; }
unknown() { printf '.facts["%s"] = {"type": "%s", "known": false, "reason": "test: not read"}' "$1" "$2"; }

# audit: the audit of $TMP/facts.json as JSON in $TMP/out; RC.
audit() {
        NO_COLOR= "$DOCKAUDIT" --rules-dir "$RULES" audit --facts "$TMP/facts.json" --format json \
                >"$TMP/out" 2>"$TMP/err"
        RC=$?
}
# status ID EXPECTED: the status of rule ID in the last audit.
status() {
        local got
        got=$(jq -r --arg id "$1" '.results[] | select(.id == $id) | .status' "$TMP/out")
        [ "$got" = "$2" ] && return 0
        echo "  FAIL: $1: expected $2, got [$got]" >&2
        jq -c --arg id "$1" '.results[] | select(.id == $id)' "$TMP/out" | head -c 2000 >&2
        echo >&2
        return 1
}
message_has() {
        jq -r --arg id "$1" '.results[] | select(.id == $id) | .message' "$TMP/out" | grep -qF -- "$2" && return 0
        echo "  FAIL: message of $1 lacks [$2]" >&2
        return 1
}

# containerd-bindsto: the 18.09 unit fails it, with the line that set it; no automatic fix.
t_bindsto_fails() {
        facts . && audit || true
        [ "$RC" = 1 ] || { echo "  FAIL: exit status $RC" >&2; return 1; }
        status containerd-bindsto fail && message_has containerd-bindsto '/lib/systemd/system/docker.service:4' ||
                return 1
        [ "$(jq -r '.results[] | select(.id == "containerd-bindsto") | .fix // "none"' "$TMP/out")" = none ] || {
                echo "  FAIL: a choose-only fix was picked by the audit" >&2; return 1; }
        status fd-without-socket pass && status containerd-ordering pass && status unit-override-stale pass
}
t_bindsto_text_names_choice() {
        facts . || return 1
        NO_COLOR= "$DOCKAUDIT" --rules-dir "$RULES" audit --facts "$TMP/facts.json" >"$TMP/out" 2>&1
        grep -qF 'no automatic fix; if you accept its trade-off: dockaudit fix --choose containerd-bindsto=override' \
                "$TMP/out" || { echo "  FAIL: text report does not name the choice" >&2; cat "$TMP/out" >&2; return 1; }
}
# Wants= (docker.io 20.10, docker-ce 20.10 Requires=) and other BindsTo= items pass.
t_bindsto_passes() {
        facts "$(set_list unit.binds_to '["dev-sda.device"]')" && audit && status containerd-bindsto pass &&
                facts "$(set_list unit.binds_to '[]') | $(set_list unit.requires '["docker.socket", "containerd.service"]')" &&
                audit && status containerd-bindsto pass
}
t_bindsto_unknown_skips() {
        facts "$(unknown unit.binds_to list)" && audit && status containerd-bindsto skip
}

# fd-without-socket: each way the socket can be missing.
t_fd_socket_ok() {
        facts . && audit && status fd-without-socket pass
}
t_fd_socket_not_found() {
        facts "$(set_str docker_socket.load_state not-found) | $(set_list unit.triggered_by '[]')" && audit &&
                status fd-without-socket fail && message_has fd-without-socket 'no sockets found via socket activation' &&
                message_has fd-without-socket 'not-found'
}
t_fd_socket_masked() {
        facts "$(set_str docker_socket.load_state masked) | $(set_str docker_socket.unit_file_state masked)" && audit &&
                status fd-without-socket fail
}
t_fd_socket_not_required() {
        # the rpm units of 17.06 with -H fd:// from $OPTIONS: a socket unit exists but nothing pulls it in
        facts "$(set_list unit.requires '["sysinit.target", "system.slice"]')" && audit &&
                status fd-without-socket fail
}
t_fd_socket_bound_counts() {
        facts "$(set_list unit.requires '["sysinit.target"]') | $(set_list unit.binds_to '["docker.socket"]')" &&
                audit && status fd-without-socket pass
}
t_fd_socket_not_triggering() {
        facts "$(set_list unit.triggered_by '[]')" && audit && status fd-without-socket fail
}
t_fd_not_used() {
        facts "$(set_list dockerd.hosts '["unix:///var/run/docker.sock"]') | $(set_str docker_socket.load_state not-found)" &&
                audit && status fd-without-socket pass &&
                facts "$(set_list dockerd.hosts '[]') | $(set_str docker_socket.load_state masked)" && audit &&
                status fd-without-socket pass
}
t_fd_unknown_skips() {
        facts "$(unknown docker_socket.load_state string) | $(unknown unit.triggered_by list)" && audit &&
                status fd-without-socket skip &&
                facts "$(unknown dockerd.hosts list) | $(set_str docker_socket.load_state masked)" && audit &&
                status fd-without-socket skip &&
                # the socket is fine: whatever the hosts are, nothing fails (the known part decides)
                facts "$(unknown dockerd.hosts list)" && audit && status fd-without-socket pass
}

# containerd-ordering: a separate containerd (flag or unit) without After=.
t_ordering_fails_flag() {
        facts "$(set_list unit.after '["network-online.target", "docker.socket"]') | $(set_str containerd_unit.load_state not-found)" &&
                audit && status containerd-ordering fail && message_has containerd-ordering '/run/containerd/containerd.sock'
}
t_ordering_fails_unit() {
        facts "$(set_list unit.after '["network-online.target"]') | $(set_str dockerd.containerd '')" && audit &&
                status containerd-ordering fail &&
                [ "$(jq -r '.results[] | select(.id == "containerd-ordering") | .fix' "$TMP/out")" = default ] || {
                echo "  FAIL: containerd-ordering has no fix picked" >&2; return 1; }
}
t_ordering_passes() {
        facts "$(set_list unit.after '["network-online.target"]') | $(set_str dockerd.containerd '') | $(set_str containerd_unit.load_state not-found)" &&
                audit && status containerd-ordering pass && facts . && audit && status containerd-ordering pass
}
t_ordering_unknown() {
        # the unit is enough to decide, whatever dockerd's flag is
        facts "$(set_list unit.after '[]') | $(unknown dockerd.containerd string)" && audit &&
                status containerd-ordering fail &&
                facts "$(set_list unit.after '[]') | $(unknown dockerd.containerd string) | $(set_str containerd_unit.load_state not-found)" &&
                audit && status containerd-ordering skip
}

# unit-override-stale: only dockaudit's own override, only when the vendor file changed.
t_stale() {
        facts "$(set_bool unit_override.present true) | $(set_bool unit_override.stale true) | $(set_str unit_override.vendor_path /lib/systemd/system/docker.service) | $(set_str unit.fragment_path /etc/systemd/system/docker.service)" &&
                audit && status unit-override-stale fail && message_has unit-override-stale 'rm /etc/systemd/system/docker.service' &&
                facts "$(set_bool unit_override.present true) | $(set_bool unit_override.stale false)" && audit &&
                status unit-override-stale pass &&
                facts "$(set_bool unit_override.present false) | $(unknown unit_override.stale bool)" && audit &&
                status unit-override-stale pass &&
                facts "$(set_bool unit_override.present true) | $(unknown unit_override.stale bool)" && audit &&
                status unit-override-stale skip
}

# rules show documents the choose-only fix.
t_rules_show() {
        NO_COLOR= "$DOCKAUDIT" --rules-dir "$RULES" rules show containerd-bindsto >"$TMP/out" 2>&1 || return 1
        grep -qF 'choose-only: yes (fix --choose containerd-bindsto=override' "$TMP/out" &&
                grep -qF 'unit-override: full copy of the unit without BindsTo=containerd.service' "$TMP/out" || {
                cat "$TMP/out" >&2; return 1; }
}

# The override in an offline image (--root): only when chosen, written under the root, the
# same command again changes nothing, a vendor update is reported.
t_root_override() {
        local r=$TMP/img u=$top_srcdir/tests/fixtures/units sum
        mkdir -p "$r/lib/systemd/system" "$r/etc/docker" "$r/etc/systemd/system" || return 1
        cp "$u/docker-ce-packaging-18.09-docker.service" "$r/lib/systemd/system/docker.service" &&
                cp "$u/docker-ce-packaging-19.03-docker.socket" "$r/lib/systemd/system/docker.socket" &&
                cp "$u/containerd-v1.2.13-containerd.service" "$r/lib/systemd/system/containerd.service" || return 1
        echo '{}' >"$r/etc/docker/daemon.json"
        # only the rules under test: the 18.09 unit fails others too (LimitNOFILE=infinity...)
        mkdir -p "$TMP/rules" || return 1
        for x in containerd-bindsto fd-without-socket containerd-ordering unit-override-stale; do
                cp "$RULES/$x.rule" "$TMP/rules/" || return 1
        done
        da() { NO_COLOR= "$DOCKAUDIT" --rules-dir "$TMP/rules" --root "$r" "$@" >"$TMP/out" 2>"$TMP/err"; RC=$?; }
        da fix --yes
        [ "$RC" = 1 ] && grep -qF 'only when chosen (--choose containerd-bindsto=override)' "$TMP/out" &&
                [ ! -e "$r/etc/systemd/system/docker.service" ] || { echo "  FAIL: fix without --choose" >&2; cat "$TMP/out" "$TMP/err" >&2; return 1; }
        da fix --yes --choose containerd-bindsto=override
        [ "$RC" = 0 ] && [ -f "$r/etc/systemd/system/docker.service" ] || { echo "  FAIL: fix --choose" >&2; cat "$TMP/out" "$TMP/err" >&2; return 1; }
        grep -qx "# dockaudit-override-of: /lib/systemd/system/docker.service sha256:$(sha256sum <"$u/docker-ce-packaging-18.09-docker.service" | cut -d' ' -f1)" \
                "$r/etc/systemd/system/docker.service" || { echo "  FAIL: header" >&2; head -3 "$r/etc/systemd/system/docker.service" >&2; return 1; }
        ! grep -q '^BindsTo=' "$r/etc/systemd/system/docker.service" || { echo "  FAIL: BindsTo= kept" >&2; return 1; }
        sum=$(cksum <"$r/etc/systemd/system/docker.service")
        da fix --yes --choose containerd-bindsto=override
        [ "$RC" = 0 ] && grep -q 'Nothing to change' "$TMP/out" && [ "$sum" = "$(cksum <"$r/etc/systemd/system/docker.service")" ] ||
                { echo "  FAIL: second run" >&2; cat "$TMP/out" "$TMP/err" >&2; return 1; }
        cp "$u/docker-ce-packaging-19.03-docker.service" "$r/lib/systemd/system/docker.service"
        da audit --format json
        [ "$RC" = 1 ] && [ "$(jq -r '.results[] | select(.id == "unit-override-stale") | .status' "$TMP/out")" = fail ] ||
                { echo "  FAIL: stale not reported" >&2; cat "$TMP/err" >&2; return 1; }
}

run "containerd-bindsto fails on the 18.09 unit, no fix picked" t_bindsto_fails
run "containerd-bindsto: the text report names the choice" t_bindsto_text_names_choice
run "containerd-bindsto passes without BindsTo=containerd.service" t_bindsto_passes
run "containerd-bindsto skips when BindsTo is unknown" t_bindsto_unknown_skips
run "fd-without-socket passes with the upstream socket" t_fd_socket_ok
run "fd-without-socket: socket not found" t_fd_socket_not_found
run "fd-without-socket: socket masked" t_fd_socket_masked
run "fd-without-socket: socket not required" t_fd_socket_not_required
run "fd-without-socket: BindsTo= the socket pulls it in too" t_fd_socket_bound_counts
run "fd-without-socket: socket does not trigger the unit" t_fd_socket_not_triggering
run "fd-without-socket passes without fd://" t_fd_not_used
run "fd-without-socket skips on unknown facts" t_fd_unknown_skips
run "containerd-ordering fails: --containerd= without After=" t_ordering_fails_flag
run "containerd-ordering fails: containerd.service without After=, drop-in fix" t_ordering_fails_unit
run "containerd-ordering passes" t_ordering_passes
run "containerd-ordering with dockerd.containerd unknown" t_ordering_unknown
run "unit-override-stale" t_stale
run "rules show containerd-bindsto" t_rules_show
run "the override in an offline image (--root)" t_root_override
finish
