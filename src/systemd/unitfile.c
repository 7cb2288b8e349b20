/* SPDX-License-Identifier: MIT */
/* Unit file syntax as systemd 252's config_parse() and read_line_full() see it. */
#include "systemd/unitfile.h"

#define LONG_LINE_MAX (1024U * 1024U)
#define UTF8_BOM "\xef\xbb\xbf"
#define WHITESPACE " \t\n\r"
#define COMMENTS "#;"

enum {
        EOL_NONE = 0,
        EOL_ZERO = 1 << 0,
        EOL_TEN = 1 << 1,
        EOL_THIRTEEN = 1 << 2,
};

bool unit_utf8_is_valid(const char *str, size_t n)
{
        const unsigned char *s = (const unsigned char *) str;

        if (!utf8_is_valid_n(str, n))
                return false;
        /* utf8_is_valid_n() already rejected malformed, overlong and surrogate forms; what is
         * left is the noncharacter check systemd adds. Only 3- and 4-byte forms can be one. */
        for (size_t i = 0; i < n;) {
                unsigned c = s[i], cp;

                if (c < 0xC0) {
                        i++;
                        continue;
                }
                if (c < 0xE0) {
                        i += 2;
                        continue;
                }
                if (c < 0xF0) {
                        cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
                        i += 3;
                } else {
                        cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) |
                             (s[i + 3] & 0x3Fu);
                        i += 4;
                }
                if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
                        return false;
        }
        return true;
}

static int categorize_eol(char c)
{
        if (c == '\n')
                return EOL_TEN;
        if (c == '\r')
                return EOL_THIRTEEN;
        if (c == '\0')
                return EOL_ZERO;
        return EOL_NONE;
}

/* One physical line like read_line_full(): the line ends at a run of EOL bytes in which each
 * of \n, \r appears at most once, and a NUL ends the run. The limit is checked before each
 * byte, so a line of exactly `limit` bytes fails even when the next byte is its newline.
 * Returns 1 with *ret_start and *ret_len set, 0 at EOF, -ENOBUFS. */
static int read_line(
        const char *data, size_t size, size_t *pos, size_t limit, const char **ret_start, size_t *ret_len)
{
        size_t start = *pos, p = *pos, n = 0, count = 0;
        int previous = EOL_NONE;

        for (;;) {
                int eol;

                if (n >= limit)
                        return -ENOBUFS;
                if (p >= size)
                        break;
                eol = categorize_eol(data[p]);
                if ((previous & EOL_ZERO) || (eol == EOL_NONE && previous != EOL_NONE) ||
                        (eol != EOL_NONE && (previous & eol)))
                        break;
                p++;
                count++;
                if (eol != EOL_NONE) {
                        previous |= eol;
                        continue;
                }
                n++;
        }
        *pos = p;
        *ret_start = data + start;
        *ret_len = n;
        return count > 0;
}

/* Hostile files can hold a million bad lines; nobody reads more than this many warnings, and
 * keeping them all would cost memory and time. */
#define MAX_WARNINGS 1000U

typedef struct Parser {
        UnitFile *u;
        char *section; /* NULL before the first header */
        size_t n_warnings, cap_assignments, cap_sections;
} Parser;

static int add_warning(Parser *p, unsigned line, const char *msg)
{
        UnitFile *u = p->u;
        char *w;
        int r;

        if (p->n_warnings > MAX_WARNINGS)
                return 0;
        if (p->n_warnings == MAX_WARNINGS)
                w = strdupf("%s:%u: Too many warnings, not showing more.", u->path, line);
        else
                w = strdupf("%s:%u: %s", u->path, line, msg);
        r = strv_consume(&u->warnings, w);
        if (r < 0)
                return r;
        p->n_warnings++;
        return 0;
}

static int set_fatal(UnitFile *u, int err, unsigned line, const char *msg)
{
        u->fatal = err;
        u->fatal_line = line;
        u->fatal_msg = strdupf("%s:%u: %s", u->path, line, msg);
        return u->fatal_msg ? 0 : -ENOMEM;
}

/* systemd's string_is_safe(): no control characters, quotes, backslash or DEL. */
static bool section_name_is_safe(const char *s)
{
        for (; *s; s++)
                if ((unsigned char) *s < ' ' || strchr("\"'\\\x7f", *s))
                        return false;
        return true;
}

static int push_assignment(Parser *p, unsigned line, const char *key, const char *value)
{
        UnitFile *u = p->u;
        UnitAssignment *a, *t;

        if (u->n_assignments == p->cap_assignments) {
                size_t cap = p->cap_assignments ? p->cap_assignments * 2 : 16;

                t = realloc(u->assignments, sizeof(UnitAssignment) * cap);
                if (!t)
                        return -ENOMEM;
                u->assignments = t;
                p->cap_assignments = cap;
        }
        t = u->assignments;
        a = &t[u->n_assignments];
        *a = (UnitAssignment){.line = line};
        a->section = strdup(p->section);
        a->key = strdup(key);
        a->value = strdup(value);
        if (!a->section || !a->key || !a->value) {
                free(a->section);
                free(a->key);
                free(a->value);
                return -ENOMEM;
        }
        u->n_assignments++;
        return 0;
}

static int push_section(Parser *p, unsigned line, char *name)
{
        UnitFile *u = p->u;
        UnitSectionHeader *t;
        char *copy = strdup(name);

        if (!copy) {
                free(name);
                return -ENOMEM;
        }
        if (u->n_sections == p->cap_sections) {
                size_t cap = p->cap_sections ? p->cap_sections * 2 : 4;

                t = realloc(u->sections, sizeof(UnitSectionHeader) * cap);
                if (!t) {
                        free(copy);
                        free(name);
                        return -ENOMEM;
                }
                u->sections = t;
                p->cap_sections = cap;
        }
        t = u->sections;
        t[u->n_sections++] = (UnitSectionHeader){.name = copy, .line = line};
        free(p->section);
        p->section = name;
        return 0;
}

/* parse_line(): one logical line. Returns 1 when the line was fatal (recorded in u), 0, -ENOMEM. */
static int parse_line(Parser *p, unsigned line, char *l)
{
        UnitFile *u = p->u;
        char *e;
        int r;

        l = strstrip(l);
        if (!*l)
                return 0;

        if (!unit_utf8_is_valid(l, strlen(l))) {
                r = set_fatal(u, -EINVAL, line, "String is not UTF-8 clean, ignoring assignment");
                return r < 0 ? r : 1;
        }

        if (*l == '[') {
                size_t k = strlen(l);
                _cleanup_free_ char *msg = NULL;
                char *n;

                if (l[k - 1] != ']') {
                        msg = strdupf("Invalid section header '%s'", l);
                        r = msg ? set_fatal(u, -EBADMSG, line, msg) : -ENOMEM;
                        return r < 0 ? r : 1;
                }
                n = strndup(l + 1, k - 2);
                if (!n)
                        return -ENOMEM;
                if (!section_name_is_safe(n)) {
                        free(n);
                        r = set_fatal(u, -EBADMSG, line, "Bad characters in section header");
                        return r < 0 ? r : 1;
                }
                return push_section(p, line, n);
        }

        if (!p->section)
                return add_warning(p, line, "Assignment outside of section. Ignoring.");

        e = strchr(l, '=');
        if (!e)
                return add_warning(p, line, "Missing '=', ignoring line.");
        if (e == l)
                return add_warning(p, line, "Missing key name before '=', ignoring line.");
        *e = 0;
        return push_assignment(p, line, strstrip(l), strstrip(e + 1));
}

/* config_parse(): physical lines -> logical lines. */
static int parse_all(Parser *p, const char *data, size_t size)
{
        UnitFile *u = p->u;
        _cleanup_sb_ StrBuf cont = {};
        bool continuing = false, bom_seen = false;
        unsigned line = 0, cont_line = 0;
        size_t pos = 0;
        int r;

        for (;;) {
                _cleanup_free_ char *buf = NULL;
                const char *start, *l;
                size_t len;
                bool escaped = false;
                size_t old_len;

                r = read_line(data, size, &pos, LONG_LINE_MAX, &start, &len);
                if (r == 0)
                        break;
                if (r == -ENOBUFS)
                        return set_fatal(u, -ENOBUFS, line + 1, "Line too long");
                line++;

                buf = strndup(start, len); /* no NUL inside: NUL ends a line */
                if (!buf)
                        return -ENOMEM;

                /* Comments are dropped before anything else, also inside a continuation. */
                l = buf + strspn(buf, WHITESPACE);
                if (*l && strchr(COMMENTS, *l))
                        continue;

                l = buf;
                if (!bom_seen && startswith(buf, UTF8_BOM)) {
                        l = buf + strlen(UTF8_BOM);
                        bom_seen = true;
                }

                if (continuing) {
                        if (strlen(l) > LONG_LINE_MAX - cont.len)
                                return set_fatal(u, -ENOBUFS, line, "Continuation line too long");
                } else
                        cont_line = line;
                old_len = cont.len;
                r = sb_append(&cont, l);
                if (r < 0)
                        return r;

                /* An unescaped backslash as the very last byte continues the line. systemd scans
                 * the whole joined line, but the part before the join ends in the space that
                 * replaced an unescaped backslash, so the scan state there is always "not
                 * escaped": scanning only the new part gives the same answer in linear time. */
                for (char *e = cont.buf + old_len; *e; e++) {
                        if (escaped)
                                escaped = false;
                        else if (*e == '\\')
                                escaped = true;
                }
                if (escaped) {
                        cont.buf[cont.len - 1] = ' ';
                        continuing = true;
                        continue;
                }

                r = parse_line(p, cont_line, cont.buf);
                sb_free(&cont);
                continuing = false;
                if (r != 0)
                        return r < 0 ? r : 0;
        }

        if (continuing) {
                r = parse_line(p, cont_line, cont.buf);
                if (r < 0)
                        return r;
        }
        return 0;
}

int unit_file_parse(const char *path, const char *data, size_t size, UnitFile **ret)
{
        _cleanup_unit_file_ UnitFile *u = NULL;
        Parser p = {};
        int r;

        u = calloc(1, sizeof(UnitFile));
        if (!u)
                return -ENOMEM;
        u->path = strdup(path);
        if (!u->path)
                return -ENOMEM;

        p.u = u;
        r = parse_all(&p, data, size);
        free(p.section);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(u);
        return 0;
}

int unit_file_load(const char *path, UnitFile **ret)
{
        _cleanup_free_ char *data = NULL;
        size_t size;
        int r;

        r = read_full_file(path, &data, &size);
        if (r < 0)
                return r;
        return unit_file_parse(path, data, size, ret);
}

UnitFile *unit_file_free(UnitFile *u)
{
        if (!u)
                return NULL;
        for (size_t i = 0; i < u->n_assignments; i++) {
                free(u->assignments[i].section);
                free(u->assignments[i].key);
                free(u->assignments[i].value);
        }
        free(u->assignments);
        for (size_t i = 0; i < u->n_sections; i++)
                free(u->sections[i].name);
        free(u->sections);
        free(u->fatal_msg);
        strv_free(u->warnings);
        free(u->path);
        free(u);
        return NULL;
}
