/* SPDX-License-Identifier: MIT */
/* The unit as `systemctl show` printed it (systemctl-show.h): the same UnitInfo the D-Bus
 * reader fills (systemd/unit-bus.h), from the text of an sos report. */
#pragma once

#include "formats/systemctl-show.h"
#include "systemd/unit-info.h"

/* Fills ret from b: Id, LoadState, ActiveState, LoadError (when not loaded), FragmentPath,
 * DropInPaths, NeedDaemonReload, MainPID, MountFlags (a number, as systemd 219 prints it, or a
 * name, as later ones do), ExecStart ("{ path=P ; argv[]=A B ... ; ... }" per command: argv is
 * split on spaces, as systemctl joined it), Environment (quoted words) and EnvironmentFiles
 * ("PATH (ignore_errors=yes)" per line; EnvironmentFile= in older systemctl). manager_pid 0, offline false.
 * -EBADMSG with "KEY: ..." in *ret_error (the caller adds the file and line) for a value that cannot be
 * read; -ENOMEM. */
int unit_info_from_show(const ShowBlock *b, UnitInfo *ret, char **ret_error, unsigned *ret_line);
