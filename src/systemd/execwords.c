/* SPDX-License-Identifier: MIT */
/* ExecStart= as systemd v252: config_parse_exec() (src/core/load-fragment.c) at load time and
 * replace_env_argv() (src/basic/env-util.c) at exec time. The shell unwrapping is ours. */
#include "systemd/execwords.h"

#include <limits.h>

#include "systemd/extract-word.h"

#define WHITESPACE " \t\n\r"
#define NAME_MAX_LEN 255

void exec_command_done(ExecCommand *c)
{
        if (!c)
                return;
        free(c->path);
        strv_free(c->argv);
        free(c->file);
        *c = (ExecCommand){};
}

void expanded_argv_done(ExpandedArgv *a)
{
        if (!a)
                return;
        for (size_t i = 0; i < a->n; i++) {
                free(a->v[i].text);
                free(a->v[i].file);
        }
        free(a->v);
        *a = (ExpandedArgv){};
}

/* ---- load time ---- */

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

/* path_is_valid(): under PATH_MAX in all, no component over NAME_MAX. */
static bool path_is_valid(const char *p)
{
        if (isempty(p) || strlen(p) >= PATH_MAX)
                return false;
        for (const char *c = p; *c;) {
                size_t l;

                c += strspn(c, "/");
                l = strcspn(c, "/");
                if (l > NAME_MAX_LEN)
                        return false;
                c += l;
        }
        return true;
}

static bool filename_is_valid(const char *p)
{
        if (isempty(p) || streq(p, ".") || streq(p, "..") || strchr(p, '/'))
                return false;
        return strlen(p) <= NAME_MAX_LEN;
}

/* path_simplify(): drops duplicate '/' and "." components, keeps "..". */
static void path_simplify(char *path)
{
        char *f = path;
        const char *p;
        bool add_slash = false;

        if (isempty(path))
                return;
        if (path[0] == '/')
                f++;
        for (p = f;;) {
                size_t l;

                p += strspn(p, "/");
                l = strcspn(p, "/");
                if (l == 0)
                        break;
                if (l == 1 && p[0] == '.') {
                        p++;
                        continue;
                }
                if (add_slash)
                        *f++ = '/';
                memmove(f, p, l);
                f += l;
                p += l;
                add_slash = true;
        }
        if (f == path)
                *f++ = '.';
        *f = 0;
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
                if (r == 2)
                        continue;

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
                r = strv_consume(argv, TAKE_PTR(resolved));
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

/* ---- exec time ---- */

/* strv_env_get_n(): matches "NAME=VALUE" entries whose text starts with name[0..n) followed by '='.
 * So a name containing '=' can match inside a value ("$A=b" finds "b" when A="b=c"... gives "c"). */
static const char *env_lookup(const EnvBlock *env, const char *name, size_t n, const EnvVar **ret_var)
{
        if (!env)
                return NULL;
        for (size_t i = env->n; i > 0; i--) {
                const EnvVar *v = &env->v[i - 1];
                size_t nl = strlen(v->name);

                if (n == nl && memcmp(v->name, name, n) == 0) {
                        *ret_var = v;
                        return v->value;
                }
                if (n > nl && memcmp(v->name, name, nl) == 0 && name[nl] == '=') {
                        size_t rest = n - nl - 1;

                        if (strncmp(v->value, name + nl + 1, rest) == 0 && v->value[rest] == '=') {
                                *ret_var = v;
                                return v->value + rest + 1;
                        }
                }
        }
        return NULL;
}

static int push_word(ExpandedArgv *a, char *text, const char *file, unsigned line)
{
        ExpandedWord *t;
        char *f = NULL;

        if (!text)
                return -ENOMEM;
        if (file && !(f = strdup(file))) {
                free(text);
                return -ENOMEM;
        }
        t = realloc(a->v, (a->n + 1) * sizeof(ExpandedWord));
        if (!t) {
                free(text);
                free(f);
                return -ENOMEM;
        }
        a->v = t;
        a->v[a->n++] = (ExpandedWord){.text = text, .file = f, .line = line};
        return 0;
}

/* replace_env() without extended syntax: "${NAME}" in place, "$$" -> "$", the rest literal. */
static int replace_env(const char *w, const EnvBlock *env, char **ret, const EnvVar **ret_var)
{
        _cleanup_sb_ StrBuf b = {};
        enum { WORD, CURLY, VARIABLE } state = WORD;
        const char *word = w, *e;
        int r = 0;

        *ret_var = NULL;
        for (e = w; *e && r >= 0; e++)
                switch (state) {
                case WORD:
                        if (*e == '$')
                                state = CURLY;
                        break;
                case CURLY:
                        if (*e == '{') {
                                r = sb_append_len(&b, word, (size_t) (e - word - 1));
                                word = e - 1;
                                state = VARIABLE;
                        } else if (*e == '$') {
                                r = sb_append_len(&b, word, (size_t) (e - word));
                                word = e + 1;
                                state = WORD;
                        } else
                                state = WORD;
                        break;
                case VARIABLE:
                        if (*e == '}') {
                                const EnvVar *v = NULL;
                                const char *t = env_lookup(env, word + 2, (size_t) (e - word - 2), &v);

                                if (t) {
                                        r = sb_append(&b, t);
                                        if (!*ret_var)
                                                *ret_var = v;
                                }
                                word = e + 1;
                                state = WORD;
                        } else if (*e == ':')
                                state = WORD; /* ${A:-x} is not supported: stays literal */
                        break;
                }
        if (r >= 0)
                r = sb_append_len(&b, word, (size_t) (e - word));
        if (r < 0)
                return r;
        *ret = sb_steal(&b);
        return *ret ? 0 : -ENOMEM;
}

/* Splits a value like replace_env_argv(): whitespace, quotes removed, backslash takes the next byte. */
static int push_split(ExpandedArgv *a, const char *value, const char *file, unsigned line)
{
        const char *p = value;

        for (;;) {
                char *w;
                int r = extract_first_word(&p, &w, EXTRACT_RELAX | EXTRACT_NO_CUNESCAPE);

                if (r <= 0)
                        return r;
                r = push_word(a, w, file, line);
                if (r < 0)
                        return r;
        }
}

int exec_expand(const ExecCommand *c, const EnvBlock *env, ExpandedArgv *ret)
{
        _cleanup_(expanded_argv_done) ExpandedArgv a = {};
        int r;

        for (size_t i = 0; c->argv && c->argv[i]; i++) {
                const char *w = c->argv[i];
                const EnvVar *v = NULL;
                char *t;

                if (i == 0 || (c->flags & EXEC_NO_ENV_EXPAND)) {
                        r = push_word(&a, strdup(w), c->file, c->line);
                } else if (w[0] == '$' && w[1] != '{' && w[1] != '$') {
                        /* The whole word names the variable ("$A/x" looks up "A/x"): 0..n words. */
                        const char *val = env_lookup(env, w + 1, strlen(w + 1), &v);

                        r = val ? push_split(&a, val, v->file, v->line) : 0;
                } else {
                        r = replace_env(w, env, &t, &v);
                        if (r >= 0)
                                r = v ? push_word(&a, t, v->file, v->line)
                                      : push_word(&a, t, c->file, c->line);
                }
                if (r < 0)
                        return r;
        }
        *ret = a;
        a = (ExpandedArgv){};
        return 0;
}

/* ---- shell wrappers ---- */

typedef struct ShVar {
        char *name, *value, *file;
        unsigned line;
} ShVar;

typedef struct Sh {
        const char *s; /* the script */
        size_t i;
        const EnvBlock *env;
        ShVar *vars; /* assignments made by earlier commands of the script */
        size_t n_vars;
        const ExpandedWord *pos; /* $0, $1, ... */
        size_t n_pos;
        const ExpandedWord *script;
        bool bash;

        /* The word being built. */
        StrBuf cur;
        bool active; /* has content or a quoted part: it exists even if empty */
        const char *o_file; /* origin of the first variable used in it */
        unsigned o_line;
        bool o_set;
} Sh;

static void sh_done(Sh *sh)
{
        for (size_t i = 0; i < sh->n_vars; i++) {
                free(sh->vars[i].name);
                free(sh->vars[i].value);
                free(sh->vars[i].file);
        }
        free(sh->vars);
        sb_free(&sh->cur);
}

static bool is_name_start(char c)
{
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_name_char(char c)
{
        return is_name_start(c) || (c >= '0' && c <= '9');
}

static bool is_ifs(char c)
{
        return c == ' ' || c == '\t' || c == '\n';
}

/* Characters that end an unquoted word. */
static bool is_meta(char c)
{
        return c == '\0' || c == ' ' || c == '\t' || c == '\n' || strchr("|&;<>()", c);
}

static void sh_origin(Sh *sh, const char *file, unsigned line)
{
        if (sh->o_set)
                return;
        sh->o_set = true;
        sh->o_file = file;
        sh->o_line = line;
}

static int sh_finish(Sh *sh, ExpandedArgv *out)
{
        int r = 0;

        if (sh->active) {
                r = push_word(out, sb_steal(&sh->cur), sh->o_set ? sh->o_file : sh->script->file,
                        sh->o_set ? sh->o_line : sh->script->line);
                if (r < 0)
                        return r;
        }
        sb_free(&sh->cur);
        sh->active = false;
        sh->o_set = false;
        return 0;
}

static const char *sh_lookup(Sh *sh, const char *name, size_t n, const char **file, unsigned *line)
{
        const EnvVar *v = NULL;
        const char *val;

        for (size_t i = sh->n_vars; i > 0; i--)
                if (strlen(sh->vars[i - 1].name) == n && memcmp(sh->vars[i - 1].name, name, n) == 0) {
                        *file = sh->vars[i - 1].file;
                        *line = sh->vars[i - 1].line;
                        return sh->vars[i - 1].value;
                }
        /* Exact names only: a shell variable name never contains '='. */
        val = env_lookup(sh->env, name, n, &v);
        if (val && memchr(name, '=', n))
                val = NULL;
        if (val) {
                *file = v->file;
                *line = v->line;
        }
        return val;
}

/* Adds an expansion's value to the current word: as is when quoted (or in an assignment),
 * else split into fields on IFS whitespace. */
static int sh_add_value(
        Sh *sh, ExpandedArgv *out, const char *val, bool split, const char *file, unsigned line)
{
        int r;

        if (!split) {
                sh_origin(sh, file, line);
                return sb_append(&sh->cur, val);
        }
        for (const char *q = val; *q;) {
                size_t l;

                if (is_ifs(*q)) {
                        q += strspn(q, " \t\n");
                        r = sh_finish(sh, out);
                        if (r < 0)
                                return r;
                        continue;
                }
                l = strcspn(q, " \t\n");
                sh_origin(sh, file, line);
                r = sb_append_len(&sh->cur, q, l);
                if (r < 0)
                        return r;
                sh->active = true;
                q += l;
        }
        return 0;
}

/* Copies "`...`" or "$(...)" literally: we do not run commands. */
static int sh_copy_subst(Sh *sh)
{
        size_t start = sh->i;

        if (sh->s[sh->i] == '`') {
                const char *e = strchr(sh->s + sh->i + 1, '`');
                sh->i = e ? (size_t) (e - sh->s) + 1 : strlen(sh->s);
        } else {
                int depth = 0;

                for (; sh->s[sh->i]; sh->i++) {
                        if (sh->s[sh->i] == '(')
                                depth++;
                        else if (sh->s[sh->i] == ')' && --depth == 0) {
                                sh->i++;
                                break;
                        }
                }
        }
        return sb_append_len(&sh->cur, sh->s + start, sh->i - start);
}

/* "$", "$?", "$$" ...: no value we can know; the '$' is kept. */
static int sh_dollar_literal(Sh *sh)
{
        sh->active = true;
        sh->i++;
        return sb_putc(&sh->cur, '$');
}

/* At "${": ${NAME}, ${#NAME} and ${NAME[:]{-=+?}WORD}; anything else stays literal. */
static int sh_dollar_braced(Sh *sh, ExpandedArgv *out, bool split)
{
        const char *s = sh->s, *close = strchr(s + sh->i + 1, '}'), *file = NULL, *val, *def = NULL;
        size_t i = sh->i + 1, n = i + 1, def_len = 0;
        bool colon = false, length = false;
        unsigned line = 0;
        char op = 0;

        if (!close)
                return sh_dollar_literal(sh);
        if (s[n] == '#' && is_name_start(s[n + 1])) {
                length = true;
                n++;
        }
        if (!is_name_start(s[n]))
                return sh_dollar_literal(sh);
        while (is_name_char(s[n]))
                n++;
        if (!length && s[n] == ':' && strchr("-=+?", s[n + 1]))
                colon = true;
        if (!length && strchr("-=+?", s[n + colon]) && s + n + colon < close) {
                op = s[n + colon];
                def = s + n + colon + 1;
                def_len = (size_t) (close - def);
        } else if (s + n != close)
                return sh_dollar_literal(sh);
        val = sh_lookup(sh, s + i + 1 + length, n - i - 1 - length, &file, &line);
        sh->i = (size_t) (close - s) + 1;
        if (length) {
                _cleanup_free_ char *t = strdupf("%zu", val ? strlen(val) : 0);
                if (!t)
                        return -ENOMEM;
                return sh_add_value(sh, out, t, split, file, line);
        }
        if (op) {
                bool set = val && (!colon || val[0]);
                if ((op == '+') == set) {
                        /* The word is used literally (no nested expansion here). */
                        _cleanup_free_ char *t = strndup(def, def_len);
                        if (!t)
                                return -ENOMEM;
                        return sh_add_value(sh, out, t, split, sh->script->file, sh->script->line);
                }
                if (op == '+')
                        return 0;
        }
        return val ? sh_add_value(sh, out, val, split, file, line) : 0;
}

/* At '$': parameter expansion. split: field splitting applies (unquoted, not an assignment). */
static int sh_dollar(Sh *sh, ExpandedArgv *out, bool split)
{
        const char *s = sh->s;
        size_t i = sh->i + 1;
        const char *file = NULL, *val = NULL;
        unsigned line = 0;
        int r;

        if (s[i] == '(') {
                sh->active = true;
                sh->i++;
                r = sb_putc(&sh->cur, '$');
                return r < 0 ? r : sh_copy_subst(sh);
        }
        if (s[i] == '{')
                return sh_dollar_braced(sh, out, split);
        if (is_name_start(s[i])) {
                size_t n = i;

                while (is_name_char(s[n]))
                        n++;
                val = sh_lookup(sh, s + i, n - i, &file, &line);
                sh->i = n;
        } else if (s[i] >= '0' && s[i] <= '9') {
                size_t k = (size_t) (s[i] - '0');

                if (k < sh->n_pos) {
                        val = sh->pos[k].text;
                        file = sh->pos[k].file;
                        line = sh->pos[k].line;
                }
                sh->i = i + 1;
        } else
                return sh_dollar_literal(sh);

        if (!val)
                return 0;
        return sh_add_value(sh, out, val, split, file, line);
}

/* Reads one word at sh->i into fields (several when unquoted expansions split). */
static int sh_word(Sh *sh, ExpandedArgv *out, bool split)
{
        const char *s = sh->s;
        int r;

        while (!is_meta(s[sh->i])) {
                char c = s[sh->i];

                if (c == '\\') {
                        if (s[sh->i + 1] == '\n') {
                                sh->i += 2;
                                continue;
                        }
                        sh->active = true;
                        if (s[sh->i + 1] == '\0') {
                                sh->i++;
                                r = sb_putc(&sh->cur, '\\');
                        } else {
                                r = sb_putc(&sh->cur, s[sh->i + 1]);
                                sh->i += 2;
                        }
                } else if (c == '\'') {
                        const char *e = strchr(s + sh->i + 1, '\'');
                        if (!e)
                                return -EINVAL;
                        sh->active = true;
                        r = sb_append_len(&sh->cur, s + sh->i + 1, (size_t) (e - s - sh->i - 1));
                        sh->i = (size_t) (e - s) + 1;
                } else if (c == '"') {
                        sh->active = true;
                        sh->i++;
                        for (r = 0; r >= 0;) {
                                c = s[sh->i];
                                if (c == '\0')
                                        return -EINVAL;
                                if (c == '"') {
                                        sh->i++;
                                        break;
                                }
                                if (c == '\\' && s[sh->i + 1] && strchr("$`\"\\\n", s[sh->i + 1])) {
                                        if (s[sh->i + 1] != '\n')
                                                r = sb_putc(&sh->cur, s[sh->i + 1]);
                                        sh->i += 2;
                                } else if (c == '$')
                                        r = sh_dollar(sh, out, false);
                                else if (c == '`')
                                        r = sh_copy_subst(sh);
                                else {
                                        r = sb_putc(&sh->cur, c);
                                        sh->i++;
                                }
                        }
                } else if (c == '$') {
                        r = sh_dollar(sh, out, split);
                } else if (c == '`') {
                        sh->active = true;
                        r = sh_copy_subst(sh);
                } else {
                        sh->active = true;
                        r = sb_putc(&sh->cur, c);
                        sh->i++;
                }
                if (r < 0)
                        return r;
        }
        return sh_finish(sh, out);
}

/* At '<' or '>' (or bash's "&>"): skips the operator and its target word. */
static int sh_redirect(Sh *sh)
{
        _cleanup_(expanded_argv_done) ExpandedArgv junk = {};
        const char *s = sh->s;

        if (s[sh->i] == '&')
                sh->i++;
        if (s[sh->i] == '<') {
                sh->i++;
                if (s[sh->i] == '<') {
                        sh->i++;
                        if (s[sh->i] == '-')
                                sh->i++;
                } else if (s[sh->i] == '&' || s[sh->i] == '>')
                        sh->i++;
        } else {
                sh->i++;
                if (s[sh->i] == '>' || s[sh->i] == '|' || s[sh->i] == '&')
                        sh->i++;
        }
        sh->i += strspn(s + sh->i, " \t");
        return sh_word(sh, &junk, false);
}

/* A word at sh->i that starts with NAME=. */
static bool sh_is_assignment(const Sh *sh)
{
        const char *p = sh->s + sh->i;

        if (!is_name_start(*p))
                return false;
        while (is_name_char(*p))
                p++;
        return *p == '=';
}

static int sh_assign(Sh *sh, const ExpandedWord *w)
{
        const char *eq = strchr(w->text, '=');
        ShVar *t;
        char *name, *value, *file = NULL;

        name = strndup(w->text, (size_t) (eq - w->text));
        value = strdup(eq + 1);
        if (w->file)
                file = strdup(w->file);
        t = realloc(sh->vars, (sh->n_vars + 1) * sizeof(ShVar));
        if (t)
                sh->vars = t;
        if (!name || !value || !t || (w->file && !file)) {
                free(name);
                free(value);
                free(file);
                return -ENOMEM;
        }
        t[sh->n_vars++] = (ShVar){.name = name, .value = value, .file = file, .line = w->line};
        return 0;
}

/* Parses simple commands until one has words; returns its words in out. */
static int sh_first_command(Sh *sh, ExpandedArgv *out)
{
        const char *s = sh->s;
        int r;

        for (;;) {
                _cleanup_(expanded_argv_done) ExpandedArgv assigns = {};
                bool stop = false;

                for (;;) {
                        char c;

                        sh->i += strspn(s + sh->i, " \t");
                        c = s[sh->i];
                        if (c == '#') {
                                sh->i += strcspn(s + sh->i, "\n");
                                continue;
                        }
                        if (c == '\0') {
                                stop = true;
                                break;
                        }
                        if (c == '<' || c == '>' || (c == '&' && sh->bash && s[sh->i + 1] == '>')) {
                                r = sh_redirect(sh);
                        } else if (c == '|' || c == '&' || c == ';' || c == '(' || c == ')' || c == '\n') {
                                /* A pipe ends the first stage: nothing after it is this command. */
                                if (c == '|' && s[sh->i + 1] != '|')
                                        stop = true;
                                sh->i++;
                                if (s[sh->i] == c && c != '(' && c != ')')
                                        sh->i++;
                                break;
                        } else if (c >= '0' && c <= '9' &&
                                   (s[sh->i + strspn(s + sh->i, "0123456789")] == '<' ||
                                           s[sh->i + strspn(s + sh->i, "0123456789")] == '>')) {
                                /* An IO number: "2>&1". */
                                sh->i += strspn(s + sh->i, "0123456789");
                                r = sh_redirect(sh);
                        } else if (out->n == 0 && sh_is_assignment(sh)) {
                                /* Assignments are not split and are not arguments. */
                                r = sh_word(sh, &assigns, false);
                        } else
                                r = sh_word(sh, out, true);
                        if (r < 0)
                                return r;
                }

                /* "exec cmd" runs cmd in place of the shell. */
                if (out->n > 0 && streq(out->v[0].text, "exec")) {
                        size_t k = out->n > 1 && streq(out->v[1].text, "--") ? 2 : 1;

                        for (size_t j = 0; j < k; j++) {
                                free(out->v[j].text);
                                free(out->v[j].file);
                        }
                        memmove(out->v, out->v + k, (out->n - k) * sizeof(ExpandedWord));
                        out->n -= k;
                }
                if (out->n > 0 || stop)
                        return 0;
                for (size_t j = 0; j < assigns.n; j++) {
                        r = sh_assign(sh, &assigns.v[j]);
                        if (r < 0)
                                return r;
                }
        }
}

static const char *base_name(const char *p)
{
        const char *s = strrchr(p, '/');
        return s ? s + 1 : p;
}

int exec_unwrap_shell(const ExpandedArgv *a, const EnvBlock *env, ExpandedArgv *ret)
{
        _cleanup_(expanded_argv_done) ExpandedArgv out = {};
        const char *sh_name;
        bool have_c = false;
        size_t i;
        Sh sh;
        int r;

        if (!a || a->n < 2)
                return 0;
        sh_name = base_name(a->v[0].text);
        if (!streq(sh_name, "sh") && !streq(sh_name, "bash") && !streq(sh_name, "dash"))
                return 0;

        /* Options up to the first operand; -c may sit in a cluster ("-ec"), -o/-O take a value. */
        for (i = 1; i < a->n; i++) {
                const char *w = a->v[i].text;

                if (streq(w, "--") || streq(w, "-")) {
                        i++;
                        break;
                }
                if ((w[0] != '-' && w[0] != '+') || !w[1])
                        break;
                if (w[0] == '-' && w[1] == '-') {
                        if (streq(w, "--rcfile") || streq(w, "--init-file"))
                                i++;
                        continue;
                }
                for (const char *o = w + 1; *o; o++) {
                        if (*o == 'c' && w[0] == '-')
                                have_c = true;
                        else if (*o == 'o' || *o == 'O')
                                i++;
                }
        }
        if (!have_c || i >= a->n)
                return 0;

        sh = (Sh){
                .s = a->v[i].text,
                .env = env,
                .pos = a->v + i + 1,
                .n_pos = a->n - i - 1,
                .script = &a->v[i],
                .bash = streq(sh_name, "bash"),
        };
        r = sh_first_command(&sh, &out);
        sh_done(&sh);
        if (r == -EINVAL)
                return 0; /* unterminated quote: the shell would not run it */
        if (r < 0)
                return r;
        *ret = out;
        out = (ExpandedArgv){};
        return 1;
}
