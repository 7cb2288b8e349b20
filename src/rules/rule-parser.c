/* SPDX-License-Identifier: MIT */
/* The state of one rule file parse: its first failure with file:line, and its release. */
#include "rules/rule-parser.h"

#include <ini.h>

void rule_parser_done(RuleParser *p)
{
        for (size_t i = 0; i < _FIELD_MAX; i++)
                rule_text_done(&p->fields[i]);
        strv_free(p->references);
        for (size_t i = 0; i < p->n_fixes; i++) {
                FixState *f = &p->fixes[i];
                free(f->name);
                rule_text_done(&f->when);
                rule_text_done(&f->note);
                for (size_t j = 0; j < f->n_actions; j++)
                        rule_text_done(&f->actions[j].text);
                free(f->actions);
        }
        free(p->fixes);
        free(p->error);
}

int rule_parser_fail(RuleParser *p, unsigned line, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int n;

        if (p->r < 0)
                return p->r;
        va_start(ap, fmt);
        n = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (n < 0) {
                msg = NULL;
                p->r = -ENOMEM;
                return p->r;
        }
        p->error = strdupf("%s:%u: %s", p->path, line, msg);
        p->r = p->error ? -EINVAL : -ENOMEM;
        return p->r;
}

int rule_parser_oom(RuleParser *p)
{
        if (p->r >= 0)
                p->r = -ENOMEM;
        return p->r;
}

int rule_parser_key(RuleParser *p, const char *section, const char *const *names, size_t n,
        unsigned multiline, const RuleText *fields, const char *name)
{
        _cleanup_sb_ StrBuf expected = {};
        size_t f = n;

        for (size_t i = 0; i < n; i++)
                if (streq(names[i], name))
                        f = i;
        if (f == n) {
                for (size_t i = 0; i < n; i++)
                        if (sb_printf(&expected, "%s%s", i > 0 ? ", " : "", names[i]) < 0)
                                return rule_parser_oom(p);
                return rule_parser_fail(
                        p, p->lineno, "unknown key '%s' in [%s] (expected %s)", name, section, expected.buf);
        }
        if (p->kind == LINE_CONT && !(multiline & (1U << f)))
                return rule_parser_fail(p, p->lineno, "'%s' does not continue on an indented line", name);
        if (p->kind != LINE_CONT && fields[f].line)
                return rule_parser_fail(
                        p, p->lineno, "duplicate key '%s' (first set on line %u)", name, fields[f].line);
        return (int) f;
}

int rule_parser_run(RuleParser *p, RuleParserKeyHandler handler)
{
        int r = ini_parse_stream(rule_reader_next_line, p, handler, p);

        if (p->r >= 0 && r == -2)
                p->r = -ENOMEM;
        else if (p->r >= 0 && r != 0)
                /* Our reader rejects every line inih could refuse, so this is a bug. */
                rule_parser_fail(p, (unsigned) (r > 0 ? r : 1), "cannot parse this line");
        return p->r;
}

int rule_parser_finish(RuleParser *p, char **ret_error)
{
        int r = p->r;

        if (r < 0) {
                if (ret_error && p->error) {
                        free(*ret_error);
                        *ret_error = TAKE_PTR(p->error);
                } else if (r == -ENOMEM)
                        error_setf(ret_error, r, "%s: out of memory", p->path);
        }
        rule_parser_done(p);
        return r < 0 ? r : 0;
}
