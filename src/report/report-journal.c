/* SPDX-License-Identifier: MIT */
#include "report/report-journal.h"

#include <sys/uio.h>
#include <syslog.h>
#include <systemd/sd-journal.h>

#include "basic/id128-name.h"

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

/* Appends "NAME=VALUE" (value escaped for people; NULL adds nothing) to *fields. */
static int field_add(char ***fields, const char *name, const char *value)
{
        _cleanup_free_ char *e = NULL;

        if (!value)
                return 0;
        e = utf8_escape_non_printable(value);
        return e ? strv_consume(fields, strdupf("%s=%s", name, e)) : -ENOMEM;
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
                if (!line || field_add(fields, "EVIDENCE", line) < 0)
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

        if (!msg || !id128_for_rule(rule->id, id) || field_add(&fields, "MESSAGE", msg) < 0 ||
                strv_consume(&fields, strdupf("MESSAGE_ID=%s", id)) < 0 ||
                strv_consume(&fields, strdupf("PRIORITY=%d", report_journal_priority(rule->severity))) < 0 ||
                strv_extend(&fields, "SYSLOG_IDENTIFIER=dockaudit") < 0 ||
                field_add(&fields, "RULE", rule->id) < 0 ||
                field_add(&fields, "SEVERITY", severity_to_string(rule->severity)) < 0 ||
                field_add(&fields, "TITLE", rule->title) < 0 || field_add(&fields, "UNIT", rep->unit) < 0 ||
                field_add(&fields, "DOCKAUDIT_MANAGER", rep->user ? "user" : "system") < 0 ||
                evidence_add(&fields, f, rep->facts) < 0)
                return -ENOMEM;
        for (char **x = rule->references; x && *x; x++)
                if (field_add(&fields, "REFERENCE", *x) < 0)
                        return -ENOMEM;
        if (field_add(&fields, "DOCKAUDIT_REPORT", report_path) < 0 ||
                field_add(&fields, "DOCKAUDIT_ROOT", rep->root) < 0 ||
                field_add(&fields, "DOCKAUDIT_FACTS_FILE", rep->facts_file) < 0 ||
                field_add(&fields, "DOCKAUDIT_VERSION", PACKAGE_VERSION) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(fields);
        return 0;
}

/* sd_journal_sendv() of a field list. */
static int journal_send_strv(char **fields)
{
        size_t n = strv_length(fields);
        _cleanup_free_ struct iovec *iov = calloc(n ? n : 1, sizeof(struct iovec));

        if (!iov)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                iov[i] = (struct iovec){.iov_base = fields[i], .iov_len = strlen(fields[i])};
        return sd_journal_sendv(iov, (int) n);
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
