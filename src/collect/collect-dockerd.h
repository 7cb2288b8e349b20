/* SPDX-License-Identifier: MIT */
/* dockerd.*, daemon_json.* and docker.* facts, for collect-unit.c once the unit is known (or
 * known to be missing). Within the collect folder only. */
#pragma once

#include "collect/collect.h"
#include "formats/daemon-json.h"
#include "formats/dockerd-options.h"
#include "systemd/unit-info.h"
#include "systemd/unit-settings.h"

/* sos mode (collect-sos.c): the unit from the report's `systemctl show`. Returns 1 with u and
 * s filled (or *ret_why saying why the unit cannot be read), 0 when the report has no systemctl
 * show of the unit (then its files: the offline loader), -ENOMEM. */
int collect_sos_unit(const CollectOptions *o, UnitInfo *u, UnitSettings *s, char **ret_why);

#define DBUS_SRC(prop) "dbus:org.freedesktop.systemd1." prop
/* Where a unit property came from: the loaded unit over D-Bus, or (--root) the unit files. */
#define UNIT_SRC(u, prop) ((u)->offline ? "unit files (offline, --root): " prop : DBUS_SRC(prop))

/* dockerd's effective options from the unit's ExecStart= (expanded with the unit's
 * environment, a shell wrapper unwrapped), then daemon.json and the Engine API it points at.
 * s is the parse of the unit's files (file:line of the values). Returns 0 or -ENOMEM. */
int collect_dockerd(Facts *f, const CollectOptions *o, const UnitInfo *u, const UnitSettings *s);

/* The dockerd.* facts of the command line, unknown with reason (no usable unit). */
int collect_dockerd_unknown(Facts *f, const char *reason);

/* Without the unit's ExecStart, dockerd's own sources still say something: the default
 * daemon.json (and from it alone dockerd.data_root and dockerd.storage_driver) and the default
 * Engine API socket. dockerd.argv is already unknown: its reason is theirs. */
int collect_dockerd_without_unit(Facts *f, const CollectOptions *o);

/* ---- shared by the collect-dockerd*.c files ---- */

typedef enum DaemonJsonState {
        DJ_ABSENT,
        DJ_LOADED,
        DJ_BROKEN, /* unreadable or refused: dockerd would not start */
} DaemonJsonState;

/* dockerd.hosts, dockerd.containerd, dockerd.log_driver, dockerd.log_opts, dockerd.log_max_size,
 * dockerd.log_max_file, dockerd.cgroup_driver from the flags, then daemon.json (dj: read when state is
 * DJ_LOADED; dj_path names it), then dockerd's defaults; each with its file:line. A refused file makes each
 * unknown, except a string option given as a flag. 0 or -ENOMEM. */
int dockerd_config_facts(Facts *f, const DockerdOptions *opts, const DaemonJson *dj, DaemonJsonState state,
        const char *dj_path);
/* dockerd.cgroup_driver when dockerd's command line is unknown: daemon.json's (dj, loaded) first
 * native.cgroupdriver exec-opt, as "PATH:LINE", when it has one (a flag would conflict with it:
 * dockerd refuses both), else left as it is. 0 or -ENOMEM. */
int dockerd_cgroup_driver_json_fact(Facts *f, const DaemonJson *dj);
/* dockerd.data_root and dockerd.storage_driver: the last flag (source cmd_src, dockerd's command line),
 * else daemon.json's key (dj: the loaded file, NULL when absent or refused; "graph" for the data root
 * after "data-root"), else dockerd's default (the data root of o->user's rootless dockerd from
 * $XDG_DATA_HOME or $HOME; the storage driver "": dockerd picks one). opts NULL: dockerd's command
 * line is unknown (why says why), and only daemon.json can tell: a default would be a guess.
 * 0 or -ENOMEM. */
int dockerd_storage_facts(Facts *f, const CollectOptions *o, const DockerdOptions *opts, const char *cmd_src,
        const DaemonJson *dj, const char *why);

/* Budget of each run of dockerd (--version, --validate); the collection's deadline cuts it. */
#define DOCKERD_EXEC_TIMEOUT_MS 5000U

/* dockerd.version: the installed binary's own answer (`ARGV0 --version`, not offline), else
 * dpkg's database (under --root), else the running daemon's docker.server_version (collected
 * before), else unknown with every reason. argv0: dockerd's program (dockerd.argv[0]) or NULL.
 * 0 or -ENOMEM. */
int dockerd_version_fact(Facts *f, const CollectOptions *o, const char *argv0);

/* dockerd.validate_message: on Engine >= 23 (dockerd.version from the binary itself), `ARGV...
 * --validate` (dockerd's own command line, the config file included) loads the configuration
 * as a start would and exits: "" when it says "configuration OK", else its last line. It is
 * the final word on daemon_json.unknown_keys (replaced by the keys it names, when the file
 * parsed). Unknown offline (--root), on older versions, or when it does not answer within
 * DOCKERD_EXEC_TIMEOUT_MS. 0 or -ENOMEM. */
int dockerd_validate_facts(Facts *f, const CollectOptions *o, char *const *argv);
