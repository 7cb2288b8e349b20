/* SPDX-License-Identifier: MIT */
/* The reader in front of inih: hands inih one line at a time, after refusing what inih
 * would mangle (long lines, NUL, bad UTF-8) and working out what inih will make of the
 * line (a key or a continuation), so the key handler knows its line number. Section
 * headers are parsed here, since inih truncates them. See rule-parser.h. */
#include "rules/rule-parser.h"

#include <ctype.h>

/* isspace() in the C locale, which is what inih uses to strip and to spot indentation. */
static bool ini_space(char c)
{
        return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* inih's find_chars_or_comment(): the first of chars, or a ";" after whitespace. */
static const char *ini_find(const char *s, const char *end, const char *chars)
{
        bool was_space = false;

        for (; s < end; s++) {
                if (chars && strchr(chars, *s))
                        return s;
                if (was_space && *s == ';')
                        return s;
                was_space = ini_space(*s);
        }
        return end;
}

static bool is_fix_name(const char *s, size_t n)
{
        if (n == 0 || n > 40 || !(isalnum((unsigned char) s[0])))
                return false;
        for (size_t i = 0; i < n; i++)
                if (!isalnum((unsigned char) s[i]) && !strchr("_.-", s[i]))
                        return false;
        return true;
}

/* [rule]: may appear once. */
static int section_rule(RuleParser *p)
{
        if (p->rule_line)
                return rule_parser_fail(
                        p, p->lineno, "duplicate section [rule] (first on line %u)", p->rule_line);
        p->rule_line = p->lineno;
        p->section = SECTION_RULE;
        return 0;
}

/* [fix] or [fix "NAME"]; a..b is the text between the brackets, blanks cut, q where the
 * text after "fix" starts. Each name (or no name) may appear once. */
static int section_fix(RuleParser *p, const char *a, const char *b, const char *q)
{
        _cleanup_free_ char *name = NULL;
        FixState *f;

        while (q < b && ini_space(*q))
                q++;
        if (q < b) {
                if (b - q < 2 || *q != '"' || b[-1] != '"' || !is_fix_name(q + 1, (size_t) (b - q - 2)))
                        return rule_parser_fail(p, p->lineno,
                                "bad section header: expected [fix] or [fix \"NAME\"] "
                                "(NAME: letters, digits, '_', '.', '-')");
                name = strndup(q + 1, (size_t) (b - q - 2));
                if (!name)
                        return rule_parser_oom(p);
        }
        for (size_t i = 0; i < p->n_fixes; i++)
                if (streq_ptr(p->fixes[i].name, name))
                        return rule_parser_fail(p, p->lineno, "duplicate section [%.*s] (first on line %u)",
                                (int) (b - a), a, p->fixes[i].line);
        f = realloc(p->fixes, (p->n_fixes + 1) * sizeof(FixState));
        if (!f)
                return rule_parser_oom(p);
        p->fixes = f;
        p->fixes[p->n_fixes++] = (FixState){.name = TAKE_PTR(name), .line = p->lineno};
        p->section = SECTION_FIX;
        return 0;
}

/* A "[...]" line; s..end is the whole line without indentation. */
static int parse_section(RuleParser *p, const char *s, const char *end)
{
        const char *close = ini_find(s + 1, end, "]"), *a, *b, *rest;

        if (close == end || *close != ']')
                return rule_parser_fail(p, p->lineno, "section header lacks ']'");
        rest = close + 1;
        while (rest < end && ini_space(*rest))
                rest++;
        if (rest < end && *rest != ';' && *rest != '#')
                return rule_parser_fail(p, p->lineno, "unexpected text after the section header");

        a = s + 1;
        b = close;
        while (a < b && ini_space(*a))
                a++;
        while (b > a && ini_space(b[-1]))
                b--;

        if (p->section_hook)
                return p->section_hook(p, a, b);
        if ((size_t) (b - a) == 4 && memcmp(a, "rule", 4) == 0)
                return section_rule(p);
        if ((size_t) (b - a) >= 3 && memcmp(a, "fix", 3) == 0 && (b - a == 3 || ini_space(a[3])))
                return section_fix(p, a, b, a + 3);
        return rule_parser_fail(p, p->lineno,
                "unknown section [%.*s] (expected [rule], [fix] or [fix \"NAME\"])", (int) (b - a), a);
}

/* Checks one line and works out what inih will make of it. Returns 0, or a negative errno
 * after recording the error. */
static int classify_line(RuleParser *p, const char *line, size_t len)
{
        const char *end = line + len, *s = line, *sep;

        if (memchr(line, 0, len))
                return rule_parser_fail(
                        p, p->lineno, "%s", p->section_hook ? "NUL byte" : "NUL byte in rule file");
        if (!utf8_is_valid_n(line, len))
                return rule_parser_fail(p, p->lineno, "invalid UTF-8");
        if (len > RULE_LINE_MAX)
                return rule_parser_fail(p, p->lineno,
                        "line is longer than %d bytes; continue the value on an indented line",
                        RULE_LINE_MAX);

        while (s < end && ini_space(*s))
                s++;
        while (end > s && ini_space(end[-1]))
                end--;

        p->kind = LINE_NONE;
        if (s == end || *s == ';' || *s == '#')
                return 0; /* blank or comment: inih keeps the previous key for continuations */
        if (p->have_prev && s > line) {
                p->kind = LINE_CONT;
                return 0;
        }
        if (*s == '[') {
                p->have_prev = false;
                return parse_section(p, s, end);
        }
        sep = ini_find(s, end, "=:");
        if (sep == end || (*sep != '=' && *sep != ':'))
                return rule_parser_fail(p, p->lineno, "expected 'key = value', a [section], or a comment");
        while (sep > s && ini_space(sep[-1]))
                sep--;
        p->have_prev = sep > s;
        p->kind = LINE_KEY;
        return 0;
}

/* inih's reader callback: hands out one checked line, or NULL to stop (end of text, or
 * after the first error: nothing past it matters). */
char *rule_reader_next_line(char *buf, int size, void *userdata)
{
        RuleParser *p = userdata;
        const char *line, *nl;
        size_t len, take;

        if (p->r < 0 || p->pos >= p->size)
                return NULL;

        line = p->text + p->pos;
        nl = memchr(line, '\n', p->size - p->pos);
        len = nl ? (size_t) (nl - line) : p->size - p->pos;
        p->pos += len + (nl ? 1 : 0);
        p->lineno++;

        /* Our own BOM handling, so the length check below counts what inih sees. */
        if (p->lineno == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
                line += 3;
                len -= 3;
        }
        if (classify_line(p, line, len) < 0)
                return NULL;

        /* RULE_LINE_MAX + newline + NUL always fit inih's buffer. */
        take = len < (size_t) size - 2 ? len : (size_t) size - 2;
        memcpy(buf, line, take);
        buf[take] = '\n';
        buf[take + 1] = 0;
        return buf;
}
