/* SPDX-License-Identifier: MIT */
/* One rule file into a Rule: inih reads the file through rule-reader.c and hands each key
 * to rule-keys.c; then the Rule is built from what they kept, parsing the conditions and
 * the fix actions, every error naming its file and line. See rule-parser.h. */
#include "rules/rule-parser.h"

#include "basic/fileio.h"
#include "basic/path-util.h"

/* A condition (the rule's, or a fix's): the parser's column becomes a line and a column
 * of the rule file. */
static int parse_when(RuleParser *p, const RuleText *t, Expr **ret)
{
        _cleanup_free_ char *err = NULL;
        unsigned col, line;
        size_t off, lcol;
        int consumed = 0, r;

        r = expr_parse(rule_text_str(t), ret, &err);
        if (r == -ENOMEM)
                return rule_parser_oom(p);
        if (r >= 0)
                return 0;
        if (err && sscanf(err, "column %u: %n", &col, &consumed) == 1 && consumed > 0 && col > 0) {
                off = col - 1;
                rule_text_locate(t, off, &line, &lcol);
                return rule_parser_fail(p, line, "when: column %zu: %s", lcol, err + consumed);
        }
        return rule_parser_fail(p, t->line, "when: %s", err ? err : "invalid condition");
}

/* One [fix] section; ret is released with the Rule, also on failure. */
static int build_fix(RuleParser *p, FixState *fs, RuleFix *ret)
{
        int r;

        *ret = (RuleFix){
                .line = fs->line, .restart_needed = fs->restart_needed, .choose_only = fs->choose_only};
        ret->name = TAKE_PTR(fs->name);
        if (fs->n_actions == 0)
                return rule_parser_fail(p, fs->line,
                        "[%s%s%s%s] has no action (dropin, daemon-json, sysctl or unit-override)", "fix",
                        ret->name ? " \"" : "", strempty(ret->name), ret->name ? "\"" : "");
        if (fs->when.line) {
                r = parse_when(p, &fs->when, &ret->when);
                if (r < 0)
                        return r;
        }
        ret->actions = calloc(fs->n_actions, sizeof(FixAction));
        if (!ret->actions)
                return rule_parser_oom(p);
        for (size_t i = 0; i < fs->n_actions; i++) {
                r = rule_action_parse(p, &fs->actions[i], &ret->actions[ret->n_actions]);
                ret->n_actions++;
                if (r < 0)
                        return r;
        }
        if (fs->when.line && !(ret->when_text = rule_text_steal(&fs->when)))
                return rule_parser_oom(p);
        if (fs->note.line && !(ret->note = rule_text_steal(&fs->note)))
                return rule_parser_oom(p);
        return 0;
}

/* [rule] is there with its keys, and its id names the file. */
static int check_rule_section(RuleParser *p)
{
        _cleanup_free_ char *base = NULL;
        const char *name;

        if (!p->rule_line)
                return rule_parser_fail(p, 1, "no [rule] section");
        for (size_t i = 0; i < _FIELD_MAX; i++) {
                if (i == FIELD_RATIONALE || i == FIELD_REFERENCES || i == FIELD_APPLIES || p->fields[i].line)
                        continue;
                return rule_parser_fail(
                        p, p->rule_line, "[rule] lacks the key '%s'", rule_keys_field_name(i));
        }
        if (p->fields[FIELD_TITLE].buf.len == 0)
                return rule_parser_fail(p, p->fields[FIELD_TITLE].line, "'title' is empty");
        if (p->fields[FIELD_MESSAGE].buf.len == 0)
                return rule_parser_fail(p, p->fields[FIELD_MESSAGE].line, "'message' is empty");

        name = path_basename(p->path);
        base = strdupf("%s.rule", rule_text_str(&p->fields[FIELD_ID]));
        if (!base)
                return rule_parser_oom(p);
        if (!streq(base, name))
                return rule_parser_fail(p, p->fields[FIELD_ID].line,
                        "id '%s' does not match the file name %s (a rule file is named ID.rule)",
                        rule_text_str(&p->fields[FIELD_ID]), name);
        return 0;
}

static int build_rule(RuleParser *p, Rule **ret)
{
        _cleanup_rule_ Rule *rule = NULL;
        int r;

        r = check_rule_section(p);
        if (r < 0)
                return r;
        rule = calloc(1, sizeof(Rule));
        if (!rule)
                return rule_parser_oom(p);
        rule->severity = p->severity;
        r = parse_when(p, &p->fields[FIELD_WHEN], &rule->when);
        if (r < 0)
                return r;
        if (p->fields[FIELD_APPLIES].line) {
                r = parse_when(p, &p->fields[FIELD_APPLIES], &rule->applies);
                if (r < 0)
                        return r;
                if (!(rule->applies_text = rule_text_steal(&p->fields[FIELD_APPLIES])))
                        return rule_parser_oom(p);
        }

        rule->fixes = calloc(p->n_fixes ? p->n_fixes : 1, sizeof(RuleFix));
        if (!rule->fixes)
                return rule_parser_oom(p);
        for (size_t i = 0; i < p->n_fixes; i++) {
                r = build_fix(p, &p->fixes[i], &rule->fixes[rule->n_fixes]);
                rule->n_fixes++;
                if (r < 0)
                        return r;
        }

        rule->path = strdup(p->path);
        rule->id = rule_text_steal(&p->fields[FIELD_ID]);
        rule->title = rule_text_steal(&p->fields[FIELD_TITLE]);
        rule->rationale = rule_text_steal(&p->fields[FIELD_RATIONALE]);
        rule->when_text = rule_text_steal(&p->fields[FIELD_WHEN]);
        rule->message = rule_text_steal(&p->fields[FIELD_MESSAGE]);
        rule->references = p->references ? TAKE_PTR(p->references) : calloc(1, sizeof(char *));
        if (!rule->path || !rule->id || !rule->title || !rule->when_text || !rule->message ||
                !rule->references || (p->fields[FIELD_RATIONALE].line && !rule->rationale))
                return rule_parser_oom(p);
        *ret = TAKE_PTR(rule);
        return 0;
}

int rule_parse_string(const char *path, const char *text, size_t size, Rule **ret, char **ret_error)
{
        RuleParser p = {.path = path, .text = text, .size = size};

        if (rule_parser_run(&p, rule_keys_handler) >= 0)
                build_rule(&p, ret);
        if (p.r >= 0)
                sha256_hex(text, size, (*ret)->digest);
        return rule_parser_finish(&p, ret_error);
}

int rule_load_file(const char *path, Rule **ret, char **ret_error)
{
        _cleanup_free_ char *text = NULL;
        size_t size;
        int r;

        r = read_full_file(path, &text, &size);
        if (r < 0)
                return error_setf(ret_error, r, "%s: cannot read: %s", path, read_strerror(r));
        return rule_parse_string(path, text, size, ret, ret_error);
}
