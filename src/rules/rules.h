/* SPDX-License-Identifier: MIT */
/* Rule files: one rule per INI file (read with inih), validated at load. The public header
 * of the rule files part of this library, one section per file:
 *   rule.c           the Rule type, its severities and fix actions
 *   rule-file.c      one rule file into a Rule (the parser's steps: rule-parser.h)
 *   rule-set.c       the rule directories: overrides and disabling by file name, lookup
 *   rule-template.c  message templates */
#pragma once

#include "basic/sha256.h"

#include "rules/expr.h"
#include "rules/facts.h"

typedef enum Severity {
        SEVERITY_INFO,
        SEVERITY_LOW,
        SEVERITY_MEDIUM,
        SEVERITY_HIGH,
        _SEVERITY_MAX,
} Severity;

const char *severity_to_string(Severity s);
int severity_from_string(const char *s); /* -EINVAL if unknown */

typedef enum FixActionType {
        FIX_ACTION_DROPIN, /* dropin = Section.Key=value  (set in the unit's drop-in) */
        FIX_ACTION_DAEMON_JSON, /* daemon-json = key=JSON-value, or daemon-json = -key (remove) */
        FIX_ACTION_SYSCTL, /* sysctl = fs.may_detach_mounts=1 */
        FIX_ACTION_UNIT_OVERRIDE, /* unit-override = -Unit.BindsTo=containerd.service: a full copy of the
                                   * unit's fragment in the admin's unit directory without that
                                   * item (what a drop-in cannot do: remove a dependency) */
        _FIX_ACTION_MAX,
} FixActionType;

const char *fix_action_type_to_string(FixActionType t);

typedef struct FixAction {
        FixActionType type;
        char *unit; /* FIX_ACTION_DROPIN only: another unit's drop-in ("containerd.service"), NULL: the
                     * audited unit's */
        char *section; /* FIX_ACTION_DROPIN, FIX_ACTION_UNIT_OVERRIDE: "Service", "Unit" */
        char *key; /* "MountFlags", "live-restore", "fs.may_detach_mounts", "BindsTo" */
        char *value; /* NULL: remove the key (daemon-json only). daemon-json values are JSON text.
                      * unit-override: the item to remove ("containerd.service"). */
        unsigned line;
} FixAction;

typedef struct RuleFix {
        char *name; /* NULL for [fix], "keep-slave" for [fix "keep-slave"] */
        char *when_text; /* NULL: always applicable */
        Expr *when;
        FixAction *actions;
        size_t n_actions;
        bool restart_needed; /* restart = needed | no */
        bool choose_only; /* choose-only = yes: never picked by its "when", only by a person
                           * (fix --choose RULE=NAME, or at the prompt) */
        char *note; /* shown to the person before applying (optional) */
        unsigned line; /* line of the section header */
} RuleFix;

typedef struct Rule {
        char *path; /* file the rule came from */
        char *id; /* slug: [a-z0-9][a-z0-9-]*, equals the file name without ".rule" */
        char *title;
        Severity severity;
        char *rationale;
        char **references; /* URLs */
        char *when_text;
        Expr *when;
        char *message; /* template: ${fact} and ${fact@source} */
        /* applies = CONDITION: where it is false the rule does not apply to the host (skipped as
         * not applicable, which --strict does not count); NULL: it always applies. */
        char *applies_text;
        Expr *applies;
        RuleFix *fixes;
        size_t n_fixes;
        char digest[SHA256_HEX_SIZE]; /* sha256 of the rule file's bytes, as loaded */
} Rule;

/* ------------------------------------------------------------------ rule.c */

Rule *rule_free(Rule *r);
static inline void rule_freep(Rule **r)
{
        rule_free(*r);
}
#define _cleanup_rule_ _cleanup_(rule_freep)

/* ------------------------------------------------------------------ rule-file.c */

/* Loads and validates one rule file. On a bad file returns -EINVAL (or -errno for I/O)
 * and sets *ret_error to "PATH:LINE: message". */
int rule_load_file(const char *path, Rule **ret, char **ret_error);
/* The same for text already in memory (size bytes, need not be NUL-terminated); path names
 * the rule in errors and must end in "ID.rule". */
int rule_parse_string(const char *path, const char *text, size_t size, Rule **ret, char **ret_error);

/* ------------------------------------------------------------------ rule-set.c */

/* 1 if path disables the rule of its name (a symlink to /dev/null, or an empty file), 0 if not,
 * -errno if it cannot be stat()ed. */
int rule_file_disables(const char *path);

typedef struct RuleSet {
        Rule **rules; /* sorted by id */
        size_t n;
        char **disabled; /* ids disabled by a /dev/null symlink or empty file */
        char **disabled_by; /* the file that disabled each (same index as disabled) */
} RuleSet;

/* Loads every "*.rule" from dirs, given highest priority first (for example
 * {"/etc/dockaudit/rules.d", "/usr/share/dockaudit/rules", NULL}). A file name in a
 * higher-priority directory replaces the same name below; a symlink to /dev/null or an
 * empty file disables it. A directory written "-DIR" may be missing (the admin's
 * /etc/dockaudit/rules.d); any other that is missing or not a directory fails the load
 * ("DIR: cannot open the rules directory: ..."), and so does finding no rule to evaluate
 * (-ENOENT, "no rules found (looked in: DIRS)"). The first bad file fails the whole load
 * (-EINVAL, *ret_error = "PATH:LINE: message"); two files with the same id fail too. */
int rule_set_load(RuleSet *set, char *const *dirs, char **ret_error);
void rule_set_done(RuleSet *set);
const Rule *rule_set_find(const RuleSet *set, const char *id);
/* The rule-set digest of reports ("tool": {"rules_digest"}): the lower-case hex SHA-256 of,
 * for each loaded rule in id order (the order of `rules list` and of the set), its file name
 * "ID.rule", a NUL byte, the hex SHA-256 of the file's bytes and "\n". Disabled rules are not
 * loaded and not in it; the directory a file came from is not either (the bundled rules give
 * the same digest from the build tree and from /usr/share). In shell, over the effective files:
 *   for id in $(ls *.rule | sed 's/[.]rule$//' | LC_ALL=C sort); do
 *     printf '%s.rule\0%s\n' "$id" "$(sha256sum <"$id.rule" | cut -c1-64)"; done | sha256sum
 * -ENOMEM or 0. */
int rule_set_digest(const RuleSet *set, char ret[static SHA256_HEX_SIZE]);

/* ------------------------------------------------------------------ rule-template.c */

/* Renders a message template: "${name}" becomes the fact's value, "${name@source}" its source
 * ("unknown source" when none), "$$" a literal "$". Whitespace runs (from continuation lines)
 * collapse to one space. Returns 0, -EINVAL on a template rule_template_check() refuses
 * (except unknown facts, which render as "unknown (not collected)"), or -ENOMEM. */
int rule_render_template(const char *tmpl, const Facts *facts, char **ret);
/* Checks one line of a message template: every "$" starts "$$" or a reference to a fact of
 * the catalog. Returns 0, -EINVAL with *ret_error (may be NULL) = "message: ...", or
 * -ENOMEM. */
int rule_template_check(const char *s, char **ret_error);
