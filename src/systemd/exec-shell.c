/* SPDX-License-Identifier: MIT */
/* Shell wrappers ("/bin/sh -c 'dockerd $OPTIONS 2>&1 | ...'"): a small reader of POSIX shell
 * words for the script's command that runs dockerd (else its first). Ours, not systemd's: systemd hands the
 * script to the shell as one argument. */
#include "basic/path-util.h"
#include "systemd/exec-internal.h"

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
                r = expanded_argv_push(out, sb_steal(&sh->cur), sh->o_set ? sh->o_file : sh->script->file,
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
        val = exec_env_lookup(sh->env, name, n, &v);
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
/* Whether a command of the script is the one the wrapper exists for: dockerd (RHEL's
 * dockerd-current, Docker 1.x's "docker daemon") or an inner shell that may run it. */
static bool sh_runs_daemon(const ExpandedArgv *cmd)
{
        const char *b = path_basename(cmd->v[0].text);

        return startswith(b, "docker") || streq(b, "sh") || streq(b, "bash") || streq(b, "dash");
}

/* "exec cmd" runs cmd in place of the shell: drops "exec" (and "--"). */
static void sh_strip_exec(ExpandedArgv *out)
{
        size_t k;

        if (out->n == 0 || !streq(out->v[0].text, "exec"))
                return;
        k = out->n > 1 && streq(out->v[1].text, "--") ? 2 : 1;
        for (size_t j = 0; j < k; j++) {
                free(out->v[j].text);
                free(out->v[j].file);
        }
        memmove(out->v, out->v + k, (out->n - k) * sizeof(ExpandedWord));
        out->n -= k;
}

/* The words of one simple command into out, up to its end (; & | && || ( ) newline); *end set
 * at the end of the script. Assignments before the command name go to assigns. */
static int sh_next_command(Sh *sh, ExpandedArgv *out, ExpandedArgv *assigns, bool *end)
{
        const char *s = sh->s;
        int r;

        for (;;) {
                char c;

                sh->i += strspn(s + sh->i, " \t");
                c = s[sh->i];
                if (c == '#') {
                        sh->i += strcspn(s + sh->i, "\n");
                        continue;
                }
                if (c == '\0') {
                        *end = true;
                        return 0;
                }
                if (c == '<' || c == '>' || (c == '&' && sh->bash && s[sh->i + 1] == '>')) {
                        r = sh_redirect(sh);
                } else if (c == '|' || c == '&' || c == ';' || c == '(' || c == ')' || c == '\n') {
                        sh->i++;
                        if (s[sh->i] == c && c != '(' && c != ')')
                                sh->i++;
                        return 0;
                } else if (c >= '0' && c <= '9' &&
                           (s[sh->i + strspn(s + sh->i, "0123456789")] == '<' ||
                                   s[sh->i + strspn(s + sh->i, "0123456789")] == '>')) {
                        /* An IO number: "2>&1". */
                        sh->i += strspn(s + sh->i, "0123456789");
                        r = sh_redirect(sh);
                } else if (out->n == 0 && sh_is_assignment(sh)) {
                        /* Assignments are not split and are not arguments. */
                        r = sh_word(sh, assigns, false);
                } else
                        r = sh_word(sh, out, true);
                if (r < 0)
                        return r;
        }
}

/* The command of the script that runs the daemon (see sh_runs_daemon()), else its first
 * command: "set -e; mkdir -p /run/x; exec dockerd ..." runs dockerd, "dockerd ... | logger"
 * too. Plain assignments ("X=1;") hold for the commands after them. */
static int sh_daemon_command(Sh *sh, ExpandedArgv *out)
{
        _cleanup_(expanded_argv_done) ExpandedArgv first = {};
        bool end = false;
        int r;

        while (!end) {
                _cleanup_(expanded_argv_done) ExpandedArgv cmd = {}, assigns = {};

                if ((r = sh_next_command(sh, &cmd, &assigns, &end)) < 0)
                        return r;
                sh_strip_exec(&cmd);
                if (cmd.n == 0) {
                        for (size_t j = 0; j < assigns.n; j++)
                                if ((r = sh_assign(sh, &assigns.v[j])) < 0)
                                        return r;
                        continue;
                }
                if (sh_runs_daemon(&cmd)) {
                        *out = TAKE_STRUCT(cmd);
                        return 0;
                }
                if (first.n == 0)
                        first = TAKE_STRUCT(cmd);
        }
        *out = TAKE_STRUCT(first);
        return 0;
}

/* The index of the -c script in the shell's arguments, 0 when there is none. Options go up to
 * the first operand; -c may sit in a cluster ("-ec"), -o/-O take a value. */
static size_t sh_script_index(const ExpandedArgv *a)
{
        bool have_c = false;
        size_t i;

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
        return have_c && i < a->n ? i : 0;
}

/* One level: 1 with *ret, 0 when a is not a shell wrapper. */
static int unwrap_once(const ExpandedArgv *a, const EnvBlock *env, ExpandedArgv *ret)
{
        _cleanup_(expanded_argv_done) ExpandedArgv out = {};
        const char *sh_name;
        size_t i;
        Sh sh;
        int r;

        if (!a || a->n < 2)
                return 0;
        sh_name = path_basename(a->v[0].text);
        if (!streq(sh_name, "sh") && !streq(sh_name, "bash") && !streq(sh_name, "dash"))
                return 0;
        i = sh_script_index(a);
        if (i == 0)
                return 0;

        sh = (Sh){
                .s = a->v[i].text,
                .env = env,
                .pos = a->v + i + 1,
                .n_pos = a->n - i - 1,
                .script = &a->v[i],
                .bash = streq(sh_name, "bash"),
        };
        r = sh_daemon_command(&sh, &out);
        sh_done(&sh);
        if (r == -EINVAL)
                return 0; /* unterminated quote: the shell would not run it */
        if (r < 0)
                return r;
        *ret = TAKE_STRUCT(out);
        return 1;
}

int exec_unwrap_shell(const ExpandedArgv *a, const EnvBlock *env, ExpandedArgv *ret)
{
        _cleanup_(expanded_argv_done) ExpandedArgv cur = {};
        unsigned depth;
        int r;

        /* Each level's script sees the service's environment: variables a script assigns
         * without exporting them do not reach the inner shell. */
        for (depth = 0;; depth++) {
                _cleanup_(expanded_argv_done) ExpandedArgv next = {};

                r = unwrap_once(depth == 0 ? a : &cur, env, &next);
                if (r < 0)
                        return r;
                if (r == 0)
                        break;
                if (depth >= EXEC_SHELL_MAX_DEPTH)
                        return -ELOOP;
                expanded_argv_done(&cur);
                cur = TAKE_STRUCT(next);
        }
        if (depth == 0)
                return 0;
        *ret = TAKE_STRUCT(cur);
        return 1;
}
