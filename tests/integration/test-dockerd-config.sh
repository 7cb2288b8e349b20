#!/bin/bash
# SPDX-License-Identifier: MIT
# Issue 10, rules 7 and 9 on a real systemd user manager and the real dockerd 20.10 of this
# machine (see lib.sh for the isolation), each failure shown happening with the bad setting
# and not after the change:
#   1. log-size-unbounded: with json-file and no max-size a container's log file grows past
#      what the fixed configuration allows (10m x 3); `dockaudit --user fix --yes --restart`
#      adds log-opts to daemon.json (the existing keys kept), dockerd is restarted, a NEW
#      container's log rotates and stays bounded while the old container keeps logging
#      without a limit (it keeps the log options it was created with: the rule's note).
#   2. daemon-json-unknown-key: dockerd 20.10 refuses to start with "disable-legacy-registry"
#      (removed in 19.03: florianutz/DockerCE-CIS#2) and "log-format" (added in 25.0);
#      dockaudit reports both by the installed version (`dockerd --version`); without them
#      dockerd starts.
#   3. The same keys judged by `dockerd --validate`: this machine's dockerd is 20.10, which
#      has no --validate (Engine 23+), so a stand-in dockerd (a script printing what moby
#      v23.0.0 cmd/dockerd prints: "Docker version ...", "configuration OK" or the error on
#      stderr, exit 1) is the unit's program; dockaudit takes its verdict.
#   4. option-set-twice for an option other than hosts: --log-level in a drop-in's
#      ExecStart= and "log-level" in daemon.json: dockerd refuses to start, dockaudit reports
#      it; with the key gone dockerd starts.
# Run by `make check` with DOCKAUDIT and top_srcdir set; as root. Prints "ok N - NAME" /
# "not ok N - NAME" and "P passed, F failed". Exit: 0 all passed, 1 a scenario failed, 99
# the harness could not run.
srcdir=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$srcdir/../.." && pwd)}
. "$srcdir/lib.sh"

it_require_dockaudit
UNITS=$srcdir/units
MIB=$((1024 * 1024))

# upstream_unit [DROPIN...]: moby's unit adapted to the test stack (units/upstream.service),
# daemon.json as given on stdin.
upstream_unit() {
        cat >"$IT_DAEMON_JSON"
        it_install_docker_unit "$UNITS/upstream.service" "$@"
}

# log_bytes NAME: the bytes of a container's json-file log, the rotated files included, and
# the size of the largest one: "TOTAL LARGEST FILES".
log_bytes() {
        local p total=0 largest=0 n=0 s f
        p=$(it_docker inspect --format '{{.LogPath}}' "$1") || return 1
        for f in "$p" "$p".*; do
                [ -f "$f" ] || continue
                s=$(stat -c %s "$f")
                total=$((total + s))
                [ "$s" -gt "$largest" ] && largest=$s
                n=$((n + 1))
        done
        echo "$total $largest $n"
}

# chatty NAME MIB: a container that writes about MIB MiB of 100-byte lines to stdout and exits;
# waits for it (120 s at most).
chatty() {
        it_docker rm -f "$1" >/dev/null 2>&1
        it_docker run -d --name "$1" "$IT_IMAGE" sh -c \
                "busybox yes 0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456 | busybox head -c $(($2 * MIB))" \
                >/dev/null || return 1
        timeout 120 env -i $(it_env) docker wait "$1" >/dev/null
}

# restart_expect_failure MESSAGE-ERE: docker.service does not come up, and dockerd's log says
# why; the unit is then stopped (Restart=always would keep trying).
restart_expect_failure() {
        local lines
        lines=$(wc -l <"$IT_DIR/log/dockerd.log")
        it_systemctl reset-failed docker.service 2>/dev/null
        if it_systemctl restart docker.service 2>/dev/null; then
                echo "  FAIL: docker.service started" >&2
                return 1
        fi
        it_systemctl stop docker.service 2>/dev/null
        it_systemctl reset-failed docker.service 2>/dev/null
        tail -n +"$((lines + 1))" "$IT_DIR/log/dockerd.log" >"$IT_DIR/start.err"
        grep -qE -- "$1" "$IT_DIR/start.err" || {
                echo "  FAIL: dockerd's log does not say /$1/:" >&2
                sed 's/^/  | /' "$IT_DIR/start.err" | tail -n 10 >&2
                return 1
        }
        it_log "reproduced: $(grep -E -- "$1" "$IT_DIR/start.err" | head -n 1)"
}

# 1. json-file without max-size: unbounded; the fix bounds new containers.
t_log_size() {
        local before after a
        printf '{\n  "debug": false\n}\n' | upstream_unit || return 1
        it_restart_docker || return 1
        it_docker image inspect "$IT_IMAGE" >/dev/null 2>&1 || it_import_busybox || return 1
        chatty old 12 || return 1
        read -r before a _ <<<"$(log_bytes old)"
        it_log "without max-size: old's log is $before bytes in one file"
        [ "$a" -gt $((10 * MIB)) ] || { echo "  FAIL: old's log ($a bytes) did not grow past 10m" >&2; return 1; }

        it_dockaudit audit --format json
        assert_json '.results[] | select(.id == "log-size-unbounded") | .status' fail || return 1
        assert_json '.facts["dockerd.log_driver"].value' json-file || return 1
        assert_match '^dockerd default: no --log-driver flag' \
                "$(jq -r '.facts["dockerd.log_driver"].source' "$IT_STDOUT")" "log_driver's source" || return 1

        it_dockaudit fix --yes --restart
        sed 's/^/#   | /' "$IT_STDOUT" "$IT_STDERR" >&2
        assert_rc 0 || return 1
        assert_match 'recreated' "$IT_STDOUT_TEXT" "the note on old containers" || return 1
        assert_match 'log-size-unbounded +low +fail -> pass' "$IT_STDOUT_TEXT" "before/after" || return 1
        assert_json '.debug == false and .["log-opts"] == {"max-size": "10m", "max-file": "3"}' true \
                "$IT_DAEMON_JSON" || return 1
        it_wait_docker 60 || return 1

        chatty new 24 || return 1
        read -r after a n <<<"$(log_bytes new)"
        it_log "with max-size=10m max-file=3: new's log is $after bytes in $n files, the largest $a"
        [ "$n" = 3 ] || { echo "  FAIL: new's log did not rotate into 3 files ($n)" >&2; return 1; }
        [ "$a" -le $((10 * MIB)) ] || { echo "  FAIL: a file of new's log is $a bytes (> 10m)" >&2; return 1; }
        [ "$after" -le $((30 * MIB)) ] || { echo "  FAIL: new's log is $after bytes (> 30m)" >&2; return 1; }
        # the old container keeps the options it was created with: none
        assert_eq "map[]" "$(it_docker inspect --format '{{.HostConfig.LogConfig.Config}}' old)" \
                "old's log options" || return 1
        assert_eq "map[max-file:3 max-size:10m]" \
                "$(it_docker inspect --format '{{.HostConfig.LogConfig.Config}}' new)" "new's log options" || return 1

        it_dockaudit fix --yes --restart
        assert_rc 0 || return 1
        assert_match 'Nothing to change' "$IT_STDOUT_TEXT" "second run" || return 1
        it_docker rm -f old new >/dev/null 2>&1
        return 0
}

# 2. Keys dockerd 20.10 does not know: it refuses to start; dockaudit says so by its version.
t_unknown_keys() {
        printf '{\n  "disable-legacy-registry": true,\n  "log-format": "json",\n  "debug": false\n}\n' |
                upstream_unit || return 1
        restart_expect_failure "the following directives don't match any configuration option: .*disable-legacy-registry" ||
                return 1
        grep -q "log-format" "$IT_DIR/start.err" || { echo "  FAIL: dockerd did not name log-format" >&2; return 1; }

        it_dockaudit audit --format json
        [ "$IT_RC" = 1 ] || [ "$IT_RC" = 2 ] || { assert_rc "1 or 2"; return 1; }
        assert_json '.facts["dockerd.version"].value' "$(dockerd --version | sed 's/^Docker version \([^,]*\),.*/\1/')" ||
                return 1
        # dockerd did not start: the version of the installed binary, from the package that
        # ships it (docker.io here), else from the binary itself
        assert_match '^(/var/lib/dpkg/status, package (docker.io|docker-ce|moby-engine)|`/.*dockerd --version`)$' \
                "$(jq -r '.facts["dockerd.version"].source' "$IT_STDOUT")" "dockerd.version's source" || return 1
        assert_json '.facts["daemon_json.unknown_keys"].value | join(",")' "disable-legacy-registry,log-format" ||
                return 1
        assert_json '.results[] | select(.id == "daemon-json-unknown-key") | .status' fail || return 1
        assert_json '.results[] | select(.id == "daemon-json-invalid") | .status' pass || return 1
        assert_json '.facts["dockerd.validate_message"].known' false || return 1

        printf '{\n  "debug": false\n}\n' >"$IT_DAEMON_JSON"
        it_restart_docker || return 1
        it_dockaudit audit --format json
        assert_json '.results[] | select(.id == "daemon-json-unknown-key") | .status' pass || return 1
}

# 3. Engine 23+: `dockerd --validate` is the final word (a stand-in dockerd, see the header).
t_validate_stand_in() {
        local fake=$IT_DIR/bin/dockerd
        mkdir -p "$IT_DIR/bin"
        cat >"$fake" <<'EOF'
#!/bin/sh
# Stand-in for dockerd 25.0.3: what moby v23.0.0+ cmd/dockerd prints for --version and --validate.
cfg=
for a in "$@"; do
        case $a in
        --version) echo "Docker version 25.0.3, build 4debf41"; exit 0 ;;
        esac
done
while [ $# -gt 0 ]; do
        case $1 in
        --config-file) cfg=$2; shift ;;
        --config-file=*) cfg=${1#--config-file=} ;;
        --validate) validate=1 ;;
        esac
        shift
done
[ -n "$validate" ] || { echo "stand-in dockerd: only --version and --validate" >&2; exit 2; }
if grep -q '"containerd-plugin-namespace"' "$cfg"; then
        echo "unable to configure the Docker daemon with file $cfg: the following directives don't match any configuration option: containerd-plugin-namespace" >&2
        exit 1
fi
echo "configuration OK" >&2
EOF
        chmod 755 "$fake"
        sed "s|^ExecStart=@DOCKERD@|ExecStart=$fake|" "$UNITS/upstream.service" >"$IT_DIR/stand-in.service"
        # docker/docs#19398: the documented "containerd-plugin-namespace" (dockerd 25 refuses it)
        printf '{\n  "containerd-plugin-namespace": "plugins",\n  "log-format": "json"\n}\n' |
                upstream_unit_file "$IT_DIR/stand-in.service" || return 1
        it_dockaudit audit --format json
        assert_json '.facts["dockerd.version"].value' 25.0.3 || return 1
        assert_match "containerd-plugin-namespace" \
                "$(jq -r '.facts["dockerd.validate_message"].value' "$IT_STDOUT")" "validate message" || return 1
        # log-format is a 25.0 key: dockerd 25 accepts it, only the typo is reported
        assert_json '.facts["daemon_json.unknown_keys"].value | join(",")' containerd-plugin-namespace || return 1
        assert_match 'dockerd.*--validate' "$(jq -r '.facts["daemon_json.unknown_keys"].source' "$IT_STDOUT")" \
                "unknown_keys' source" || return 1
        assert_json '.results[] | select(.id == "daemon-json-unknown-key") | .status' fail || return 1

        printf '{\n  "log-format": "json"\n}\n' >"$IT_DAEMON_JSON"
        it_dockaudit audit --format json
        assert_json '.facts["dockerd.validate_message"].value' "" || return 1
        assert_json '.facts["daemon_json.valid"].value' true || return 1
        assert_json '.results[] | select(.id == "daemon-json-unknown-key") | .status' pass || return 1
}

# upstream_unit_file FILE: like upstream_unit with another unit file.
upstream_unit_file() {
        cat >"$IT_DAEMON_JSON"
        it_install_docker_unit "$1"
}

# 4. --log-level in ExecStart= (a drop-in) and "log-level" in daemon.json.
t_option_set_twice() {
        local d=$IT_DIR/50-log-level.conf
        printf '[Service]\nExecStart=\nExecStart=@DOCKERD@ @DOCKERD_TEST_ARGS@ --log-level=warn\n' >"$d"
        printf '{\n  "log-level": "info"\n}\n' | upstream_unit "$d" || return 1
        restart_expect_failure "specified both as a flag and in the configuration file: log-level" || return 1
        it_dockaudit audit --format json
        assert_json '.facts["dockerd.conflicting_options"].value | join(",")' log-level || return 1
        assert_json '.results[] | select(.id == "option-set-twice") | .status' fail || return 1
        assert_match '50-log-level.conf' "$(jq -r '.facts["dockerd.argv"].source' "$IT_STDOUT")" "argv's source" ||
                return 1

        printf '{\n  "debug": false\n}\n' >"$IT_DAEMON_JSON"
        it_restart_docker || return 1
        it_dockaudit audit --format json
        assert_json '.results[] | select(.id == "option-set-twice") | .status' pass || return 1
}

it_setup
it_run "json-file without max-size grows; fix bounds new containers" t_log_size
it_run "unknown keys: dockerd 20.10 refuses, dockaudit reports by version" t_unknown_keys
it_run "dockerd --validate (stand-in for Engine 25) is the final word" t_validate_stand_in
it_run "log-level as flag and in daemon.json: dockerd refuses, reported" t_option_set_twice
it_summary
