/* SPDX-License-Identifier: MIT */
/* The values of the fix actions of a rule file: dropin = Section.Key=value,
 * daemon-json = key=JSON or -key, sysctl = name=value, unit-override = -Unit.Dep=UNIT. Parsed once the whole
 * value is read (a JSON value may go on over several lines). */
#include "rules/rule-parser.h"

#include <ctype.h>
#include <jansson.h>

#include "formats/json-util.h"

static bool is_unit_key(const char *s)
{
        if (!isalpha((unsigned char) *s))
                return false;
        for (; *s; s++)
                if (!isalnum((unsigned char) *s) && *s != '-' && *s != '_')
                        return false;
        return true;
}

static bool is_json_key(const char *s)
{
        if (!isalnum((unsigned char) *s))
                return false;
        for (; *s; s++)
                if (!isalnum((unsigned char) *s) && !strchr("._-", *s))
                        return false;
        return true;
}

static bool is_sysctl_key(const char *s)
{
        bool seg = false, dot = false;

        for (; *s; s++) {
                if (*s == '.' || *s == '/') {
                        if (!seg)
                                return false;
                        seg = false;
                        dot = true;
                } else if (isalnum((unsigned char) *s) || *s == '_' || *s == '-')
                        seg = true;
                else
                        return false;
        }
        return seg && dot;
}

/* The text of an action before its '=' (eq), trailing blanks cut. */
static int action_left(RuleParser *p, const char *s, const char *eq, char **ret)
{
        *ret = strndup(s, (size_t) (eq - s));
        if (!*ret)
                return rule_parser_oom(p);
        strstrip(*ret);
        return 0;
}

/* A unit name for another unit's drop-in: NAME.service or NAME.socket, no path, no template. */
static bool is_unit_name(const char *s)
{
        const char *dot = strrchr(s, '.');

        if (!dot || dot == s || (!streq(dot, ".service") && !streq(dot, ".socket")))
                return false;
        for (; s < dot; s++)
                if (!isalnum((unsigned char) *s) && !strchr("-_.:@\\", *s))
                        return false;
        return dot[-1] != '@';
}

/* dropin: [UNIT:]Section.Key=value (UNIT: another unit's drop-in, e.g. containerd.service). */
static int parse_dropin_action(RuleParser *p, unsigned line, const char *s, FixAction *ret)
{
        _cleanup_free_ char *left = NULL;
        const char *eq = strchr(s, '='), *dot, *colon;
        int r;

        if (!eq)
                return rule_parser_fail(p, line, "dropin: expected Section.Key=value, got '%s'", s);
        if ((r = action_left(p, s, eq, &left)) < 0)
                return r;
        colon = strchr(left, ':');
        if (colon) {
                ret->unit = strndup(left, (size_t) (colon - left));
                if (!ret->unit)
                        return rule_parser_oom(p);
                if (!is_unit_name(ret->unit))
                        return rule_parser_fail(p, line,
                                "dropin: '%s' is not a service or socket unit name (UNIT:Section.Key=value)",
                                ret->unit);
                memmove(left, colon + 1, strlen(colon + 1) + 1);
        }
        dot = strchr(left, '.');
        if (!dot)
                return rule_parser_fail(p, line, "dropin: expected Section.Key=value, got '%s'", s);
        left[dot - left] = 0;
        if (!streq(left, "Unit") && !streq(left, "Service") && !streq(left, "Install"))
                return rule_parser_fail(
                        p, line, "dropin: section '%s' is not Unit, Service or Install", left);
        if (!is_unit_key(dot + 1))
                return rule_parser_fail(p, line, "dropin: '%s' is not a valid unit setting name", dot + 1);
        ret->section = strdup(left);
        ret->key = strdup(dot + 1);
        ret->value = strdup(eq + 1 + strspn(eq + 1, " \t"));
        return ret->section && ret->key && ret->value ? 0 : rule_parser_oom(p);
}

/* daemon-json: key=JSON (stored compact), or -key to remove it. */
static int parse_daemon_json_action(RuleParser *p, unsigned line, const char *s, FixAction *ret)
{
        _cleanup_free_ char *left = NULL;
        _cleanup_json_ json_t *j = NULL;
        const char *eq = strchr(s, '=');
        json_error_t jerr;
        int r;

        if (s[0] == '-') {
                if (!is_json_key(s + 1))
                        return rule_parser_fail(
                                p, line, "daemon-json: '%s' is not a daemon.json key", s + 1);
                ret->key = strdup(s + 1);
                return ret->key ? 0 : rule_parser_oom(p);
        }
        if (!eq)
                return rule_parser_fail(p, line, "daemon-json: expected key=JSON or -key, got '%s'", s);
        if ((r = action_left(p, s, eq, &left)) < 0)
                return r;
        if (!is_json_key(left))
                return rule_parser_fail(p, line, "daemon-json: '%s' is not a daemon.json key", left);
        j = json_loads(eq + 1, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
        if (!j)
                return rule_parser_fail(
                        p, line, "daemon-json: value of '%s' is not JSON: %s", left, jerr.text);
        ret->value = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
        ret->key = strdup(left);
        return ret->key && ret->value ? 0 : rule_parser_oom(p);
}

/* sysctl: name=value. */
static int parse_sysctl_action(RuleParser *p, unsigned line, const char *s, FixAction *ret)
{
        _cleanup_free_ char *left = NULL;
        const char *eq = strchr(s, '='), *val;
        int r;

        if (!eq)
                return rule_parser_fail(p, line, "sysctl: expected name=value, got '%s'", s);
        if ((r = action_left(p, s, eq, &left)) < 0)
                return r;
        if (!is_sysctl_key(left))
                return rule_parser_fail(
                        p, line, "sysctl: '%s' is not a sysctl name (like fs.may_detach_mounts)", left);
        val = eq + 1 + strspn(eq + 1, " \t");
        if (!*val)
                return rule_parser_fail(p, line, "sysctl: '%s' has no value", left);
        ret->key = strdup(left);
        ret->value = strdup(val);
        return ret->key && ret->value ? 0 : rule_parser_oom(p);
}

/* The [Unit] dependency settings a full override may take an item out of: lists of unit
 * names that a drop-in can only add to (systemd.unit(5)). */
static const char *const override_keys[] = {
        "After",
        "Before",
        "BindsTo",
        "PartOf",
        "Requires",
        "Requisite",
        "Upholds",
        "Wants",
};

/* A unit of any type ("containerd.service", "network-online.target"), as a dependency names it. */
static bool is_dependency_name(const char *s)
{
        const char *dot = strrchr(s, '.');

        if (!dot || dot == s || !dot[1])
                return false;
        for (; *s; s++)
                if (!isalnum((unsigned char) *s) && !strchr(":-_.\\@", *s))
                        return false;
        return true;
}

/* unit-override: -Unit.Dependency=UNIT (only taking an item out: adding is a drop-in's job). */
static int parse_unit_override_action(RuleParser *p, unsigned line, const char *s, FixAction *ret)
{
        _cleanup_free_ char *left = NULL;
        const char *eq = strchr(s, '='), *dot, *item;
        bool known = false;
        int r;

        if (s[0] != '-' || !eq)
                return rule_parser_fail(p, line,
                        "unit-override: expected -Unit.Dependency=UNIT (an item to take out), got '%s'", s);
        if ((r = action_left(p, s + 1, eq, &left)) < 0)
                return r;
        dot = strchr(left, '.');
        if (!dot || !startswith(left, "Unit."))
                return rule_parser_fail(
                        p, line, "unit-override: only [Unit] dependencies can be taken out, not '%s'", left);
        for (size_t i = 0; i < ELEMENTSOF(override_keys); i++)
                known = known || streq(override_keys[i], dot + 1);
        if (!known)
                return rule_parser_fail(p, line,
                        "unit-override: '%s' is not a dependency setting (After, BindsTo, ...)", dot + 1);
        item = eq + 1 + strspn(eq + 1, " \t");
        if (!is_dependency_name(item))
                return rule_parser_fail(p, line, "unit-override: '%s' is not a unit name", item);
        ret->section = strdup("Unit");
        ret->key = strdup(dot + 1);
        ret->value = strdup(item);
        return ret->section && ret->key && ret->value ? 0 : rule_parser_oom(p);
}

int rule_action_parse(RuleParser *p, const RawAction *raw, FixAction *ret)
{
        const char *s = rule_text_str(&raw->text), *what = fix_action_type_to_string(raw->type);
        unsigned line = raw->text.line;

        *ret = (FixAction){.type = raw->type, .line = line};
        switch (raw->type) {
        case FIX_ACTION_DROPIN:
                return parse_dropin_action(p, line, s, ret);
        case FIX_ACTION_DAEMON_JSON:
                return parse_daemon_json_action(p, line, s, ret);
        case FIX_ACTION_SYSCTL:
                return parse_sysctl_action(p, line, s, ret);
        case FIX_ACTION_UNIT_OVERRIDE:
                return parse_unit_override_action(p, line, s, ret);
        default:
                return rule_parser_fail(p, line, "%s: unknown action", strempty(what));
        }
}
