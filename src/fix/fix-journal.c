/* SPDX-License-Identifier: MIT */
#include "fix/fix-journal.h"

#include <sys/uio.h>
#include <syslog.h>
#include <systemd/sd-journal.h>

#include "basic/id128-name.h"

/* Appends "NAME=VALUE" (value escaped; NULL adds nothing). */
static int field_add(char ***fields, const char *name, const char *value)
{
        _cleanup_free_ char *e = NULL;

        if (!value)
                return 0;
        e = utf8_escape_non_printable(value);
        return e ? strv_consume(fields, strdupf("%s=%s", name, e)) : -ENOMEM;
}

/* A diff as it is when it is UTF-8 without control bytes other than newline and tab (so that
 * journalctl shows it as lines), else escaped. */
static int diff_add(char ***fields, const char *diff)
{
        bool plain = diff && utf8_is_valid(diff);

        for (const char *c = diff; plain && *c; c++)
                plain = ((unsigned char) *c >= 0x20 && *c != 0x7f) || *c == '\n' || *c == '\t';
        if (!plain)
                return field_add(fields, "DIFF", diff);
        return strv_consume(fields, strdupf("DIFF=%s", diff));
}

/* The fields every entry has, then MESSAGE and FIX_ACTION. */
static int common_fields(
        const FixEngine *e, const char *message, const char *action, int priority, char ***fields)
{
        char id[ID128_STRING_MAX];

        if (!id128_for_event(ID128_EVENT_FIX_APPLIED, id) || field_add(fields, "MESSAGE", message) < 0 ||
                strv_consume(fields, strdupf("MESSAGE_ID=%s", id)) < 0 ||
                strv_consume(fields, strdupf("PRIORITY=%d", priority)) < 0 ||
                strv_extend(fields, "SYSLOG_IDENTIFIER=dockaudit") < 0 ||
                field_add(fields, "FIX_ACTION", action) < 0 || field_add(fields, "UNIT", e->opts.unit) < 0 ||
                field_add(fields, "DOCKAUDIT_MANAGER", e->opts.user ? "user" : "system") < 0 ||
                field_add(fields, "DOCKAUDIT_ROOT", e->opts.root) < 0 ||
                field_add(fields, "DOCKAUDIT_VERSION", PACKAGE_VERSION) < 0)
                return -ENOMEM;
        return 0;
}

/* Sends the entry; errors are dropped (see the header). */
static void send_fields(char **fields)
{
        size_t n = strv_length(fields);
        _cleanup_free_ struct iovec *iov = calloc(n ? n : 1, sizeof(struct iovec));

        if (!iov)
                return;
        for (size_t i = 0; i < n; i++)
                iov[i] = (struct iovec){.iov_base = fields[i], .iov_len = strlen(fields[i])};
        (void) sd_journal_sendv(iov, (int) n);
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
                field_add(&fields, "FILE", ch->path) < 0 || diff_add(&fields, ch->diff) < 0)
                return r;
        for (size_t i = 0; i < e->plan.n_actions; i++)
                for (char **id = e->plan.actions[i].rule_ids;
                        e->plan.actions[i].type == ch->type && id && *id; id++) {
                        _cleanup_free_ char *f = strdupf("RULE=%s", *id);

                        if (!f || (!strv_contains(fields, f) && strv_consume(&fields, TAKE_PTR(f)) < 0))
                                return r;
                }
        send_fields(fields);
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
                send_fields(fields);
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
                field_add(&fields, "JOB_RESULT", res) >= 0)
                send_fields(fields);
        return r;
}
