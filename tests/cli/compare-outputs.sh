#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs two dockaudit binaries over the same fixtures and compares what they print: stdout
# and exit status must be byte-identical; stderr differences are listed. For refactors that
# must not change behaviour: build the old commit somewhere (git worktree), then
#   tests/cli/compare-outputs.sh OLD/dockaudit NEW/dockaudit
# Only offline paths are exercised (--facts FILE, --root IMAGE, rules): no bus, no dockerd.
# Exit 0 identical, 1 stdout or status differ, 99 cannot run.
set -u
[ $# = 2 ] && [ -x "$1" ] && [ -x "$2" ] || { echo "usage: $0 OLD_BINARY NEW_BINARY" >&2; exit 99; }
command -v jq >/dev/null || { echo "jq is missing" >&2; exit 99; }
top=$(cd "$(dirname "$0")/../.." && pwd)
RULES=$top/rules FIX=$top/tests/fixtures FACTS=$top/tests/fixtures/facts/centos73-slave-live-restore.json
TMP=$(mktemp -d /tmp/dockaudit-compare.XXXXXX)
[ -z "${KEEP:-}" ] || echo "outputs kept in $TMP" >&2
[ -n "${KEEP:-}" ] || trap 'rm -rf "$TMP"' EXIT

# The inputs: facts variants and offline images, one per real unit file fixture.
mkdir -p "$TMP/in"
jq '.facts["kernel.release"].value = "3.10.0-1160.81.1.el7.x86_64"
    | .facts["kernel.may_detach_mounts"] = {"type":"number","known":true,"value":1,"source":"/proc/sys/fs/may_detach_mounts"}
    | .facts["dockerd.live_restore"].value = false' "$FACTS" >"$TMP/in/el79.json"
jq '.facts["kernel.release"].value = "6.1.0-13-amd64" | .facts["unit.mount_flags"].value = "shared"' \
        "$FACTS" >"$TMP/in/deb12.json"
printf '{"schema": "dockaudit-facts/1",\n "facts": {\n  "kernel.release": \n}}\n' >"$TMP/in/broken.json"

make_image() { # DIR UNITFILE OSRELEASE KERNEL DAEMONJSON
        mkdir -p "$1/lib/systemd/system" "$1/etc/docker" "$1/lib/modules/$4"
        cp "$2" "$1/lib/systemd/system/docker.service"
        cp "$3" "$1/etc/os-release"
        [ -z "$5" ] || printf '%s\n' "$5" >"$1/etc/docker/daemon.json"
}
IMAGES=
i=0
for u in "$FIX"/units/*.service "$FIX"/units/*.rpm; do
        i=$((i + 1))
        case $((i % 3)) in
        0) k=3.10.0-514.el7.x86_64 os=$FIX/os-release/centos-7.1.1503-etc-os-release dj='{"live-restore": true}' ;;
        1) k=3.10.0-1160.81.1.el7.x86_64 os=$FIX/os-release/rhel-7.7-etc-os-release dj='' ;;
        2) k=6.1.0-13-amd64 os=$FIX/os-release/debian-10-etc-os-release dj='{"live-restore": false, "debug": true}' ;;
        esac
        make_image "$TMP/in/img$i" "$u" "$os" "$k" "$dj"
        IMAGES="$IMAGES $TMP/in/img$i"
done
# drop-ins and an EnvironmentFile
make_image "$TMP/in/dropins" "$top/tests/integration/units/slave-envfile.service" \
        "$FIX/os-release/centos-7.1.1503-etc-os-release" 3.10.0-693.el7.x86_64 '{"live-restore": true}'
mkdir -p "$TMP/in/dropins/etc/systemd/system/docker.service.d" "$TMP/in/dropins/etc/default"
cp "$top/tests/integration/units/50-shared.conf" "$TMP/in/dropins/etc/systemd/system/docker.service.d/"
cp "$top/tests/integration/units/etc-default-docker" "$TMP/in/dropins/etc/default/docker"
make_image "$TMP/in/badjson" "$FIX/units/moby-v1.12.0-docker.service" \
        "$FIX/os-release/ubuntu-18.04-etc-os-release" 4.15.0-20-generic '{"live-restore": tru'
IMAGES="$IMAGES $TMP/in/dropins $TMP/in/badjson"

cases() {
        echo "rules list"
        for f in "$RULES"/*.rule; do echo "rules show $(basename "$f" .rule)"; done
        echo "rules show no-such-rule"
        echo "rules check $RULES/mountflags-slave-with-live-restore.rule"
        for f in "$FIX"/rules/bad/*.rule; do echo "rules check $f"; done
        for facts in "$FACTS" "$TMP/in/el79.json" "$TMP/in/deb12.json" "$TMP/in/broken.json" "$TMP/in/missing.json"; do
                for fmt in text json junit; do
                        for fo in medium high low; do
                                echo "audit --facts $facts --format $fmt --fail-on $fo"
                        done
                done
        done
        echo "audit --facts $FACTS --fail-on urgent"
        echo "audit --format xml --facts $FACTS"
        echo "frobnicate"
        echo "--version"
        for img in $IMAGES; do
                for fmt in text json junit; do echo "--root $img audit --format $fmt"; done
                echo "--root $img facts"
                echo "--root $img facts --format json"
                echo "--root $img fix --dry-run"
                echo "--root $img --unit nosuch.service audit --format json"
        done
}

# Each case in a fresh copy of the images, so that a fix cannot leak into the next case.
run_all() { # BINARY OUTDIR
        mkdir -p "$2"
        n=0
        cases | while read -r line; do
                n=$((n + 1))
                # shellcheck disable=SC2086
                NO_COLOR= "$1" --rules-dir "$RULES" $line >"$2/$n.out" 2>"$2/$n.err"
                echo "$?" >"$2/$n.rc"
                echo "$line" >"$2/$n.cmd"
        done
}
run_all "$1" "$TMP/a"
run_all "$2" "$TMP/b"

# Times differ from run to run: normalise them before comparing.
norm() { sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/TIME/g' "$1"; }
total=0 bad=0 errdiff=0
for c in "$TMP"/a/*.cmd; do
        n=$(basename "$c" .cmd)
        total=$((total + 1))
        if ! cmp -s <(norm "$TMP/a/$n.out") <(norm "$TMP/b/$n.out") || ! cmp -s "$TMP/a/$n.rc" "$TMP/b/$n.rc"; then
                bad=$((bad + 1))
                echo "DIFFERS: $(cat "$c") (status $(cat "$TMP/a/$n.rc") -> $(cat "$TMP/b/$n.rc"))"
                diff -u <(norm "$TMP/a/$n.out") <(norm "$TMP/b/$n.out") | sed -n '3,$p' | head -20
        elif ! cmp -s "$TMP/a/$n.err" "$TMP/b/$n.err"; then
                errdiff=$((errdiff + 1))
                echo "stderr: $(cat "$c")"
                diff -u <(norm "$TMP/a/$n.err") <(norm "$TMP/b/$n.err") | sed -n '3,$p' | head -8
        fi
done
echo "$((total - bad)) identical, $bad differ ($errdiff with other stderr) of $total cases"
[ "$bad" = 0 ]
