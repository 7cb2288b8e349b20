/* SPDX-License-Identifier: MIT */
/* The modes for hosts dockaudit is not installed on: --host-root DIR (container mode: the
 * host's / mounted at DIR, its buses and pid namespace shared) and --sos PATH (an sos report,
 * a directory or a .tar.xz/.tar.gz/.tar archive). Checked once, before the command runs. */
#pragma once

#include "cli/cmd.h"

typedef struct Modes {
        char *host_root; /* --host-root, normalised (parse_root()) */
        char *sos_root; /* the sos report's tree: the directory, or where the archive went */
        char *sos_tmp; /* the private directory an archive was extracted into, or NULL */
        char *error; /* why the command cannot run: given to the command as g->root_error */
} Modes;

/* Removes an extracted archive and frees. */
void modes_done(Modes *m);

/* Checks --host-root host_root and --sos sos (either may be NULL) for the command: only audit
 * and facts take them, one at a time, never with --root. Sets g->host_root and g->sos on
 * success; on a bad value m->error says why (naming the option and file) and g->root_error
 * points to it, so that the command fails in its own format with exit status 2. Returns 0, or
 * -ENOMEM. */
int modes_resolve(Modes *m, const char *command, const char *host_root, const char *sos, GlobalOptions *g);
