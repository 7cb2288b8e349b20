/* SPDX-License-Identifier: MIT */
#include "fix/fix-journal.h"

#include <syslog.h>

#include "basic/id128-name.h"
#include "systemd/journal-fields.h"

/* A diff as it is when it is UTF-8 without control bytes other than newline and tab (so that
 * journalctl shows it as lines), else escaped. */
static int diff_add(char ***fields, const char *diff)
{
        bool plain = diff && utf8_is_valid(diff);

        for (const char *c = diff; plain && *c; c++)
                plain = ((unsigned char) *c >= 0x20 && *c != 0x7f) || *c == '\n' || *c == '\t';
        if (!plain)
                return journal_field_add(fields, "DIFF", diff);
        return strv_consume(fields, strdupf("DIFF=%s", diff));
}

/* The fields every entry has, then MESSAGE and FIX_ACTION. */
static int common_fields(
        const FixEngine *e, const char *message, const char *action, int priority, char ***fields)
{
        char id[ID128_STRING_MAX];

        if (!id128_for_event(ID128_EVENT_FIX_APPLIED, id) ||
                journal_field_add(fields, "MESSAGE", message) < 0 ||
                strv_consume(fields, strdupf("MESSAGE_ID=%s", id)) < 0 ||
                strv_consume(fields, strdupf("PRIORITY=%d", priority)) < 0 ||
                strv_extend(fields, "SYSLOG_IDENTIFIER=dockaudit") < 0 ||
                journal_field_add(fields, "FIX_ACTION", action) < 0 ||
                journal_field_add(fields, "UNIT", e->opts.unit) < 0 ||
                journal_field_add(fields, "DOCKAUDIT_MANAGER", e->opts.user ? "user" : "system") < 0 ||
                journal_field_add(fields, "DOCKAUDIT_ROOT", e->opts.root) < 0 ||
                journal_field_add(fields, "DOCKAUDIT_VERSION", PACKAGE_VERSION) < 0)
                return -ENOMEM;
        return 0;
}

int fix_journal_change(const FixEngine *e, const FixChange *ch, int r)
{
        _cleanup_strv_free_ char **fields = NULL;
        _cleanup_free_ char *msg = NULL;
        const char *action = ch->proc_sys ? "sysctl" : ch->old_text ? "update" : "create";

        if (r < 0)
                return r;
        msg = ch->proc_sys ? strdupf("dockaudit fix: wrote %s to %s", ch->new_text, ch->path)
                           : strdupf("dockaudit fix: %s %s", ch->old_text ? "updated" : "created", ch->path);
        if (!msg || common_fields(e, msg, action, LOG_NOTICE, &fields) < 0 ||
                journal_field_add(&fields, "FILE", ch->path) < 0 || diff_add(&fields, ch->diff) < 0)
                return r;
        for (size_t i = 0; i < e->plan.n_actions; i++)
                for (char **id = e->plan.actions[i].rule_ids;
                        e->plan.actions[i].type == ch->type && id && *id; id++) {
                        _cleanup_free_ char *f = strdupf("RULE=%s", *id);

                        if (!f || (!strv_contains(fields, f) && strv_consume(&fields, TAKE_PTR(f)) < 0))
                                return r;
                }
        (void) journal_send_strv(fields); /* errors dropped: see the header */
        return r;
}

int fix_journal_reload(const FixEngine *e, int r)
{
        _cleanup_strv_free_ char **fields = NULL;
        _cleanup_free_ char *msg = NULL;

        if (r < 0)
                return r;
        msg = strdupf("dockaudit fix: reloaded the %s service manager", e->opts.user ? "user" : "system");
        if (msg && common_fields(e, msg, "reload", LOG_NOTICE, &fields) >= 0)
                (void) journal_send_strv(fields); /* errors dropped: see the header */
        return r;
}

int fix_journal_restart(const FixEngine *e, int r, char *const *result)
{
        _cleanup_strv_free_ char **fields = NULL;
        _cleanup_free_ char *msg = NULL;
        const char *res = result && *result ? *result : "?";

        if (r < 0)
                return r;
        msg = strdupf("dockaudit fix: restarted %s (job result: %s)", e->opts.unit, res);
        if (msg &&
                common_fields(e, msg, "restart", streq(res, "done") ? LOG_NOTICE : LOG_ERR, &fields) >= 0 &&
                journal_field_add(&fields, "JOB_RESULT", res) >= 0)
                (void) journal_send_strv(fields); /* errors dropped: see the header */
        return r;
}
