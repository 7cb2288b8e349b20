#!/bin/bash
# SPDX-License-Identifier: MIT
# Differential fidelity test of the offline unit loader (issue 5): every docker.service in
# tests/fixtures/units (alone and with drop-ins) and every unit of systemd's unit-file fuzz
# corpus is installed into a real systemd user manager (lib.sh), read over D-Bus
# (`unit-props --bus --user`) and read from the files (`unit-props --root / --user`, same
# HOME/XDG_*), and the two JSON views are compared. Prints "N agree, M differ" and fails on a
# difference whose case is not listed, with its reason, in known-differences.txt. Then
# `dockaudit --user audit` and `dockaudit --root / --user audit` must give the same findings.
# Environment: DOCKAUDIT, UNIT_PROPS (absolute paths), top_srcdir. Exit 0/1/99 as lib.sh.
srcdir=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$srcdir/../.." && pwd)}
. "$srcdir/lib.sh"

[ -n "${UNIT_PROPS:-}" ] && [ -x "$UNIT_PROPS" ] || it_hard_error "UNIT_PROPS (the tests/unit-props helper) is not set"
[ -n "${DOCKAUDIT:-}" ] && [ -x "$DOCKAUDIT" ] || it_hard_error "DOCKAUDIT (the dockaudit binary) is not set"
IT_RULES_DIR=${IT_RULES_DIR:-$top_srcdir/rules}
FIX=$top_srcdir/tests/fixtures
FID=$srcdir/fidelity
KNOWN=$srcdir/known-differences.txt
[ -f "$KNOWN" ] || it_hard_error "$KNOWN missing"

AGREE=0 DIFFER=0 UNEXPECTED=0 SKIPPED=0

# known CASE: the reason listed for CASE in known-differences.txt ("CASE<TAB>REASON"), if any.
known() {
        awk -F'\t' -v c="$1" '$1 == c && $2 != "" { print $2; exit }' "$KNOWN"
}

# props MODE NAME FILTER: unit-props output for NAME, through the jq FILTER (sorted keys).
props() {
        local out
        if [ "$1" = bus ]; then
                out=$(env -i $(it_env) timeout 60 "$UNIT_PROPS" --bus --user "$2") || return 1
        else
                out=$(env -i $(it_env) timeout 60 "$UNIT_PROPS" --root / --user "$2") || return 1
        fi
        printf '%s\n' "$out" | jq -S "$3"
}

# The dependencies the manager adds by itself (default and implicit dependencies: systemd.unit(5)
# "Implicit Dependencies", "Default Dependencies"; the slice, the journal socket, mounts of
# paths the unit uses): the offline loader lists only what the files name, the rules only ask
# whether a named unit (containerd.service, docker.socket) is in a list.
IMPLICIT='^(sysinit|basic|shutdown|paths|sockets|timers|default|local-fs|local-fs-pre)\.target$|\.slice$|\.mount$|^systemd-journald(-dev-log)?\.socket$|^dbus\.socket$'

# bus_as_offline BUS_JSON OFF_JSON: the bus view reduced to what the offline loader can know:
# a value the offline view leaves null (a default the files do not tell: the user manager's
# inherited LimitNOFILE) is not compared, and the implicit dependencies the files do not name
# are dropped from the bus lists (any other extra or missing name still differs).
bus_as_offline() {
        jq -S --argjson off "$2" --arg implicit "$IMPLICIT" '
                reduce ("LimitNOFILE", "LimitNOFILESoft", "TasksMax", "KillMode") as $k (.;
                        if has($k) and ($off | has($k)) and $off[$k] == null then .[$k] = null else . end)
                | reduce ("BindsTo", "Requires", "Wants", "After") as $k (.;
                        if has($k) and ($off | has($k)) then
                                .[$k] = [.[$k][] | select(. as $n | ($off[$k] | index([$n])) != null or (test($implicit) | not))]
                        else . end)' <<<"$1"
}

# compare CASE NAME [FILTER]: read NAME both ways and count the result.
compare() {
        local c=$1 name=$2 filter=${3:-.} bus off why
        bus=$(props bus "$name" "$filter") || { echo "  $c: unit-props --bus failed" >&2; bus=ERROR; }
        off=$(props root "$name" "$filter") || { echo "  $c: unit-props --root failed" >&2; off=ERROR; }
        if [ "$bus" != ERROR ] && [ "$off" != ERROR ]; then
                bus=$(bus_as_offline "$bus" "$off") || bus=ERROR
        fi
        if [ "$bus" = "$off" ]; then
                AGREE=$((AGREE + 1))
                return 0
        fi
        DIFFER=$((DIFFER + 1))
        why=$(known "$c")
        if [ -n "$why" ]; then
                it_log "known difference $c: $why"
                return 0
        fi
        UNEXPECTED=$((UNEXPECTED + 1))
        echo "  DIFFER (not in known-differences.txt): $c" >&2
        diff <(printf '%s\n' "$bus") <(printf '%s\n' "$off") | sed 's/^/  | /' | head -n 40 >&2
        return 1
}

reload() {
        it_systemctl daemon-reload || it_hard_error "daemon-reload failed"
}

clean_units() {
        rm -rf "$IT_UNIT_DIR"/docker.service "$IT_UNIT_DIR"/docker.service.d "$IT_UNIT_DIR"/service.d \
                "$IT_UNIT_DIR"/fuzz-* "$IT_DIR/linked"
}

# 1. Every docker.service of the fixtures, alone and in drop-in combinations.
t_docker_units() {
        local u base rc=0 d=$IT_UNIT_DIR/docker.service.d
        for u in "$FIX"/units/*.service "$FIX"/units/*.service.rpm; do
                base=${u##*/}
                clean_units
                cp "$u" "$IT_UNIT_DIR/docker.service"
                reload
                compare "unit:$base" docker.service || rc=1

                mkdir -p "$d"
                cp "$FIX/units/dropins/haxorof-mountflags-slave.conf" "$d/"
                reload
                compare "unit:$base+haxorof" docker.service || rc=1

                cp "$FID/override-execstart.conf" "$d/override.conf"
                reload
                compare "unit:$base+haxorof+override" docker.service || rc=1

                mkdir -p "$IT_UNIT_DIR/service.d"
                cp "$FID/top-level.conf" "$IT_UNIT_DIR/service.d/50-top.conf"
                # the name-specific drop-in of the same base name beats the top-level one
                cp "$FID/top-level.conf" "$IT_UNIT_DIR/service.d/override.conf"
                reload
                compare "unit:$base+haxorof+override+toplevel" docker.service || rc=1

                cp "$FID/limits.conf" "$d/40-limits.conf"
                reload
                compare "unit:$base+haxorof+override+toplevel+limits" docker.service || rc=1
                rm -f "$d/40-limits.conf"

                ln -s /dev/null "$d/haxorof-mountflags-slave.conf.tmp" && mv -T "$d/haxorof-mountflags-slave.conf.tmp" "$d/haxorof-mountflags-slave.conf"
                cp "$FID/10-a.conf" "$FID/2-b.conf" "$d/"
                : >"$d/60-empty.conf"
                cp "$FID/top-level.conf" "$d/.hidden.conf"
                cp "$FID/top-level.conf" "$d/70-backup.conf~"
                reload
                compare "unit:$base+masked-dropin+order" docker.service || rc=1
        done
        clean_units
        reload
        return $rc
}

# 2. Fragment resolution: linked unit, alias, self-alias, masks, template instance.
t_fragment_resolution() {
        local rc=0 up=$FIX/units/docker-ce-packaging-20.10-docker.service
        clean_units
        mkdir -p "$IT_DIR/linked"
        cp "$up" "$IT_DIR/linked/docker.service"
        ln -s "$IT_DIR/linked/docker.service" "$IT_UNIT_DIR/docker.service"
        mkdir -p "$IT_UNIT_DIR/docker.service.d"
        cp "$FIX/units/dropins/haxorof-mountflags-slave.conf" "$IT_UNIT_DIR/docker.service.d/"
        reload
        compare "resolve:linked" docker.service || rc=1

        ln -s docker.service "$IT_UNIT_DIR/fuzz-alias.service"
        mkdir -p "$IT_UNIT_DIR/fuzz-alias.service.d"
        cp "$FID/10-a.conf" "$IT_UNIT_DIR/fuzz-alias.service.d/"
        reload
        compare "resolve:alias-by-alias-name" fuzz-alias.service || rc=1
        compare "resolve:alias-by-main-name" docker.service || rc=1

        clean_units
        ln -s /dev/null "$IT_UNIT_DIR/docker.service"
        mkdir -p "$IT_UNIT_DIR/docker.service.d"
        cp "$FID/2-b.conf" "$IT_UNIT_DIR/docker.service.d/"
        reload
        compare "resolve:mask-devnull" docker.service || rc=1

        rm -f "$IT_UNIT_DIR/docker.service"
        : >"$IT_UNIT_DIR/docker.service"
        reload
        compare "resolve:mask-empty" docker.service || rc=1

        rm -f "$IT_UNIT_DIR/docker.service"
        reload
        compare "resolve:not-found-with-dropin" docker.service || rc=1

        clean_units
        cp "$up" "$IT_UNIT_DIR/fuzz-tmpl@.service"
        mkdir -p "$IT_UNIT_DIR/fuzz-tmpl@.service.d" "$IT_UNIT_DIR/fuzz-.service.d"
        cp "$FID/10-a.conf" "$IT_UNIT_DIR/fuzz-tmpl@.service.d/"
        cp "$FID/2-b.conf" "$IT_UNIT_DIR/fuzz-.service.d/"
        reload
        compare "resolve:template-instance+prefix" fuzz-tmpl@x.service || rc=1
        clean_units
        reload
        return $rc
}

# 3. systemd's unit-file fuzz corpus: line 1 is the type, the rest is the unit.
t_fuzz_corpus() {
        local f t n=0 name rc=0 filter
        clean_units
        for f in "$FIX"/systemd-fuzz-unit-file/*; do
                [ "${f##*/}" = PROVENANCE.md ] && continue
                t=$(head -n 1 "$f" | tr -d '\0')
                case $t in
                service | socket | timer | path | target | slice) ;;
                *)
                        # mount/swap/automount names must match their paths; scopes are transient only
                        it_log "skip ${f##*/}: type '$t' is not loadable from a file by the user manager"
                        SKIPPED=$((SKIPPED + 1))
                        continue
                        ;;
                esac
                n=$((n + 1))
                tail -n +2 "$f" >"$IT_UNIT_DIR/fuzz-$n.$t"
                echo "fuzz-$n.$t ${f##*/}" >>"$IT_DIR/fuzz-names"
        done
        reload
        while read -r name f; do
                filter=.
                [ "${name##*.}" = service ] || filter='{LoadState, DropInPaths}'
                compare "fuzz:$f" "$name" "$filter" || rc=1
        done <"$IT_DIR/fuzz-names"
        clean_units
        reload
        return $rc
}

# 4. The audit as a whole: the same findings (rule id + status) over the bus and from the
# files. Each rule is one comparison; "audit-rule:ID" in known-differences.txt excuses a rule
# whose facts come from live sources the offline mode never asks (running kernel, Docker API).
t_audit_same_findings() {
        local u rc=0 id a b why
        for u in "$FIX/units/docker-ce-packaging-20.10-docker.service" "$FIX/units/moby-v1.12.0-docker.service"; do
                clean_units
                cp "$u" "$IT_UNIT_DIR/docker.service"
                mkdir -p "$IT_UNIT_DIR/docker.service.d"
                cp "$FIX/units/dropins/haxorof-mountflags-slave.conf" "$IT_UNIT_DIR/docker.service.d/"
                reload
                it_dockaudit audit --format json
                jq -r '.results[] | "\(.id) \(.status)"' "$IT_STDOUT" | sort >"$IT_DIR/audit-bus" ||
                        { it__show_output; return 1; }
                cp "$IT_STDOUT" "$IT_DIR/audit-bus.json"
                it_dockaudit --root / audit --format json
                jq -r '.results[] | "\(.id) \(.status)"' "$IT_STDOUT" | sort >"$IT_DIR/audit-root" ||
                        { it__show_output; return 1; }
                [ -s "$IT_DIR/audit-bus" ] || { echo "  no results in the report" >&2; return 1; }
                assert_eq "$(cut -d' ' -f1 "$IT_DIR/audit-bus")" "$(cut -d' ' -f1 "$IT_DIR/audit-root")" \
                        "rule ids" || return 1
                while read -r id a; do
                        b=$(awk -v i="$id" '$1 == i { print $2 }' "$IT_DIR/audit-root")
                        if [ "$a" = "$b" ]; then
                                AGREE=$((AGREE + 1))
                                continue
                        fi
                        DIFFER=$((DIFFER + 1))
                        why=$(known "audit-rule:$id")
                        if [ -n "$why" ]; then
                                it_log "known difference audit-rule:$id ($a vs $b, ${u##*/}): $why"
                                continue
                        fi
                        UNEXPECTED=$((UNEXPECTED + 1))
                        rc=1
                        echo "  DIFFER (not in known-differences.txt): audit-rule:$id: bus $a, --root $b (${u##*/})" >&2
                        jq -c --arg id "$id" '.results[] | select(.id == $id) | {status, reason, evidence: [.evidence[]? | {fact, value}]}' \
                                "$IT_DIR/audit-bus.json" "$IT_STDOUT" | sed 's/^/  | /' >&2
                done <"$IT_DIR/audit-bus"
        done
        clean_units
        reload
        return $rc
}

it_setup
it_run "docker.service fixtures and drop-in combinations" t_docker_units
it_run "fragment resolution: linked, alias, masks, template, prefix" t_fragment_resolution
it_run "systemd unit-file fuzz corpus" t_fuzz_corpus
it_run "audit findings: --user vs --root / --user" t_audit_same_findings
echo "$AGREE agree, $DIFFER differ ($((DIFFER - UNEXPECTED)) known, $UNEXPECTED unexpected; $SKIPPED fuzz files skipped)"
it_summary
