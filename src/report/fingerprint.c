/* SPDX-License-Identifier: MIT */
#include "report/fingerprint.h"

#include <ctype.h>

#include "basic/strbuf.h"

/* The length of a run of digits at s. */
static size_t digits(const char *s)
{
        size_t n = 0;

        while (isdigit((unsigned char) s[n]))
                n++;
        return n;
}

/* Whether a ":LINE" run ending at s stands after a file name: what follows ends the word. */
static bool ends_word(char c)
{
        return c == 0 || strchr(" \t,;)", c);
}

/* The length of the run at s that fingerprint_normalise_source() drops or replaces (0: copy
 * one byte); *ret_replacement what goes instead. */
static size_t volatile_part(const char *start, const char *s, const char **ret_replacement)
{
        size_t n;

        *ret_replacement = "";
        /* ":12" or ":12:7" after a path word ("/etc/default/docker:3"), not "dbus:..." */
        if (*s == ':' && s > start && s[-1] != ' ' && (n = digits(s + 1)) > 0) {
                size_t m = 1 + n;

                if (s[m] == ':' && digits(s + m + 1) > 0)
                        m += 1 + digits(s + m + 1);
                if (ends_word(s[m]))
                        return m;
        }
        /* "/proc/1234/" (dockerd's pid changes at each restart) */
        if (startswith(s, "/proc/") && (n = digits(s + 6)) > 0 && s[6 + n] == '/') {
                *ret_replacement = "/proc/PID/";
                return 6 + n + 1;
        }
        /* "docker-api:/v1.41/": the API version follows the engine */
        if (startswith(s, "docker-api:/v") && (n = digits(s + 13)) > 0 && s[13 + n] == '.' &&
                digits(s + 14 + n) > 0 && s[14 + n + digits(s + 14 + n)] == '/') {
                *ret_replacement = "docker-api:/";
                return 14 + n + digits(s + 14 + n) + 1;
        }
        return 0;
}

char *fingerprint_normalise_source(const char *source)
{
        _cleanup_sb_ StrBuf b = {};

        if (sb_append(&b, "") < 0)
                return NULL;
        for (const char *s = source; *s;) {
                const char *repl;
                size_t n = volatile_part(source, s, &repl);

                if (n == 0 ? sb_putc(&b, *s) < 0 : sb_append(&b, repl) < 0)
                        return NULL;
                s += n == 0 ? 1 : n;
        }
        return sb_steal(&b);
}

/* Appends s and its NUL. */
static int sb_append_field(StrBuf *b, const char *s)
{
        return sb_append_len(b, s, strlen(s) + 1);
}

int finding_fingerprint(
        const Finding *f, const Facts *facts, const char *unit, bool user, char ret[static SHA256_HEX_SIZE])
{
        _cleanup_sb_ StrBuf b = {};

        if (sb_append_field(&b, "dockaudit-fingerprint/1") < 0 || sb_append_field(&b, f->rule->id) < 0 ||
                sb_printf(&b, "%s %s", user ? "user" : "system", strempty(unit)) < 0 || sb_putc(&b, 0) < 0)
                return -ENOMEM;
        for (char **n = f->evidence; n && *n; n++) {
                const Fact *x = facts_get(facts, *n);
                _cleanup_free_ char *src =
                        fingerprint_normalise_source(x && x->known && x->source ? x->source : "");

                if (!src || sb_append_field(&b, *n) < 0 || sb_append_field(&b, src) < 0)
                        return -ENOMEM;
        }
        sha256_hex(b.buf, b.len, ret);
        return 0;
}
