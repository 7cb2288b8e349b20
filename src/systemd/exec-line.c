/* SPDX-License-Identifier: MIT */
/* ExecStart= at load time as systemd v252 config_parse_exec() (src/core/load-fragment.c): the
 * prefixes, the executable's checks, the words and ";" between commands. */
#include "systemd/execwords.h"

#include <limits.h>

#include "basic/path-util.h"
#include "systemd/extract-word.h"

#define WHITESPACE " \t\n\r"

void exec_command_done(ExecCommand *c)
{
        if (!c)
                return;
        free(c->path);
        strv_free(c->argv);
        free(c->file);
        *c = (ExecCommand){};
}

static bool isempty(const char *s)
{
        return !s || !*s;
}

/* string_is_safe(): no control characters, quotes, backslash or DEL. */
static bool string_is_safe(const char *p)
{
        for (const unsigned char *t = (const unsigned char *) p; *t; t++)
                if (*t < ' ' || *t == 0x7f || strchr("\"'\\", *t))
                        return false;
        return true;
}

static int warn_unknown_escape(char ***warnings, const char *file, unsigned line, const char *word)
{
        if (!warnings)
                return 0;
        return strv_consume(warnings,
                strdupf("%s:%u: Ignoring unknown escape sequences: \"%s\"", strempty(file), line, word));
}

/* extract_first_word_and_warn(): strict first, then keep unknown escapes with a warning.
 * -EINVAL left means unbalanced quoting. */
static int extract_and_warn(const char **p, char **ret, const char *file, unsigned line, char ***warnings)
{
        const char *save = *p;
        int r;

        r = extract_first_word(p, ret, 0);
        if (r != -EINVAL)
                return r;
        *p = save;
        r = extract_first_word(p, ret, EXTRACT_RELAX_UNKNOWN_ESCAPES);
        if (r < 0)
                return r;
        if (r > 0 && warn_unknown_escape(warnings, file, line, *ret) < 0) {
                free(*ret);
                *ret = NULL;
                return -ENOMEM;
        }
        return r;
}

/* A setting error: with the "-" prefix systemd logs it and ignores the assignment (1), else the
 * unit gets bad-setting (-ENOEXEC). */
static int fail(
        char **ret_error, bool ignore, const char *file, unsigned line, const char *what, const char *arg)
{
        if (ret_error) {
                free(*ret_error);
                *ret_error = strdupf(
                        "%s:%u: %s%s: %s", strempty(file), line, what, ignore ? ", ignoring" : "", arg);
                if (!*ret_error)
                        return -ENOMEM;
        }
        return ignore ? 1 : -ENOEXEC;
}

static int append_command(ExecCommand **cmds, size_t *n_cmds, char **path, char ***argv, ExecFlags flags,
        const char *file, unsigned line)
{
        ExecCommand *t;
        char *f = NULL;

        if (file && !(f = strdup(file)))
                return -ENOMEM;
        t = realloc(*cmds, (*n_cmds + 1) * sizeof(ExecCommand));
        if (!t) {
                free(f);
                return -ENOMEM;
        }
        *cmds = t;
        t[(*n_cmds)++] = (ExecCommand){
                .path = TAKE_PTR(*path),
                .argv = TAKE_PTR(*argv),
                .flags = flags,
                .file = f,
                .line = line,
        };
        return 0;
}

/* One ExecStart= line being parsed: the specifiers, where it is from, where messages go. */
typedef struct ExecLine {
        const SpecifierContext *ctx;
        const char *file;
        unsigned line;
        char ***warnings;
        char **ret_error;
} ExecLine;

/* Sets "Unbalanced quoting, ignoring" (systemd says "ignoring" here even when the unit becomes
 * bad-setting). Returns 0 or -ENOMEM. */
static int unbalanced_quoting(const ExecLine *x, const char *rvalue)
{
        if (x->ret_error) {
                free(*x->ret_error);
                *x->ret_error = strdupf(
                        "%s:%u: Unbalanced quoting, ignoring: \"%s\"", strempty(x->file), x->line, rvalue);
                if (!*x->ret_error)
                        return -ENOMEM;
        }
        return 0;
}

/* The prefixes of the first word, each at most once; "+" excludes "!"/"!!" (the loop just
 * stops). Returns the text after them. */
static const char *exec_prefixes(const char *word, ExecFlags *flags)
{
        const char *f;

        for (f = word;; f++) {
                if (*f == '-' && !(*flags & EXEC_IGNORE_FAILURE))
                        *flags |= EXEC_IGNORE_FAILURE;
                else if (*f == '@' && !(*flags & EXEC_ARGV0))
                        *flags |= EXEC_ARGV0;
                else if (*f == ':' && !(*flags & EXEC_NO_ENV_EXPAND))
                        *flags |= EXEC_NO_ENV_EXPAND;
                else if (*f == '+' && !(*flags & (EXEC_PRIVILEGED | EXEC_NO_SETUID | EXEC_AMBIENT)))
                        *flags |= EXEC_PRIVILEGED;
                else if (*f == '!' && !(*flags & (EXEC_PRIVILEGED | EXEC_NO_SETUID | EXEC_AMBIENT)))
                        *flags |= EXEC_NO_SETUID;
                else if (*f == '!' && !(*flags & (EXEC_PRIVILEGED | EXEC_AMBIENT))) {
                        *flags &= ~EXEC_NO_SETUID;
                        *flags |= EXEC_AMBIENT;
                } else
                        return f;
        }
}

/* The executable (the first word after its prefixes), specifiers resolved and checked as
 * systemd does. Returns 0 with *ret, else fail()'s result or -ENOMEM. */
static int exec_path(const ExecLine *x, const char *f, bool ignore, const char *rvalue, char **ret)
{
        _cleanup_free_ char *path = NULL;
        int r;

        r = specifier_expand_full(f, x->ctx, PATH_MAX - 1, &path);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                _cleanup_free_ char *m = strdupf("Failed to resolve unit specifiers in '%s'", f);
                if (!m)
                        return -ENOMEM;
                return fail(x->ret_error, ignore, x->file, x->line, m, strerror(-r));
        }
        if (isempty(path))
                return fail(x->ret_error, ignore, x->file, x->line, "Empty path in command line", rvalue);
        if (!string_is_safe(path))
                return fail(x->ret_error, ignore, x->file, x->line,
                        "Executable name contains special characters", path);
        if (endswith(path, "/"))
                return fail(x->ret_error, ignore, x->file, x->line, "Executable path specifies a directory",
                        path);
        if (!(path[0] == '/' ? path_is_valid(path) : filename_is_valid(path)))
                return fail(x->ret_error, ignore, x->file, x->line,
                        "Neither a valid executable name nor an absolute path", path);
        *ret = TAKE_PTR(path);
        return 0;
}

/* A lone ";" ends the command (*p moves past it and the blanks after it); "\;" is a ";"
 * argument. Both are checked on the raw text: "\\;" or "\";\"" are not them. Returns 1 for
 * the end of the command, 0 when *p is neither, -ENOMEM. */
static int exec_semicolon(const char **p, char ***argv)
{
        const char *s = *p;

        if (s[0] == ';' && (!s[1] || strchr(WHITESPACE, s[1]))) {
                *p = s + 1 + strspn(s + 1, WHITESPACE);
                return 1;
        }
        if (s[0] == '\\' && s[1] == ';' && (!s[2] || strchr(WHITESPACE, s[2]))) {
                *p = s + 2 + strspn(s + 2, WHITESPACE);
                return strv_extend(argv, ";") < 0 ? -ENOMEM : 2;
        }
        return 0;
}

/* The arguments after the executable, specifiers resolved, up to a lone ";" (*ret_semicolon
 * set) or the end. Returns 0, else fail()'s result or -ENOMEM. */
static int exec_arguments(const ExecLine *x, const char **p, bool ignore, const char *rvalue, char ***argv,
        bool *ret_semicolon)
{
        size_t n = strv_length(*argv);
        int r;

        while (!isempty(*p)) {
                _cleanup_free_ char *word = NULL, *resolved = NULL;

                r = exec_semicolon(p, argv);
                if (r < 0)
                        return r;
                if (r == 1) {
                        *ret_semicolon = true;
                        return 0;
                }
                if (r == 2) {
                        n++; /* the "\\;" word it appended */
                        continue;
                }

                r = extract_and_warn(p, &word, x->file, x->line, x->warnings);
                if (r == 0)
                        break;
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        r = unbalanced_quoting(x, rvalue);
                        return r < 0 ? r : ignore ? 1 : -ENOEXEC;
                }

                r = specifier_expand(word, x->ctx, &resolved);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        _cleanup_free_ char *m = strdupf("Failed to resolve unit specifiers in %s", word);
                        if (!m)
                                return -ENOMEM;
                        return fail(x->ret_error, ignore, x->file, x->line, m, strerror(-r));
                }
                r = strv_consume_at(argv, &n, TAKE_PTR(resolved));
                if (r < 0)
                        return r;
        }
        return 0;
}

int exec_parse_line_full(const char *value, const SpecifierContext *ctx, const char *file, unsigned line,
        ExecCommand **cmds, size_t *n_cmds, char ***warnings, char **ret_error)
{
        const ExecLine x = {
                .ctx = ctx, .file = file, .line = line, .warnings = warnings, .ret_error = ret_error};
        const char *p = value, *rvalue = value;
        bool semicolon;
        int r;

        do {
                _cleanup_free_ char *firstword = NULL, *path = NULL;
                _cleanup_strv_free_ char **argv = NULL;
                ExecFlags flags = 0;
                const char *f;
                bool ignore;

                semicolon = false;

                r = extract_and_warn(&p, &firstword, file, line, warnings);
                if (r == -EINVAL) {
                        /* Unbalanced quoting in the first word: ignored even without "-". */
                        r = unbalanced_quoting(&x, rvalue);
                        return r < 0 ? r : 1;
                }
                if (r <= 0)
                        return r;

                /* A lone ";" (even quoted) where a command should start is skipped. */
                if (streq(firstword, ";")) {
                        semicolon = true;
                        continue;
                }

                f = exec_prefixes(firstword, &flags);
                ignore = flags & EXEC_IGNORE_FAILURE;
                r = exec_path(&x, f, ignore, rvalue, &path);
                if (r != 0)
                        return r;

                /* argv[0] is the path as written (after specifiers); only the stored path is simplified. */
                if (!(flags & EXEC_ARGV0)) {
                        r = strv_extend(&argv, path);
                        if (r < 0)
                                return r;
                }
                path_simplify(path);

                r = exec_arguments(&x, &p, ignore, rvalue, &argv, &semicolon);
                if (r != 0)
                        return r;
                if (!argv || !argv[0])
                        return fail(ret_error, ignore, file, line,
                                "Empty executable name or zeroeth argument", rvalue);

                r = append_command(cmds, n_cmds, &path, &argv, flags, file, line);
                if (r < 0)
                        return r;
                rvalue = p;
        } while (semicolon);

        return 0;
}

int exec_parse_line(const char *value, const SpecifierContext *ctx, const char *file, unsigned line,
        ExecCommand **cmds, size_t *n_cmds, char **ret_error)
{
        return exec_parse_line_full(value, ctx, file, line, cmds, n_cmds, NULL, ret_error);
}
