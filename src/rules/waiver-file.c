/* SPDX-License-Identifier: MIT */
/* One waiver file into waivers. The lines reach inih through the rule file reader
 * (rule-reader.c: long lines, NUL, bad UTF-8 refused, the line number and the line's kind
 * known), with a section hook for [waiver]; the keys are checked here and kept with their
 * lines, and once the file is read each section becomes a Waiver, every error naming its
 * file and line. See waiver.h for the format. */
#include "rules/waiver.h"

#include "basic/fileio.h"
#include "rules/rule-parser.h"

typedef enum WaiverField {
        WAIVER_RULE,
        WAIVER_HOSTS,
        WAIVER_EVIDENCE,
        WAIVER_REASON,
        WAIVER_OWNER,
        WAIVER_EXPIRES,
        _WAIVER_FIELD_MAX,
} WaiverField;

static const char *const waiver_field_names[_WAIVER_FIELD_MAX] = {
        [WAIVER_RULE] = "rule",
        [WAIVER_HOSTS] = "hosts",
        [WAIVER_EVIDENCE] = "evidence",
        [WAIVER_REASON] = "reason",
        [WAIVER_OWNER] = "owner",
        [WAIVER_EXPIRES] = "expires",
};

/* One [waiver] section as read so far. */
typedef struct WaiverSection {
        unsigned line;
        RuleText fields[_WAIVER_FIELD_MAX];
} WaiverSection;

typedef struct WaiverParser {
        WaiverSection *v;
        size_t n;
} WaiverParser;

static void waiver_parser_done(WaiverParser *w)
{
        for (size_t i = 0; i < w->n; i++)
                for (size_t f = 0; f < _WAIVER_FIELD_MAX; f++)
                        rule_text_done(&w->v[i].fields[f]);
        free(w->v);
}

static void waiver_free_contents(Waiver *w)
{
        free(w->path);
        free(w->rule);
        strv_free(w->hosts);
        free(w->evidence);
        free(w->reason);
        free(w->owner);
        free(w->expires);
}

void waiver_set_done(WaiverSet *s)
{
        for (size_t i = 0; i < s->n; i++)
                waiver_free_contents(&s->v[i]);
        free(s->v);
        *s = (WaiverSet){};
}

static int section_hook(RuleParser *p, const char *a, const char *b)
{
        WaiverParser *w = p->userdata;
        WaiverSection *t;

        if ((size_t) (b - a) != 6 || memcmp(a, "waiver", 6) != 0)
                return rule_parser_fail(
                        p, p->lineno, "unknown section [%.*s] (expected [waiver])", (int) (b - a), a);
        t = realloc(w->v, (w->n + 1) * sizeof(WaiverSection));
        if (!t)
                return rule_parser_oom(p);
        w->v = t;
        w->v[w->n++] = (WaiverSection){.line = p->lineno};
        return 0;
}

/* Only the reason may go on over indented lines (and hosts, a list). */
#define WAIVER_FIELDS_MULTILINE ((1U << WAIVER_REASON) | (1U << WAIVER_HOSTS))

static int handle_key(RuleParser *p, WaiverSection *sec, const char *name, const char *value)
{
        int f = rule_parser_key(p, "waiver", waiver_field_names, _WAIVER_FIELD_MAX, WAIVER_FIELDS_MULTILINE,
                sec->fields, name);

        if (f < 0)
                return f;
        if (rule_text_append(&sec->fields[f], value, p->lineno) < 0)
                return rule_parser_oom(p);
        return 0;
}

static int keys_handler(void *userdata, const char *section, const char *name, const char *value)
{
        RuleParser *p = userdata;
        WaiverParser *w = p->userdata;

        (void) section; /* inih truncates it; the section hook kept the real one */
        if (p->r < 0)
                return 0;
        if (w->n == 0)
                rule_parser_fail(p, p->lineno,
                        "key '%s' before any section (a waiver file starts with [waiver])", name);
        else
                handle_key(p, &w->v[w->n - 1], name, value);
        return p->r < 0 ? 0 : 1;
}

/* The rule is loaded, or disabled (a waiver of a disabled rule is stale, not an error:
 * disabling a rule must not break the audit). */
static bool rule_known(const RuleSet *rules, const char *id)
{
        return !rules || rule_set_find(rules, id) || strv_contains(rules->disabled, id);
}

/* A required key is there and not empty. */
static int check_required(RuleParser *p, const WaiverSection *sec, WaiverField f)
{
        if (!sec->fields[f].line)
                return rule_parser_fail(p, sec->line, "[waiver] lacks the key '%s'", waiver_field_names[f]);
        if (sec->fields[f].buf.len == 0)
                return rule_parser_fail(p, sec->fields[f].line, "'%s' is empty", waiver_field_names[f]);
        return 0;
}

/* rule, hosts and expires of a section into w (released by the caller). */
static int build_match(RuleParser *p, WaiverSection *sec, const RuleSet *rules, Waiver *w)
{
        const RuleText *hosts = &sec->fields[WAIVER_HOSTS], *exp = &sec->fields[WAIVER_EXPIRES];
        _cleanup_free_ char *copy = NULL;
        char *save = NULL;

        if (!rule_known(rules, rule_text_str(&sec->fields[WAIVER_RULE])))
                return rule_parser_fail(p, sec->fields[WAIVER_RULE].line,
                        "rule '%s' is not loaded (see dockaudit rules list)",
                        rule_text_str(&sec->fields[WAIVER_RULE]));
        if (hosts->line) {
                copy = strdup(rule_text_str(hosts));
                if (!copy)
                        return rule_parser_oom(p);
                for (char *g = strtok_r(copy, " \t", &save); g; g = strtok_r(NULL, " \t", &save))
                        if (strv_extend(&w->hosts, g) < 0)
                                return rule_parser_oom(p);
                if (!w->hosts)
                        return rule_parser_fail(p, hosts->line, "'hosts' is empty");
        }
        if (exp->line && waiver_parse_date(rule_text_str(exp), &w->expires_end) < 0)
                return rule_parser_fail(p, exp->line,
                        "expires '%s' is not a date YYYY-MM-DD (the waiver holds through that day, UTC)",
                        rule_text_str(exp));
        if (sec->fields[WAIVER_EVIDENCE].line && sec->fields[WAIVER_EVIDENCE].buf.len == 0)
                return rule_parser_fail(p, sec->fields[WAIVER_EVIDENCE].line, "'evidence' is empty");
        return 0;
}

/* Same rule, same host globs, same evidence: two waivers of one thing. */
static bool waiver_same(const Waiver *a, const Waiver *b)
{
        size_t na = strv_length(a->hosts), nb = strv_length(b->hosts);

        if (!streq(a->rule, b->rule) || !streq_ptr(a->evidence, b->evidence) || na != nb)
                return false;
        for (size_t i = 0; i < na; i++)
                if (!streq(a->hosts[i], b->hosts[i]))
                        return false;
        return true;
}

static int check_duplicate(RuleParser *p, const WaiverSet *s, size_t n, const Waiver *w)
{
        for (size_t i = 0; i < n; i++)
                if (waiver_same(&s->v[i], w))
                        return rule_parser_fail(p, w->line,
                                "duplicate waiver: the same rule, hosts and evidence as %s:%u", s->v[i].path,
                                s->v[i].line);
        return 0;
}

/* One section into s->v[s->n] (memory reserved by the caller). */
static int build_waiver(RuleParser *p, WaiverSection *sec, const RuleSet *rules, WaiverSet *s)
{
        Waiver w = {.line = sec->line};
        int r;

        if ((r = check_required(p, sec, WAIVER_RULE)) < 0 ||
                (r = check_required(p, sec, WAIVER_REASON)) < 0 ||
                (r = check_required(p, sec, WAIVER_OWNER)) < 0 || (r = build_match(p, sec, rules, &w)) < 0) {
                waiver_free_contents(&w);
                return r;
        }
        w.path = strdup(p->path);
        w.rule = rule_text_steal(&sec->fields[WAIVER_RULE]);
        w.evidence = rule_text_steal(&sec->fields[WAIVER_EVIDENCE]);
        w.reason = rule_text_steal(&sec->fields[WAIVER_REASON]);
        w.owner = rule_text_steal(&sec->fields[WAIVER_OWNER]);
        w.expires = rule_text_steal(&sec->fields[WAIVER_EXPIRES]);
        if (!w.path || !w.rule || !w.reason || !w.owner ||
                (sec->fields[WAIVER_EVIDENCE].line && !w.evidence) ||
                (sec->fields[WAIVER_EXPIRES].line && !w.expires)) {
                waiver_free_contents(&w);
                return rule_parser_oom(p);
        }
        r = check_duplicate(p, s, s->n, &w);
        if (r < 0) {
                waiver_free_contents(&w);
                return r;
        }
        s->v[s->n++] = w;
        return 0;
}

/* Every section into s; on failure s is cut back to n0 waivers. */
static int build_waivers(RuleParser *p, WaiverParser *wp, const RuleSet *rules, WaiverSet *s)
{
        size_t n0 = s->n;
        Waiver *v;

        if (wp->n == 0)
                return rule_parser_fail(p, 1, "no [waiver] section");
        v = realloc(s->v, (s->n + wp->n) * sizeof(Waiver));
        if (!v)
                return rule_parser_oom(p);
        s->v = v;
        for (size_t i = 0; i < wp->n; i++)
                if (build_waiver(p, &wp->v[i], rules, s) < 0) {
                        while (s->n > n0)
                                waiver_free_contents(&s->v[--s->n]);
                        return p->r;
                }
        return 0;
}

int waiver_parse_string(WaiverSet *s, const char *path, const char *text, size_t size, const RuleSet *rules,
        char **ret_error)
{
        _cleanup_(waiver_parser_done) WaiverParser wp = {};
        RuleParser p = {
                .path = path, .text = text, .size = size, .section_hook = section_hook, .userdata = &wp};

        if (rule_parser_run(&p, keys_handler) >= 0)
                build_waivers(&p, &wp, rules, s);
        return rule_parser_finish(&p, ret_error);
}

int waiver_load_file(WaiverSet *s, const char *path, const RuleSet *rules, char **ret_error)
{
        _cleanup_free_ char *text = NULL;
        size_t size;
        int r;

        r = read_full_file(path, &text, &size);
        if (r < 0)
                return error_setf(ret_error, r, "%s: cannot read: %s", path, read_strerror(r));
        return waiver_parse_string(s, path, text, size, rules, ret_error);
}
