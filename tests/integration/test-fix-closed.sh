#!/bin/bash
# SPDX-License-Identifier: MIT
# Fail closed on a real systemd user manager (issue 9; see lib.sh for the isolation):
# dockaudit run with a relative $XDG_CONFIG_HOME or another $HOME than the manager's still
# sees the unit where the manager loaded it (no false unit-needs-daemon-reload, the drop-in
# where the manager reads it, a second fix writes and reloads nothing); a later drop-in
# that would undo the fix is refused, named, and nothing is written or reloaded.
# Run by `make check` with DOCKAUDIT, top_srcdir and top_builddir set; as root. Prints
# "ok N - NAME" / "not ok N - NAME" and "P passed, F failed". Exit: 0 all passed, 1 a
# scenario failed, 99 the harness could not run.
srcdir=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$srcdir/../.." && pwd)}
. "$srcdir/lib.sh"

it_require_dockaudit
UNITS=$srcdir/units

dropin() {
        echo "$IT_UNIT_DIR/docker.service.d/50-dockaudit.conf"
}
reload_count() {
        grep -c 'Reloading' "$IT_DIR/log/systemd.log"
}
checksums() {
        find "$IT_DIR/home" "$IT_DIR/other" -type f -o -type l 2>/dev/null | sort | xargs -r sha256sum
}

# fresh_unit [DROPIN...]: the v1.11.2 unit (MountFlags=slave) with --live-restore, freshly
# loaded (daemon-reload) with no drop-in of ours.
fresh_unit() {
        echo '{}' >"$IT_DAEMON_JSON"
        cp "$UNITS/etc-default-docker" "$IT_DIR/etc/default/docker" || return 1
        echo 'DOCKER_OPTS="--live-restore"' >>"$IT_DIR/etc/default/docker"
        it_install_docker_unit "$UNITS/slave-envfile.service" "$@"
}

# user_env_case ENV...: with dockaudit's environment changed by ENV (NAME=VALUE words), an
# audit right after the load passes unit-needs-daemon-reload; fix --yes writes the drop-in
# where the manager reads it and reloads; a second fix writes and reloads nothing.
user_env_case() {
        local sums reloads
        IT_DOCKAUDIT_ENV="$*"
        fresh_unit || return 1
        it_dockaudit audit --format json
        assert_json '.results[] | select(.id == "unit-needs-daemon-reload") | .status' pass || return 1
        assert_json '.results[] | select(.id == "mountflags-slave-with-live-restore") | .status' fail || return 1
        it_dockaudit fix --yes
        [ "$IT_RC" = 0 ] || [ "$IT_RC" = 1 ] || { assert_rc "0 or 1"; return 1; }
        assert_match 'Reloaded the user service manager' "$IT_STDOUT_TEXT" || return 1
        [ -f "$(dropin)" ] || { echo "  FAIL: no drop-in at $(dropin)" >&2; it__show_output; return 1; }
        assert_eq shared "$(it_systemctl show -p MountFlags --value docker.service)" "loaded MountFlags" ||
                return 1
        it_dockaudit audit --format json
        assert_json '.results[] | select(.id == "unit-needs-daemon-reload") | .status' pass || return 1
        sums=$(checksums)
        reloads=$(reload_count)
        it_dockaudit fix --yes
        [ "$IT_RC" = 0 ] || [ "$IT_RC" = 1 ] || { assert_rc "0 or 1"; return 1; }
        assert_match 'Nothing to change' "$IT_STDOUT_TEXT" || return 1
        assert_eq "$sums" "$(checksums)" "files after the second run" || return 1
        assert_eq "$reloads" "$(reload_count)" "manager reloads after the second run" || return 1
        [ ! -e "$IT_DIR/other/.config/systemd" ] && [ ! -e /cfg ] ||
                { echo "  FAIL: a drop-in was written where the manager does not read" >&2; return 1; }
}

t_relative_xdg() {
        user_env_case XDG_CONFIG_HOME=cfg
}
t_other_home() {
        mkdir -p "$IT_DIR/other"
        user_env_case HOME="$IT_DIR/other" XDG_CONFIG_HOME=
}

# A later drop-in sets MountFlags=slave again: refused naming it, nothing written or reloaded.
t_later_dropin_refused() {
        local d sums reloads
        IT_DOCKAUDIT_ENV=
        d=$IT_DIR/60-x.conf
        printf '[Service]\nMountFlags=slave\n' >"$d"
        fresh_unit "$d" || return 1
        sums=$(checksums)
        reloads=$(reload_count)
        for i in 1 2; do
                it_dockaudit fix --yes
                assert_rc 2 || return 1
                assert_match "docker.service.d/60-x.conf:2 sets MountFlags=slave" "$IT_STDERR_TEXT" || return 1
                [ ! -e "$(dropin)" ] || { echo "  FAIL: drop-in written under a later one" >&2; return 1; }
                assert_eq "$sums" "$(checksums)" "files" || return 1
                assert_eq "$reloads" "$(reload_count)" "manager reloads" || return 1
        done
}

it_setup
fresh_unit && it_start_docker || it_hard_error "docker.service did not start"
it_run "relative XDG_CONFIG_HOME: no false reload finding, second fix does nothing" t_relative_xdg
it_run "another HOME than the manager's: the same" t_other_home
it_run "a later drop-in undoing the fix: refused, nothing written" t_later_dropin_refused
it_summary
