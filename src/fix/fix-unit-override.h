/* SPDX-License-Identifier: MIT */
/* The full override of a unit (FIX_ACTION_UNIT_OVERRIDE): what a drop-in cannot do. systemd
 * only adds dependencies from drop-ins (an empty BindsTo= does not reset the list:
 * systemd.unit(5)), so taking BindsTo=containerd.service out of docker.service needs a copy of
 * the whole unit file in the admin's unit directory (/etc/systemd/system, or the user
 * manager's $XDG_CONFIG_HOME/systemd/user), which systemd then reads instead of the vendor's.
 * Drop-ins still apply on top of it, so the copy is the vendor fragment only.
 *
 * The copy shadows every later package update of the vendor file: its header records the
 * vendor file and its SHA-256 (collect/collect-unit-override.h), so that the audit reports a
 * copy that has fallen behind (rule unit-override-stale). Rules offer it as a choose-only fix. */
#pragma once

#include "fix/fix-plan.h"

/* One item to take out of a [Unit] dependency setting. */
typedef struct UnitOverrideRemoval {
        const char *key; /* "BindsTo" */
        const char *item; /* "containerd.service" */
} UnitOverrideRemoval;

/* The override's text: the header (FIX_HEADER_PREFIX VERSION FIX_HEADER_RULES ids, the
 * UNIT_OVERRIDE_MARK line naming vendor_path and the SHA-256 of the size bytes of
 * vendor_text, a note on the trade-off), a blank line, then vendor_text with each removal's
 * item taken out of its [Unit] KEY= lines (a line left without items is dropped). Taking
 * an item out of BindsTo=, Requires= or Requisite= keeps the unit wanted and ordered: when
 * the result has no Wants=ITEM or After=ITEM in [Unit], those lines are added where the item
 * was. Refused (-EINVAL, message naming the file and line): a NUL or CR in the text, a
 * matching setting continued over lines or quoted, a syntax error systemd would stop at;
 * -ENOENT when an item is in no [Unit] KEY= line of the text. */
int unit_override_render(const char *vendor_path, const char *vendor_text, size_t vendor_size,
        const UnitOverrideRemoval *removals, size_t n, const char *version, char *const *rule_ids,
        char **ret_text, char **ret_error);

/* The override the plan's FIX_ACTION_UNIT_OVERRIDE actions want: *ret_path (root included:
 * the unit's file beside its drop-in directory, derived from dropin_path) and *ret_text.
 * Returns 0 with both NULL when the plan has no such action, 1 with both set. The source is
 * the fragment (unit.fragment_path, read under root), or, when the fragment is already
 * dockaudit's override, the vendor file its header names. Refused with a message: the
 * fragment is a copy in that directory not written by dockaudit, is in a directory systemd
 * reads before it (*.control, transient, generator.early), has another name than the unit,
 * or another file is in the way. */
int fix_unit_override_plan(const FixPlan *p, const Facts *facts, const char *root, const char *dropin_path,
        char **ret_path, char **ret_text, char **ret_error);

/* For each item the plan takes out, the unit's drop-ins (unit.dropin_paths, under root) that
 * set it too: a drop-in applies on top of the override, so the plan would not clear the
 * finding. One line each in *refusals (FILE:LINE); a drop-in that cannot be read is one too.
 * Returns the number of lines added, or -ENOMEM. */
int fix_unit_override_check(const FixPlan *p, const Facts *facts, const char *root, char ***refusals);
