/* SPDX-License-Identifier: MIT */
/* The handler inih calls for each key of a rule file: checks the key of [rule] or [fix]
 * (known, not repeated, continued only where a value may go on) and what can be checked
 * of its value on its own line, then keeps the text for rule-file.c. */
#include "rules/rule-parser.h"

#include <ctype.h>

static bool is_slug(const char *s)
{
        if (!*s || !(islower((unsigned char) *s) || isdigit((unsigned char) *s)))
                return false;
        for (; *s; s++)
                if (!islower((unsigned char) *s) && !isdigit((unsigned char) *s) && *s != '-')
                        return false;
        return true;
}

static int check_references_piece(RuleParser *p, const char *s)
{
        _cleanup_free_ char *copy = strdup(s);
        char *save = NULL;

        if (!copy)
                return rule_parser_oom(p);
        for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
                const char *rest = startswith(w, "https://");
                if (!rest)
                        rest = startswith(w, "http://");
                if (!rest || !*rest)
                        return rule_parser_fail(p, p->lineno, "references: '%s' is not an http(s) URL", w);
                if (strv_extend(&p->references, w) < 0)
                        return rule_parser_oom(p);
        }
        return 0;
}

/* One line of a message: its ${...} references (rule-template.c knows the syntax). */
static int check_template_piece(RuleParser *p, const char *s)
{
        _cleanup_free_ char *err = NULL;
        int r;

        r = rule_template_check(s, &err);
        if (r == -ENOMEM || (r < 0 && !err))
                return rule_parser_oom(p);
        if (r < 0)
                return rule_parser_fail(p, p->lineno, "%s", err);
        return 0;
}

static const char *const rule_field_names[_FIELD_MAX] = {
        [FIELD_ID] = "id",
        [FIELD_TITLE] = "title",
        [FIELD_SEVERITY] = "severity",
        [FIELD_RATIONALE] = "rationale",
        [FIELD_REFERENCES] = "references",
        [FIELD_WHEN] = "when",
        [FIELD_MESSAGE] = "message",
        [FIELD_APPLIES] = "applies",
};

const char *rule_keys_field_name(RuleField f)
{
        return f < _FIELD_MAX ? rule_field_names[f] : NULL;
}

/* Keys whose value may go on over indented lines: all but the id and the severity. */
#define RULE_FIELDS_MULTILINE (((1U << _FIELD_MAX) - 1) & ~(1U << FIELD_ID) & ~(1U << FIELD_SEVERITY))

static int handle_rule_key(RuleParser *p, const char *name, const char *value)
{
        int r = rule_parser_key(
                p, "rule", rule_field_names, _FIELD_MAX, RULE_FIELDS_MULTILINE, p->fields, name);
        RuleField f;

        if (r < 0)
                return r;
        f = (RuleField) r;
        switch (f) {
        case FIELD_ID:
                if (!is_slug(value))
                        return rule_parser_fail(p, p->lineno,
                                "id '%s' is not a slug (lower-case letters, digits and '-', not starting "
                                "with '-')",
                                value);
                break;
        case FIELD_SEVERITY:
                r = severity_from_string(value);
                if (r < 0)
                        return rule_parser_fail(
                                p, p->lineno, "severity '%s' is not one of info, low, medium, high", value);
                p->severity = (Severity) r;
                break;
        case FIELD_REFERENCES:
                r = check_references_piece(p, value);
                if (r < 0)
                        return r;
                break;
        case FIELD_MESSAGE:
                r = check_template_piece(p, value);
                if (r < 0)
                        return r;
                break;
        default:
                break;
        }
        if (rule_text_append(&p->fields[f], value, p->lineno) < 0)
                return rule_parser_oom(p);
        return 0;
}

static const struct {
        const char *name;
        FixActionType type;
} fix_action_keys[] = {
        {"dropin", FIX_ACTION_DROPIN},
        {"daemon-json", FIX_ACTION_DAEMON_JSON},
        {"sysctl", FIX_ACTION_SYSCTL},
        {"unit-override", FIX_ACTION_UNIT_OVERRIDE},
};

/* An action key of [fix]: a new action, or on an indented line the last one going on.
 * *ret is the text to add the value to; NULL when name is not an action key. */
static int fix_action_key(RuleParser *p, FixState *f, const char *name, RuleText **ret)
{
        *ret = NULL;
        for (size_t i = 0; i < ELEMENTSOF(fix_action_keys); i++) {
                RawAction *a;

                if (!streq(fix_action_keys[i].name, name))
                        continue;
                if (p->kind == LINE_CONT) {
                        /* A JSON value may be long; a unit setting or sysctl never needs two lines. */
                        if (fix_action_keys[i].type != FIX_ACTION_DAEMON_JSON)
                                return rule_parser_fail(p, p->lineno,
                                        "'%s' does not continue on an indented line; repeat the key for "
                                        "another action",
                                        name);
                        *ret = &f->actions[f->n_actions - 1].text;
                        return 0;
                }
                a = realloc(f->actions, (f->n_actions + 1) * sizeof(RawAction));
                if (!a)
                        return rule_parser_oom(p);
                f->actions = a;
                f->actions[f->n_actions++] = (RawAction){.type = fix_action_keys[i].type};
                *ret = &f->actions[f->n_actions - 1].text;
                return 0;
        }
        return 0;
}

/* restart = needed | no: on one line, once. */
static int fix_restart_key(RuleParser *p, FixState *f, const char *value)
{
        if (p->kind == LINE_CONT)
                return rule_parser_fail(p, p->lineno, "'restart' does not continue on an indented line");
        if (f->restart_line)
                return rule_parser_fail(
                        p, p->lineno, "duplicate key 'restart' (first set on line %u)", f->restart_line);
        if (streq(value, "needed"))
                f->restart_needed = true;
        else if (streq(value, "no"))
                f->restart_needed = false;
        else
                return rule_parser_fail(p, p->lineno, "restart '%s' is not 'needed' or 'no'", value);
        f->restart_line = p->lineno;
        return 0;
}

/* choose-only = yes | no: on one line, once; only in a named [fix "NAME"] (a person picks
 * it by its name). */
static int fix_choose_only_key(RuleParser *p, FixState *f, const char *value)
{
        if (p->kind == LINE_CONT)
                return rule_parser_fail(p, p->lineno, "'choose-only' does not continue on an indented line");
        if (f->choose_only_line)
                return rule_parser_fail(p, p->lineno, "duplicate key 'choose-only' (first set on line %u)",
                        f->choose_only_line);
        if (!f->name)
                return rule_parser_fail(p, p->lineno,
                        "'choose-only' needs a named section ([fix \"NAME\"]): a person picks it by name");
        if (streq(value, "yes"))
                f->choose_only = true;
        else if (streq(value, "no"))
                f->choose_only = false;
        else
                return rule_parser_fail(p, p->lineno, "choose-only '%s' is not 'yes' or 'no'", value);
        f->choose_only_line = p->lineno;
        return 0;
}

static int handle_fix_key(RuleParser *p, const char *name, const char *value)
{
        FixState *f = &p->fixes[p->n_fixes - 1];
        RuleText *t;
        int r;

        r = fix_action_key(p, f, name, &t);
        if (r < 0)
                return r;
        if (!t) {
                if (streq(name, "restart"))
                        return fix_restart_key(p, f, value);
                if (streq(name, "choose-only"))
                        return fix_choose_only_key(p, f, value);
                if (streq(name, "when"))
                        t = &f->when;
                else if (streq(name, "note"))
                        t = &f->note;
                else
                        return rule_parser_fail(p, p->lineno,
                                "unknown key '%s' in [fix] (expected when, dropin, daemon-json, sysctl, "
                                "unit-override, restart, choose-only, note)",
                                name);
                if (p->kind == LINE_KEY && t->line)
                        return rule_parser_fail(
                                p, p->lineno, "duplicate key '%s' (first set on line %u)", name, t->line);
        }
        if (rule_text_append(t, value, p->lineno) < 0)
                return rule_parser_oom(p);
        return 0;
}

int rule_keys_handler(void *userdata, const char *section, const char *name, const char *value)
{
        RuleParser *p = userdata;

        (void) section; /* inih truncates it; the reader keeps the real one */
        if (p->r < 0)
                return 0;
        switch (p->section) {
        case SECTION_NONE:
                rule_parser_fail(
                        p, p->lineno, "key '%s' before any section (a rule file starts with [rule])", name);
                break;
        case SECTION_RULE:
                handle_rule_key(p, name, value);
                break;
        case SECTION_FIX:
                handle_fix_key(p, name, value);
                break;
        }
        return p->r < 0 ? 0 : 1;
}
