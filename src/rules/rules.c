/* SPDX-License-Identifier: MIT */
/* Rule files: one rule per INI file, read with inih and validated at load.
 *
 * Debian's inih is built with INI_MAX_LINE 200 (longer lines are silently split into
 * garbage), multi-line values (indented lines continue the previous key), inline ";"
 * comments and no line numbers for the handler. So lines reach inih through our own
 * reader, one at a time: it rejects what inih would mangle (long lines, NUL, bad UTF-8),
 * knows the number of the line inih is working on and classifies it the way inih will
 * (key line or continuation), so every error can name its line. */
#include "rules/rules.h"

#include <ctype.h>
#include <dirent.h>
#include <ini.h>
#include <jansson.h>
#include <sys/stat.h>

#include "formats/json-util.h"
#include "rules/fact-catalog.h"

/* inih reads at most INI_MAX_LINE - 1 bytes per line, newline included. */
#define RULE_LINE_MAX 198

static const char *const severity_names[_SEVERITY_MAX] = {
        [SEVERITY_INFO] = "info",
        [SEVERITY_LOW] = "low",
        [SEVERITY_MEDIUM] = "medium",
        [SEVERITY_HIGH] = "high",
};

const char *severity_to_string(Severity s)
{
        return s < _SEVERITY_MAX ? severity_names[s] : NULL;
}

int severity_from_string(const char *s)
{
        for (int i = 0; i < _SEVERITY_MAX; i++)
                if (streq(severity_names[i], s))
                        return i;
        return -EINVAL;
}

static const char *const fix_action_names[_FIX_ACTION_MAX] = {
        [FIX_ACTION_DROPIN] = "dropin",
        [FIX_ACTION_DAEMON_JSON] = "daemon-json",
        [FIX_ACTION_SYSCTL] = "sysctl",
};

const char *fix_action_type_to_string(FixActionType t)
{
        return t < _FIX_ACTION_MAX ? fix_action_names[t] : NULL;
}

static void fix_action_done(FixAction *a)
{
        free(a->section);
        free(a->key);
        free(a->value);
}

static void rule_fix_done(RuleFix *f)
{
        free(f->name);
        free(f->when_text);
        expr_free(f->when);
        for (size_t i = 0; i < f->n_actions; i++)
                fix_action_done(&f->actions[i]);
        free(f->actions);
        free(f->note);
}

Rule *rule_free(Rule *r)
{
        if (!r)
                return NULL;
        free(r->path);
        free(r->id);
        free(r->title);
        free(r->rationale);
        strv_free(r->references);
        free(r->when_text);
        expr_free(r->when);
        free(r->message);
        for (size_t i = 0; i < r->n_fixes; i++)
                rule_fix_done(&r->fixes[i]);
        free(r->fixes);
        free(r);
        return NULL;
}

/* ------------------------------------------------------------------ text values */

/* A value assembled from a key line and its continuation lines, joined with one space.
 * Each piece remembers its line, so an error at an offset can name the line. */
typedef struct Piece {
        size_t off;
        unsigned line;
} Piece;

typedef struct Text {
        StrBuf buf;
        unsigned line; /* the key line; 0: not set */
        Piece *pieces;
        size_t n_pieces;
} Text;

static void text_done(Text *t)
{
        sb_free(&t->buf);
        free(t->pieces);
        *t = (Text){};
}

static int text_append(Text *t, const char *s, unsigned line)
{
        Piece *p;
        int r;

        if (!t->line)
                t->line = line;
        if (!*s && t->buf.len > 0)
                return 0;
        if (t->buf.len > 0) {
                r = sb_putc(&t->buf, ' ');
                if (r < 0)
                        return r;
        }
        p = realloc(t->pieces, (t->n_pieces + 1) * sizeof(Piece));
        if (!p)
                return -ENOMEM;
        t->pieces = p;
        t->pieces[t->n_pieces++] = (Piece){.off = t->buf.len, .line = line};
        return sb_append(&t->buf, s);
}

static const char *text_str(const Text *t)
{
        return t->buf.buf ? t->buf.buf : "";
}

/* Maps a byte offset of the joined value to its line and the 1-based column within that
 * line's piece of the value. */
static void text_locate(const Text *t, size_t off, unsigned *ret_line, size_t *ret_col)
{
        size_t i = 0;

        while (i + 1 < t->n_pieces && t->pieces[i + 1].off <= off)
                i++;
        if (t->n_pieces == 0) {
                *ret_line = t->line;
                *ret_col = off + 1;
                return;
        }
        *ret_line = t->pieces[i].line;
        *ret_col = off >= t->pieces[i].off ? off - t->pieces[i].off + 1 : 1;
}

/* ------------------------------------------------------------------ parser state */

typedef enum LineKind {
        LINE_NONE,
        LINE_KEY, /* "name = value": inih calls the handler with a new key */
        LINE_CONT, /* indented: inih calls the handler again with the previous name */
} LineKind;

typedef enum SectionKind {
        SECTION_NONE,
        SECTION_RULE,
        SECTION_FIX,
} SectionKind;

typedef enum RuleField {
        FIELD_ID,
        FIELD_TITLE,
        FIELD_SEVERITY,
        FIELD_RATIONALE,
        FIELD_REFERENCES,
        FIELD_WHEN,
        FIELD_MESSAGE,
        _FIELD_MAX,
} RuleField;

typedef struct RawAction {
        FixActionType type;
        Text text;
} RawAction;

typedef struct FixState {
        char *name;
        unsigned line;
        Text when, note;
        unsigned restart_line;
        bool restart_needed;
        RawAction *actions;
        size_t n_actions;
} FixState;

typedef struct Parser {
        const char *path;
        const char *text;
        size_t size, pos;

        unsigned lineno; /* the line inih is working on */
        LineKind kind; /* what that line is to inih */
        bool have_prev; /* inih has a previous key name for continuation lines */
        bool seen_bom;

        SectionKind section;
        unsigned rule_line; /* line of [rule], 0 if none yet */
        Text fields[_FIELD_MAX];
        char **references;
        Severity severity;
        FixState *fixes;
        size_t n_fixes;

        int r; /* first failure, negative errno */
        char *error; /* its message */
} Parser;

static void parser_done(Parser *p)
{
        for (size_t i = 0; i < _FIELD_MAX; i++)
                text_done(&p->fields[i]);
        strv_free(p->references);
        for (size_t i = 0; i < p->n_fixes; i++) {
                FixState *f = &p->fixes[i];
                free(f->name);
                text_done(&f->when);
                text_done(&f->note);
                for (size_t j = 0; j < f->n_actions; j++)
                        text_done(&f->actions[j].text);
                free(f->actions);
        }
        free(p->fixes);
        free(p->error);
}

static int parser_fail(Parser *p, unsigned line, const char *fmt, ...) _printf_(3, 4);
static int parser_fail(Parser *p, unsigned line, const char *fmt, ...)
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

static int parser_oom(Parser *p)
{
        if (p->r >= 0)
                p->r = -ENOMEM;
        return p->r;
}

/* ------------------------------------------------------------------ line reader */

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

/* A "[...]" line; s..end is the whole line without indentation. */
static int parse_section(Parser *p, const char *s, const char *end)
{
        const char *close = ini_find(s + 1, end, "]"), *a, *b, *rest;
        FixState *f;
        char *name = NULL;

        if (close == end || *close != ']')
                return parser_fail(p, p->lineno, "section header lacks ']'");
        rest = close + 1;
        while (rest < end && ini_space(*rest))
                rest++;
        if (rest < end && *rest != ';' && *rest != '#')
                return parser_fail(p, p->lineno, "unexpected text after the section header");

        a = s + 1;
        b = close;
        while (a < b && ini_space(*a))
                a++;
        while (b > a && ini_space(b[-1]))
                b--;

        if ((size_t) (b - a) == 4 && memcmp(a, "rule", 4) == 0) {
                if (p->rule_line)
                        return parser_fail(
                                p, p->lineno, "duplicate section [rule] (first on line %u)", p->rule_line);
                p->rule_line = p->lineno;
                p->section = SECTION_RULE;
                return 0;
        }
        if ((size_t) (b - a) >= 3 && memcmp(a, "fix", 3) == 0 && (b - a == 3 || ini_space(a[3]))) {
                const char *q = a + 3;

                while (q < b && ini_space(*q))
                        q++;
                if (q < b) {
                        if (b - q < 2 || *q != '"' || b[-1] != '"' ||
                                !is_fix_name(q + 1, (size_t) (b - q - 2)))
                                return parser_fail(p, p->lineno,
                                        "bad section header: expected [fix] or [fix \"NAME\"] "
                                        "(NAME: letters, digits, '_', '.', '-')");
                        name = strndup(q + 1, (size_t) (b - q - 2));
                        if (!name)
                                return parser_oom(p);
                }
                for (size_t i = 0; i < p->n_fixes; i++)
                        if (streq_ptr(p->fixes[i].name, name)) {
                                unsigned first = p->fixes[i].line;
                                free(name);
                                return parser_fail(p, p->lineno,
                                        "duplicate section [%.*s] (first on line %u)", (int) (b - a), a,
                                        first);
                        }
                f = realloc(p->fixes, (p->n_fixes + 1) * sizeof(FixState));
                if (!f) {
                        free(name);
                        return parser_oom(p);
                }
                p->fixes = f;
                p->fixes[p->n_fixes++] = (FixState){.name = name, .line = p->lineno};
                p->section = SECTION_FIX;
                return 0;
        }
        return parser_fail(p, p->lineno, "unknown section [%.*s] (expected [rule], [fix] or [fix \"NAME\"])",
                (int) (b - a), a);
}

/* Checks one line and works out what inih will make of it. Returns 0, or a negative errno
 * after recording the error. */
static int classify_line(Parser *p, const char *line, size_t len)
{
        const char *end = line + len, *s = line, *sep;

        if (memchr(line, 0, len))
                return parser_fail(p, p->lineno, "NUL byte in rule file");
        if (!utf8_is_valid_n(line, len))
                return parser_fail(p, p->lineno, "invalid UTF-8");
        if (len > RULE_LINE_MAX)
                return parser_fail(p, p->lineno,
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
                return parser_fail(p, p->lineno, "expected 'key = value', a [section], or a comment");
        while (sep > s && ini_space(sep[-1]))
                sep--;
        p->have_prev = sep > s;
        p->kind = LINE_KEY;
        return 0;
}

/* inih's reader callback: hands out one checked line, or NULL to stop (end of text, or
 * after the first error: nothing past it matters). */
static char *rule_reader(char *buf, int size, void *userdata)
{
        Parser *p = userdata;
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

/* ------------------------------------------------------------------ key handling */

static bool is_slug(const char *s)
{
        if (!*s || !(islower((unsigned char) *s) || isdigit((unsigned char) *s)))
                return false;
        for (; *s; s++)
                if (!islower((unsigned char) *s) && !isdigit((unsigned char) *s) && *s != '-')
                        return false;
        return true;
}

/* Checks the ${fact} and ${fact@source} references of one line of a message. */
static int check_template_piece(Parser *p, const char *s)
{
        for (const char *c = s; *c; c++) {
                const char *close, *at;
                _cleanup_free_ char *name = NULL;

                if (*c != '$')
                        continue;
                if (c[1] == '$') {
                        c++;
                        continue;
                }
                if (c[1] != '{')
                        return parser_fail(p, p->lineno,
                                "message: '$' must start ${fact} or ${fact@source} (write $$ for a '$')");
                close = strchr(c + 2, '}');
                if (!close)
                        return parser_fail(p, p->lineno, "message: '${' without a closing '}'");
                name = strndup(c + 2, (size_t) (close - c - 2));
                if (!name)
                        return parser_oom(p);
                at = strchr(name, '@');
                if (at) {
                        if (!streq(at + 1, "source"))
                                return parser_fail(p, p->lineno,
                                        "message: unknown suffix '@%s' in ${%s} (only @source exists)",
                                        at + 1, name);
                        name[at - name] = 0;
                }
                if (!fact_catalog_lookup(name))
                        return parser_fail(p, p->lineno, "message: unknown fact '%s'", name);
                c = close;
        }
        return 0;
}

static int check_references_piece(Parser *p, const char *s)
{
        _cleanup_free_ char *copy = strdup(s);
        char *save = NULL;

        if (!copy)
                return parser_oom(p);
        for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
                const char *rest = startswith(w, "https://");
                if (!rest)
                        rest = startswith(w, "http://");
                if (!rest || !*rest)
                        return parser_fail(p, p->lineno, "references: '%s' is not an http(s) URL", w);
                if (strv_extend(&p->references, w) < 0)
                        return parser_oom(p);
        }
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
};

/* Keys whose value may go on over indented lines. */
static bool rule_field_multiline(RuleField f)
{
        return f != FIELD_ID && f != FIELD_SEVERITY;
}

static int handle_rule_key(Parser *p, const char *name, const char *value)
{
        RuleField f = _FIELD_MAX;
        Text *t;
        int r;

        for (size_t i = 0; i < _FIELD_MAX; i++)
                if (streq(rule_field_names[i], name))
                        f = (RuleField) i;
        if (f == _FIELD_MAX)
                return parser_fail(p, p->lineno,
                        "unknown key '%s' in [rule] (expected id, title, severity, rationale, references, "
                        "when, "
                        "message)",
                        name);
        t = &p->fields[f];

        if (p->kind == LINE_CONT) {
                if (!rule_field_multiline(f))
                        return parser_fail(p, p->lineno, "'%s' does not continue on an indented line", name);
        } else if (t->line)
                return parser_fail(p, p->lineno, "duplicate key '%s' (first set on line %u)", name, t->line);

        switch (f) {
        case FIELD_ID:
                if (!is_slug(value))
                        return parser_fail(p, p->lineno,
                                "id '%s' is not a slug (lower-case letters, digits and '-', not starting "
                                "with '-')",
                                value);
                break;
        case FIELD_SEVERITY:
                r = severity_from_string(value);
                if (r < 0)
                        return parser_fail(
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
        if (text_append(t, value, p->lineno) < 0)
                return parser_oom(p);
        return 0;
}

static int handle_fix_key(Parser *p, const char *name, const char *value)
{
        FixState *f = &p->fixes[p->n_fixes - 1];
        static const struct {
                const char *name;
                FixActionType type;
        } actions[] = {
                {"dropin", FIX_ACTION_DROPIN},
                {"daemon-json", FIX_ACTION_DAEMON_JSON},
                {"sysctl", FIX_ACTION_SYSCTL},
        };
        Text *t = NULL;

        for (size_t i = 0; i < ELEMENTSOF(actions); i++) {
                RawAction *a;

                if (!streq(actions[i].name, name))
                        continue;
                if (p->kind == LINE_CONT) {
                        /* A JSON value may be long; a unit setting or sysctl never needs two lines. */
                        if (actions[i].type != FIX_ACTION_DAEMON_JSON)
                                return parser_fail(p, p->lineno,
                                        "'%s' does not continue on an indented line; repeat the key for "
                                        "another "
                                        "action",
                                        name);
                        t = &f->actions[f->n_actions - 1].text;
                        break;
                }
                a = realloc(f->actions, (f->n_actions + 1) * sizeof(RawAction));
                if (!a)
                        return parser_oom(p);
                f->actions = a;
                f->actions[f->n_actions++] = (RawAction){.type = actions[i].type};
                t = &f->actions[f->n_actions - 1].text;
                break;
        }

        if (!t) {
                if (streq(name, "when"))
                        t = &f->when;
                else if (streq(name, "note"))
                        t = &f->note;
                else if (streq(name, "restart")) {
                        if (p->kind == LINE_CONT)
                                return parser_fail(
                                        p, p->lineno, "'restart' does not continue on an indented line");
                        if (f->restart_line)
                                return parser_fail(p, p->lineno,
                                        "duplicate key 'restart' (first set on line %u)", f->restart_line);
                        if (streq(value, "needed"))
                                f->restart_needed = true;
                        else if (streq(value, "no"))
                                f->restart_needed = false;
                        else
                                return parser_fail(
                                        p, p->lineno, "restart '%s' is not 'needed' or 'no'", value);
                        f->restart_line = p->lineno;
                        return 0;
                } else
                        return parser_fail(p, p->lineno,
                                "unknown key '%s' in [fix] (expected when, dropin, daemon-json, sysctl, "
                                "restart, "
                                "note)",
                                name);
                if (p->kind == LINE_KEY && t->line)
                        return parser_fail(
                                p, p->lineno, "duplicate key '%s' (first set on line %u)", name, t->line);
        }
        if (text_append(t, value, p->lineno) < 0)
                return parser_oom(p);
        return 0;
}

static int rule_ini_handler(void *userdata, const char *section, const char *name, const char *value)
{
        Parser *p = userdata;

        (void) section; /* inih truncates it; the reader keeps the real one */
        if (p->r < 0)
                return 0;
        switch (p->section) {
        case SECTION_NONE:
                parser_fail(
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

/* ------------------------------------------------------------------ finishing */

static int parse_when(Parser *p, const Text *t, Expr **ret)
{
        _cleanup_free_ char *err = NULL;
        unsigned col, line;
        size_t off, lcol;
        int consumed = 0, r;

        r = expr_parse(text_str(t), ret, &err);
        if (r == -ENOMEM)
                return parser_oom(p);
        if (r >= 0)
                return 0;
        if (err && sscanf(err, "column %u: %n", &col, &consumed) == 1 && consumed > 0 && col > 0) {
                off = col - 1;
                text_locate(t, off, &line, &lcol);
                return parser_fail(p, line, "when: column %zu: %s", lcol, err + consumed);
        }
        return parser_fail(p, t->line, "when: %s", err ? err : "invalid condition");
}

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
static int action_left(Parser *p, const char *s, const char *eq, char **ret)
{
        *ret = strndup(s, (size_t) (eq - s));
        if (!*ret)
                return parser_oom(p);
        strstrip(*ret);
        return 0;
}

/* dropin: Section.Key=value. */
static int parse_dropin_action(Parser *p, unsigned line, const char *s, FixAction *ret)
{
        _cleanup_free_ char *left = NULL;
        const char *eq = strchr(s, '='), *dot;
        int r;

        if (!eq)
                return parser_fail(p, line, "dropin: expected Section.Key=value, got '%s'", s);
        if ((r = action_left(p, s, eq, &left)) < 0)
                return r;
        dot = strchr(left, '.');
        if (!dot)
                return parser_fail(p, line, "dropin: expected Section.Key=value, got '%s'", s);
        left[dot - left] = 0;
        if (!streq(left, "Unit") && !streq(left, "Service") && !streq(left, "Install"))
                return parser_fail(p, line, "dropin: section '%s' is not Unit, Service or Install", left);
        if (!is_unit_key(dot + 1))
                return parser_fail(p, line, "dropin: '%s' is not a valid unit setting name", dot + 1);
        ret->section = strdup(left);
        ret->key = strdup(dot + 1);
        ret->value = strdup(eq + 1 + strspn(eq + 1, " \t"));
        return ret->section && ret->key && ret->value ? 0 : parser_oom(p);
}

/* daemon-json: key=JSON (stored compact), or -key to remove it. */
static int parse_daemon_json_action(Parser *p, unsigned line, const char *s, FixAction *ret)
{
        _cleanup_free_ char *left = NULL;
        _cleanup_json_ json_t *j = NULL;
        const char *eq = strchr(s, '=');
        json_error_t jerr;
        int r;

        if (s[0] == '-') {
                if (!is_json_key(s + 1))
                        return parser_fail(p, line, "daemon-json: '%s' is not a daemon.json key", s + 1);
                ret->key = strdup(s + 1);
                return ret->key ? 0 : parser_oom(p);
        }
        if (!eq)
                return parser_fail(p, line, "daemon-json: expected key=JSON or -key, got '%s'", s);
        if ((r = action_left(p, s, eq, &left)) < 0)
                return r;
        if (!is_json_key(left))
                return parser_fail(p, line, "daemon-json: '%s' is not a daemon.json key", left);
        j = json_loads(eq + 1, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
        if (!j)
                return parser_fail(p, line, "daemon-json: value of '%s' is not JSON: %s", left, jerr.text);
        ret->value = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
        ret->key = strdup(left);
        return ret->key && ret->value ? 0 : parser_oom(p);
}

/* sysctl: name=value. */
static int parse_sysctl_action(Parser *p, unsigned line, const char *s, FixAction *ret)
{
        _cleanup_free_ char *left = NULL;
        const char *eq = strchr(s, '='), *val;
        int r;

        if (!eq)
                return parser_fail(p, line, "sysctl: expected name=value, got '%s'", s);
        if ((r = action_left(p, s, eq, &left)) < 0)
                return r;
        if (!is_sysctl_key(left))
                return parser_fail(
                        p, line, "sysctl: '%s' is not a sysctl name (like fs.may_detach_mounts)", left);
        val = eq + 1 + strspn(eq + 1, " \t");
        if (!*val)
                return parser_fail(p, line, "sysctl: '%s' has no value", left);
        ret->key = strdup(left);
        ret->value = strdup(val);
        return ret->key && ret->value ? 0 : parser_oom(p);
}

static int parse_action(Parser *p, const RawAction *raw, FixAction *ret)
{
        const char *s = text_str(&raw->text), *what = fix_action_type_to_string(raw->type);
        unsigned line = raw->text.line;

        *ret = (FixAction){.type = raw->type, .line = line};
        switch (raw->type) {
        case FIX_ACTION_DROPIN:
                return parse_dropin_action(p, line, s, ret);
        case FIX_ACTION_DAEMON_JSON:
                return parse_daemon_json_action(p, line, s, ret);
        case FIX_ACTION_SYSCTL:
                return parse_sysctl_action(p, line, s, ret);
        default:
                return parser_fail(p, line, "%s: unknown action", strempty(what));
        }
}

static char *text_steal_or_null(Text *t)
{
        return t->line ? sb_steal(&t->buf) : NULL;
}

static int build_fix(Parser *p, FixState *fs, RuleFix *ret)
{
        int r;

        *ret = (RuleFix){.line = fs->line, .restart_needed = fs->restart_needed};
        ret->name = TAKE_PTR(fs->name);
        if (fs->n_actions == 0)
                return parser_fail(p, fs->line, "[%s%s%s%s] has no action (dropin, daemon-json or sysctl)",
                        "fix", ret->name ? " \"" : "", strempty(ret->name), ret->name ? "\"" : "");
        if (fs->when.line) {
                r = parse_when(p, &fs->when, &ret->when);
                if (r < 0)
                        return r;
        }
        ret->actions = calloc(fs->n_actions, sizeof(FixAction));
        if (!ret->actions)
                return parser_oom(p);
        for (size_t i = 0; i < fs->n_actions; i++) {
                r = parse_action(p, &fs->actions[i], &ret->actions[ret->n_actions]);
                ret->n_actions++;
                if (r < 0)
                        return r;
        }
        if (fs->when.line && !(ret->when_text = sb_steal(&fs->when.buf)))
                return parser_oom(p);
        if (fs->note.line && !(ret->note = sb_steal(&fs->note.buf)))
                return parser_oom(p);
        return 0;
}

static int build_rule(Parser *p, Rule **ret)
{
        _cleanup_rule_ Rule *rule = NULL;
        _cleanup_free_ char *base = NULL;
        const char *slash;
        int r;

        if (!p->rule_line)
                return parser_fail(p, 1, "no [rule] section");
        for (size_t i = 0; i < _FIELD_MAX; i++) {
                if (i == FIELD_RATIONALE || i == FIELD_REFERENCES || p->fields[i].line)
                        continue;
                return parser_fail(p, p->rule_line, "[rule] lacks the key '%s'", rule_field_names[i]);
        }
        if (p->fields[FIELD_TITLE].buf.len == 0)
                return parser_fail(p, p->fields[FIELD_TITLE].line, "'title' is empty");
        if (p->fields[FIELD_MESSAGE].buf.len == 0)
                return parser_fail(p, p->fields[FIELD_MESSAGE].line, "'message' is empty");

        slash = strrchr(p->path, '/');
        base = strdupf("%s.rule", text_str(&p->fields[FIELD_ID]));
        if (!base)
                return parser_oom(p);
        if (!streq(base, slash ? slash + 1 : p->path))
                return parser_fail(p, p->fields[FIELD_ID].line,
                        "id '%s' does not match the file name %s (a rule file is named ID.rule)",
                        text_str(&p->fields[FIELD_ID]), slash ? slash + 1 : p->path);

        rule = calloc(1, sizeof(Rule));
        if (!rule)
                return parser_oom(p);
        rule->severity = p->severity;
        r = parse_when(p, &p->fields[FIELD_WHEN], &rule->when);
        if (r < 0)
                return r;

        rule->fixes = calloc(p->n_fixes ? p->n_fixes : 1, sizeof(RuleFix));
        if (!rule->fixes)
                return parser_oom(p);
        for (size_t i = 0; i < p->n_fixes; i++) {
                r = build_fix(p, &p->fixes[i], &rule->fixes[rule->n_fixes]);
                rule->n_fixes++;
                if (r < 0)
                        return r;
        }

        rule->path = strdup(p->path);
        rule->id = text_steal_or_null(&p->fields[FIELD_ID]);
        rule->title = text_steal_or_null(&p->fields[FIELD_TITLE]);
        rule->rationale = text_steal_or_null(&p->fields[FIELD_RATIONALE]);
        rule->when_text = text_steal_or_null(&p->fields[FIELD_WHEN]);
        rule->message = text_steal_or_null(&p->fields[FIELD_MESSAGE]);
        rule->references = p->references ? TAKE_PTR(p->references) : calloc(1, sizeof(char *));
        if (!rule->path || !rule->id || !rule->title || !rule->when_text || !rule->message ||
                !rule->references || (p->fields[FIELD_RATIONALE].line && !rule->rationale))
                return parser_oom(p);
        *ret = TAKE_PTR(rule);
        return 0;
}

int rule_parse_string(const char *path, const char *text, size_t size, Rule **ret, char **ret_error)
{
        Parser p = {.path = path, .text = text, .size = size};
        int r;

        r = ini_parse_stream(rule_reader, &p, rule_ini_handler, &p);
        if (p.r >= 0 && r == -2)
                p.r = -ENOMEM;
        else if (p.r >= 0 && r != 0)
                /* Our reader rejects every line inih could refuse, so this is a bug. */
                parser_fail(&p, (unsigned) (r > 0 ? r : 1), "cannot parse this line");
        if (p.r >= 0)
                build_rule(&p, ret);

        r = p.r;
        if (r < 0) {
                if (ret_error && p.error) {
                        free(*ret_error);
                        *ret_error = TAKE_PTR(p.error);
                } else if (r == -ENOMEM)
                        error_setf(ret_error, r, "%s: out of memory", path);
        }
        parser_done(&p);
        return r < 0 ? r : 0;
}

int rule_load_file(const char *path, Rule **ret, char **ret_error)
{
        _cleanup_free_ char *text = NULL;
        size_t size;
        int r;

        r = read_full_file(path, &text, &size);
        if (r < 0)
                return error_setf(ret_error, r, "%s: cannot read: %s", path, strerror(-r));
        return rule_parse_string(path, text, size, ret, ret_error);
}

int rule_file_disables(const char *path)
{
        struct stat st, null_st;

        if (stat(path, &st) < 0)
                return -errno;
        /* A symlink to /dev/null (or /dev/null itself): compare the device, not the link text. */
        if (S_ISCHR(st.st_mode) && stat("/dev/null", &null_st) >= 0 && st.st_rdev == null_st.st_rdev)
                return 1;
        return S_ISREG(st.st_mode) && st.st_size == 0;
}

/* ------------------------------------------------------------------ rule sets */

typedef struct DirEntry {
        char *name; /* "foo.rule" */
        char *path;
} DirEntry;

static int dir_entry_cmp(const void *a, const void *b)
{
        return strcmp(((const DirEntry *) a)->name, ((const DirEntry *) b)->name);
}

static int rule_cmp(const void *a, const void *b)
{
        return strcmp((*(Rule *const *) a)->id, (*(Rule *const *) b)->id);
}

static void dir_entries_free(DirEntry *v, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                free(v[i].name);
                free(v[i].path);
        }
        free(v);
}

/* Adds the *.rule names of dir that no higher-priority directory had. */
static int collect_dir(const char *dir, DirEntry **entries, size_t *n, char **ret_error)
{
        DIR *d = opendir(dir);
        struct dirent *de;
        int r = 0;

        if (!d) {
                if (errno == ENOENT || errno == ENOTDIR)
                        return 0;
                r = -errno;
                return error_setf(ret_error, r, "%s: cannot open: %s", dir, strerror(-r));
        }
        errno = 0;
        while ((de = readdir(d))) {
                DirEntry *t;
                bool seen = false;

                if (de->d_name[0] == '.' || !endswith(de->d_name, ".rule"))
                        continue;
                for (size_t i = 0; i < *n && !seen; i++)
                        seen = streq((*entries)[i].name, de->d_name);
                if (seen)
                        continue;
                t = realloc(*entries, (*n + 1) * sizeof(DirEntry));
                if (!t) {
                        r = -ENOMEM;
                        break;
                }
                *entries = t;
                t[*n] = (DirEntry){.name = strdup(de->d_name), .path = strdupf("%s/%s", dir, de->d_name)};
                (*n)++;
                if (!t[*n - 1].name || !t[*n - 1].path) {
                        r = -ENOMEM;
                        break;
                }
                errno = 0;
        }
        if (r == 0 && errno != 0) {
                r = -errno;
                error_setf(ret_error, r, "%s: cannot read: %s", dir, strerror(-r));
        }
        closedir(d);
        return r;
}

void rule_set_done(RuleSet *set)
{
        for (size_t i = 0; i < set->n; i++)
                rule_free(set->rules[i]);
        free(set->rules);
        strv_free(set->disabled);
        *set = (RuleSet){};
}

/* The *.rule files of dirs found so far, first directory winning each name. */
typedef struct DirEntryList {
        DirEntry *v;
        size_t n;
} DirEntryList;

static void dir_entry_list_done(DirEntryList *l)
{
        dir_entries_free(l->v, l->n);
        *l = (DirEntryList){};
}

/* rule_set_load() without the cleanup of set on failure. */
static int rule_set_fill(RuleSet *set, char *const *dirs, char **ret_error)
{
        _cleanup_(dir_entry_list_done) DirEntryList entries = {};
        int r;

        for (size_t i = 0; dirs && dirs[i]; i++)
                if ((r = collect_dir(dirs[i], &entries.v, &entries.n, ret_error)) < 0)
                        return r;
        if (entries.n > 0)
                qsort(entries.v, entries.n, sizeof(DirEntry), dir_entry_cmp);

        set->rules = calloc(entries.n + 1, sizeof(Rule *));
        set->disabled = calloc(1, sizeof(char *));
        if (!set->rules || !set->disabled)
                return -ENOMEM;
        for (size_t i = 0; i < entries.n; i++) {
                const DirEntry *e = &entries.v[i];
                _cleanup_rule_ Rule *rule = NULL;

                if (rule_file_disables(e->path) > 0) {
                        r = strv_consume(
                                &set->disabled, strndup(e->name, strlen(e->name) - strlen(".rule")));
                        if (r < 0)
                                return r;
                        continue;
                }
                /* stat() failures (a dangling symlink) are reported by the load below. */
                r = rule_load_file(e->path, &rule, ret_error);
                if (r < 0)
                        return r;
                for (size_t j = 0; j < set->n; j++)
                        if (streq(set->rules[j]->id, rule->id))
                                return error_setf(ret_error, -EINVAL,
                                        "%s: rule id '%s' is also declared by %s", rule->path, rule->id,
                                        set->rules[j]->path);
                set->rules[set->n++] = TAKE_PTR(rule);
        }
        if (set->n > 0)
                qsort(set->rules, set->n, sizeof(Rule *), rule_cmp);
        return 0;
}

int rule_set_load(RuleSet *set, char *const *dirs, char **ret_error)
{
        int r;

        *set = (RuleSet){};
        r = rule_set_fill(set, dirs, ret_error);
        if (r < 0) {
                if (r == -ENOMEM)
                        error_setf(ret_error, r, "out of memory loading rules");
                rule_set_done(set);
        }
        return r;
}

const Rule *rule_set_find(const RuleSet *set, const char *id)
{
        for (size_t i = 0; i < set->n; i++)
                if (streq(set->rules[i]->id, id))
                        return set->rules[i];
        return NULL;
}

/* ------------------------------------------------------------------ templates */

int rule_render_template(const char *tmpl, const Facts *facts, char **ret)
{
        _cleanup_sb_ StrBuf b = {};
        int r = 0;

        for (const char *c = tmpl; *c && r >= 0;) {
                if (ini_space(*c)) {
                        c += strspn(c, " \t\n\v\f\r");
                        r = sb_putc(&b, ' ');
                } else if (*c != '$') {
                        size_t n = strcspn(c, "$ \t\n\v\f\r");
                        r = sb_append_len(&b, c, n);
                        c += n;
                } else if (c[1] == '$') {
                        r = sb_putc(&b, '$');
                        c += 2;
                } else if (c[1] == '{') {
                        const char *close = strchr(c + 2, '}'), *at;
                        _cleanup_free_ char *name = NULL, *value = NULL;
                        const Fact *fact;
                        bool source;

                        if (!close)
                                return -EINVAL;
                        name = strndup(c + 2, (size_t) (close - c - 2));
                        if (!name)
                                return -ENOMEM;
                        at = strchr(name, '@');
                        source = at && streq(at + 1, "source");
                        if (at && !source)
                                return -EINVAL;
                        if (at)
                                name[at - name] = 0;
                        fact = facts_get(facts, name);
                        if (source)
                                r = sb_append(&b, fact && fact->source ? fact->source : "unknown source");
                        else if (!fact)
                                r = sb_append(&b, "unknown (not collected)");
                        else {
                                value = fact_value_to_string(fact);
                                r = value ? sb_append(&b, value) : -ENOMEM;
                        }
                        c = close + 1;
                } else
                        return -EINVAL;
        }
        if (r < 0)
                return r;
        *ret = sb_steal(&b);
        return *ret ? 0 : -ENOMEM;
}
