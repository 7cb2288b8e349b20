/* SPDX-License-Identifier: MIT */
#include "report/report-journal.h"

#include <syslog.h>

#include "basic/id128-name.h"
#include "systemd/journal-fields.h"

/* Where libsystemd sends journal entries. */
#define JOURNAL_SOCKET "/run/systemd/journal/socket"

int report_journal_priority(Severity s)
{
        switch (s) {
        case SEVERITY_HIGH:
                return LOG_ERR;
        case SEVERITY_MEDIUM:
                return LOG_WARNING;
        case SEVERITY_LOW:
                return LOG_NOTICE;
        default:
                return LOG_INFO;
        }
}

/* "FACT=VALUE (SOURCE)" or "FACT unknown: REASON" for each evidence fact. */
static int evidence_add(char ***fields, const Finding *f, const Facts *facts)
{
        for (char **n = f->evidence; n && *n; n++) {
                const Fact *x = facts_get(facts, *n);
                _cleanup_free_ char *v = x && x->known ? fact_value_to_string(x) : NULL, *line = NULL;

                if (x && x->known && !v)
                        return -ENOMEM;
                if (x && x->known)
                        line = x->source ? strdupf("%s=%s (%s)", *n, v, x->source) : strdupf("%s=%s", *n, v);
                else
                        line = strdupf("%s unknown: %s", *n, x && x->reason ? x->reason : "not collected");
                if (!line || journal_field_add(fields, "EVIDENCE", line) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* The fields of one failing finding. */
static int finding_fields(const Report *rep, const Finding *f, const char *report_path, char ***ret)
{
        const Rule *rule = f->rule;
        _cleanup_strv_free_ char **fields = NULL;
        _cleanup_free_ char *msg = strdupf("%s: %s (%s): %s", rep->unit, rule->id,
                severity_to_string(rule->severity), f->message ? f->message : rule->title);
        char id[ID128_STRING_MAX];

        if (!msg || !id128_for_rule(rule->id, id) || journal_field_add(&fields, "MESSAGE", msg) < 0 ||
                strv_consume(&fields, strdupf("MESSAGE_ID=%s", id)) < 0 ||
                strv_consume(&fields, strdupf("PRIORITY=%d", report_journal_priority(rule->severity))) < 0 ||
                strv_extend(&fields, "SYSLOG_IDENTIFIER=dockaudit") < 0 ||
                journal_field_add(&fields, "RULE", rule->id) < 0 ||
                journal_field_add(&fields, "SEVERITY", severity_to_string(rule->severity)) < 0 ||
                journal_field_add(&fields, "TITLE", rule->title) < 0 ||
                journal_field_add(&fields, "UNIT", rep->unit) < 0 ||
                journal_field_add(&fields, "DOCKAUDIT_MANAGER", rep->user ? "user" : "system") < 0 ||
                evidence_add(&fields, f, rep->facts) < 0)
                return -ENOMEM;
        for (char **x = rule->references; x && *x; x++)
                if (journal_field_add(&fields, "REFERENCE", *x) < 0)
                        return -ENOMEM;
        if (journal_field_add(&fields, "DOCKAUDIT_REPORT", report_path) < 0 ||
                journal_field_add(&fields, "DOCKAUDIT_ROOT", rep->root) < 0 ||
                journal_field_add(&fields, "DOCKAUDIT_FACTS_FILE", rep->facts_file) < 0 ||
                journal_field_add(&fields, "DOCKAUDIT_VERSION", PACKAGE_VERSION) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(fields);
        return 0;
}

int report_journal(const Report *rep, const char *report_path, char **ret_error)
{
        int sent = 0;

        /* sd_journal_sendv() drops entries silently when there is no journald: asked to log,
         * we say so instead. */
        if (access(JOURNAL_SOCKET, F_OK) < 0)
                return error_setf(ret_error, -errno, "%s: %s: is systemd-journald running?", JOURNAL_SOCKET,
                        strerror(errno));

        for (size_t i = 0; i < rep->findings->n; i++) {
                const Finding *f = &rep->findings->v[i];
                _cleanup_strv_free_ char **fields = NULL;
                int r;

                if (f->status != FINDING_FAIL)
                        continue;
                r = finding_fields(rep, f, report_path, &fields);
                if (r < 0)
                        return r;
                r = journal_send_strv(fields);
                if (r < 0)
                        return error_setf(ret_error, r, "journal: cannot log the finding of %s: %s",
                                f->rule->id, strerror(-r));
                sent++;
        }
        return sent;
}
