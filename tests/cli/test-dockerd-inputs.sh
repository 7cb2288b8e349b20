#!/bin/bash
# SPDX-License-Identifier: MIT
# What dockerd is started with, judged offline (--root, no service manager): a daemon.json
# that cannot be read or that dockerd refuses, a --config-file that does not exist, shells
# nested in ExecStart=, EnvironmentFile= that systemd cannot load (issue 9: each of these
# reported a clean host, exit 0). Run by `make check` with DOCKAUDIT and top_srcdir set.
# Prints "ok N - name" lines and "P passed, F failed"; exit 0 all passed, 1 a case failed,
# 99 cannot run.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x "${DOCKAUDIT:-}" ] || { echo "DOCKAUDIT is not set to the built binary" >&2; exit 99; }
command -v jq >/dev/null || { echo "jq is missing (autogen.sh installs it)" >&2; exit 99; }

RULES=$top_srcdir/rules
TMP=$(mktemp -d /tmp/dockaudit-dockerd-inputs.XXXXXX)
trap 'chmod -R u+rwX "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
. "$(dirname "$0")/lib.sh"

# expect_problem ERE: one of the report's problems matches.
expect_problem() {
        jq -r '.problems[]?' "$TMP/out" | grep -qE -- "$1" || fail "no problem matches /$1/"
}
expect_no_problem() {
        [ "$(jq -r '.problems | length' "$TMP/out")" = 0 ] || fail "unexpected problems"
}

# image NAME EXECSTART [SERVICE-LINES...]: a root with docker.service (ExecStart= and any
# extra [Service] lines) and nothing else; prints its path.
image() {
        local r=$TMP/$1 l
        rm -rf "$r"
        mkdir -p "$r/lib/systemd/system" "$r/etc/docker"
        {
                printf '[Unit]\nDescription=Docker\n\n[Service]\nExecStart=%s\n' "$2"
                shift 2
                for l in "$@"; do printf '%s\n' "$l"; done
        } >"$r/lib/systemd/system/docker.service"
        echo "$r"
}

t_report_is_json() {
        jq -e '.schema == "dockaudit-report/1"' "$TMP/out" >/dev/null || fail "no JSON report"
}

# ---- daemon.json that cannot be read, and --config-file ----

t_daemon_json_directory() {
        local r
        r=$(image dir /usr/bin/dockerd)
        mkdir "$r/etc/docker/daemon.json"
        da --root "$r" audit --format json
        expect_rc 2 && t_report_is_json && expect_problem '^/etc/docker/daemon.json: cannot be read: ' &&
                expect_json '.facts["daemon_json.valid"].known' false
}
t_daemon_json_symlink_loop() {
        local r
        r=$(image loop /usr/bin/dockerd)
        ln -s daemon.json "$r/etc/docker/daemon.json"
        da --root "$r" audit --format json
        expect_rc 2 && expect_problem '^/etc/docker/daemon.json: cannot be read: .*symbolic links'
}
t_daemon_json_dev_zero() {
        local r
        r=$(image zero /usr/bin/dockerd)
        mkdir -p "$r/dev"
        # a link to the root's own /dev/zero (inside --root): a character device like the host's
        mknod "$r/dev/zero" c 1 5 2>/dev/null || cp -a /dev/zero "$r/dev/zero" 2>/dev/null ||
                { echo "  (cannot create a device node here: case skipped)" >&2; return 0; }
        ln -s /dev/zero "$r/etc/docker/daemon.json"
        da --root "$r" audit --format json
        expect_rc 2 && expect_problem '^/etc/docker/daemon.json: '
}
t_daemon_json_too_big() {
        local r
        r=$(image big /usr/bin/dockerd)
        truncate -s 65M "$r/etc/docker/daemon.json"
        da --root "$r" audit --format json
        expect_rc 2 && expect_problem '^/etc/docker/daemon.json: larger than 64 MiB'
}
t_daemon_json_unreadable() {
        local r as=
        r=$(image unreadable /usr/bin/dockerd)
        echo '{}' >"$r/etc/docker/daemon.json"
        chmod 000 "$r/etc/docker/daemon.json"
        if [ "$(id -u)" = 0 ]; then
                # root reads any file: run as nobody (the tree readable but for daemon.json)
                command -v setpriv >/dev/null || { echo "  (no setpriv: case skipped as root)" >&2; return 0; }
                chmod -R a+rX "$TMP" && chmod 000 "$r/etc/docker/daemon.json"
                as="setpriv --reuid=65534 --regid=65534 --clear-groups --"
        fi
        NO_COLOR= $as "$DOCKAUDIT" --rules-dir "$RULES" --root "$r" audit --format json >"$TMP/out" 2>"$TMP/err"
        RC=$?
        expect_rc 2 && expect_problem '^/etc/docker/daemon.json: cannot be read: Permission denied'
}
t_config_file_missing() {
        local r
        r=$(image cfmissing "/usr/bin/dockerd --config-file /etc/docker/custom.json")
        da --root "$r" audit --format json
        expect_rc 2 && expect_problem "^/etc/docker/custom.json: does not exist, and dockerd's --config-file" &&
                expect_json '.facts["daemon_json.path"].value' /etc/docker/custom.json
}
t_default_missing_is_fine() {
        local r
        r=$(image nodefault /usr/bin/dockerd)
        da --root "$r" audit --format json
        expect_no_problem && expect_json '.facts["daemon_json.present"].value' false
}
t_daemon_json_refused() {
        local r
        r=$(image refused /usr/bin/dockerd)
        printf '{\n  "live-restore": "true"\n}\n' >"$r/etc/docker/daemon.json"
        da --root "$r" audit --format json
        expect_rc 2 && expect_json '.facts["daemon_json.valid"].value' false &&
                expect_json '.facts["daemon_json.error"].value' \
                        '/etc/docker/daemon.json:2: "live-restore" must be true or false, not "true"' &&
                expect_json '.results[] | select(.id == "daemon-json-invalid") | .status' fail
}
t_daemon_json_trailing_data() {
        local r
        r=$(image trailing /usr/bin/dockerd)
        printf '{\n  "live-restore": true\n}\n# edited by hand\n' >"$r/etc/docker/daemon.json"
        da --root "$r" audit --format json
        expect_json '.facts["daemon_json.valid"].value' true &&
                expect_json '.facts["dockerd.live_restore"].value' true && expect_no_problem
}

# ---- shells in ExecStart= ----

t_nested_shell() {
        local r
        r=$(image nested "/bin/sh -c \"exec /bin/sh -c '/usr/bin/dockerd -H fd:// --live-restore'\"" \
                MountFlags=slave)
        da --root "$r" audit --format json
        expect_json '.facts["dockerd.live_restore"].value' true &&
                expect_json '.results[] | select(.id == "mountflags-slave-with-live-restore") | .status' fail
}
t_nested_shell_too_deep() {
        local r s='dockerd --live-restore' i
        for i in 1 2 3 4 5 6 7 8 9; do
                s="exec sh -c '$(printf '%s' "$s" | sed "s/'/'\\\\''/g")'"
        done
        r=$(image deep "/bin/sh -c \"$(printf '%s' "$s" | sed 's/\\/\\\\/g; s/"/\\"/g')\"" MountFlags=slave)
        da --root "$r" audit --format json
        expect_rc 2 && expect_problem 'nests shells \(sh -c\) more than 8 levels deep' &&
                expect_json '.facts["dockerd.live_restore"].known' false
}

# ---- EnvironmentFile= ----

t_envfile_required_missing() {
        local r
        r=$(image envmissing '/usr/bin/dockerd $OPTS' EnvironmentFile=/etc/default/docker)
        da --root "$r" audit --format json
        expect_rc 2 && expect_problem '^/etc/default/docker: EnvironmentFile= of docker.service cannot be read: No such file'
}
t_envfile_optional_missing() {
        local r
        r=$(image envoptional '/usr/bin/dockerd $OPTS' EnvironmentFile=-/etc/default/docker)
        da --root "$r" audit --format json
        expect_no_problem && expect_json '.facts["dockerd.environment_warnings"].value | length' 0
}
t_envfile_rejected() {
        local r
        r=$(image envutf8 '/usr/bin/dockerd $OPTS' EnvironmentFile=/etc/default/docker)
        mkdir -p "$r/etc/default"
        printf 'OPTS="--live-restore"\nLABEL=caf\xe9\n' >"$r/etc/default/docker"
        da --root "$r" audit --format json
        expect_rc 2 && expect_problem '^/etc/default/docker:2: Invalid UTF-8' || return 1
        # the same file with "-": systemd skips it whole, the service starts without $OPTS
        r=$(image envutf8opt '/usr/bin/dockerd $OPTS' EnvironmentFile=-/etc/default/docker)
        mkdir -p "$r/etc/default"
        printf 'OPTS="--live-restore"\nLABEL=caf\xe9\n' >"$r/etc/default/docker"
        da --root "$r" audit --format json
        expect_no_problem && expect_json '.facts["dockerd.live_restore"].value' false
}
t_envfile_ignored_line() {
        local r
        r=$(image envname '/usr/bin/dockerd $OPTS' EnvironmentFile=/etc/default/docker)
        mkdir -p "$r/etc/default"
        printf 'OPTS=--live-restore\n1BAD=x\n' >"$r/etc/default/docker"
        da --root "$r" audit --format json
        expect_no_problem && expect_json '.facts["dockerd.live_restore"].value' true &&
                expect_json '.facts["dockerd.environment_warnings"].value[0]' \
                        "/etc/default/docker:2: Ignoring invalid environment variable name '1BAD'."
}

run "daemon.json is a directory: exit 2, the file named" t_daemon_json_directory
run "daemon.json is a symlink loop: exit 2" t_daemon_json_symlink_loop
run "daemon.json is /dev/zero: exit 2" t_daemon_json_dev_zero
run "daemon.json over the size limit: exit 2" t_daemon_json_too_big
run "daemon.json unreadable: exit 2" t_daemon_json_unreadable
run "--config-file names a missing file: exit 2" t_config_file_missing
run "the default daemon.json missing is fine" t_default_missing_is_fine
run "daemon.json dockerd refuses: invalid, exit 2" t_daemon_json_refused
run "daemon.json with trailing data is valid (dockerd reads one value)" t_daemon_json_trailing_data
run "ExecStart= with a shell in a shell is looked through" t_nested_shell
run "ExecStart= with shells nested 9 deep: exit 2" t_nested_shell_too_deep
run "required EnvironmentFile= missing: exit 2" t_envfile_required_missing
run "optional EnvironmentFile= missing is fine" t_envfile_optional_missing
run "EnvironmentFile= systemd rejects: exit 2 (skipped with -)" t_envfile_rejected
run "EnvironmentFile= line systemd ignores: a warning fact" t_envfile_ignored_line
finish
