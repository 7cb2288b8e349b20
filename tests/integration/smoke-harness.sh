#!/bin/bash
# SPDX-License-Identifier: MIT
# Self-test of the integration harness (lib.sh), no dockaudit needed: bring up the bus,
# the user manager and dockerd, run a container from the imported busybox image, restart
# docker, exec into the container (live-restore on), and leave it running for
# it_teardown to clean up. SMOKE_PAUSE=N sleeps N s before teardown (to test kill -TERM).
srcdir=$(cd "$(dirname "$0")" && pwd)
. "$srcdir/lib.sh"

it_setup
printf '{\n  "live-restore": true\n}\n' >"$IT_DAEMON_JSON"
it_install_docker_unit "$srcdir/units/upstream.service" || exit 99
it_start_docker || exit 99
it_import_busybox || exit 99
it_docker run -d --network none --name smoke "$IT_IMAGE" sleep 3000 >/dev/null || exit 1
it_docker run --rm --network none "$IT_IMAGE" echo hello | grep -qx hello || exit 1
pid1=$(it_systemctl show -p MainPID --value docker.service)
it_restart_docker || exit 1
pid2=$(it_systemctl show -p MainPID --value docker.service)
[ "$pid1" != "$pid2" ] || { echo "dockerd was not restarted" >&2; exit 1; }
it_docker exec smoke cat /proc/1/cmdline | tr '\0' ' ' | grep -q 'sleep 3000' || exit 1
it_log "ok: dockerd $pid1 -> $pid2, container alive across restart, exec works"
[ -n "${SMOKE_PAUSE:-}" ] && { sleep "$SMOKE_PAUSE" & wait $!; } # wait: signals interrupt it
exit 0
