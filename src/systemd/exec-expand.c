/* SPDX-License-Identifier: MIT */
/* ExecStart= at exec time as systemd v252 replace_env_argv() (src/basic/env-util.c): "$VAR" as a
 * whole word splits into words, "${VAR}" is replaced in place, "$$" is a "$". */
#include "basic/alloc-util.h"
#include "systemd/exec-internal.h"
#include "systemd/extract-word.h"

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

/* strv_env_get_n() on an EnvBlock: the contract is in exec-internal.h. */
const char *exec_env_lookup(const EnvBlock *env, const char *name, size_t n, const EnvVar **ret_var)
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

int expanded_argv_push(ExpandedArgv *a, char *text, const char *file, unsigned line)
{
        ExpandedWord *t;
        char *f = NULL;

        if (!text)
                return -ENOMEM;
        if (file && !(f = strdup(file))) {
                free(text);
                return -ENOMEM;
        }
        t = greedy_realloc((void **) &a->v, a->n + 1, sizeof(ExpandedWord));
        if (!t) {
                free(text);
                free(f);
                return -ENOMEM;
        }
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
                                const char *t = exec_env_lookup(env, word + 2, (size_t) (e - word - 2), &v);

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
                r = expanded_argv_push(a, w, file, line);
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
                        r = expanded_argv_push(&a, strdup(w), c->file, c->line);
                } else if (w[0] == '$' && w[1] != '{' && w[1] != '$') {
                        /* The whole word names the variable ("$A/x" looks up "A/x"): 0..n words. */
                        const char *val = exec_env_lookup(env, w + 1, strlen(w + 1), &v);

                        r = val ? push_split(&a, val, v->file, v->line) : 0;
                } else {
                        r = replace_env(w, env, &t, &v);
                        if (r >= 0)
                                r = v ? expanded_argv_push(&a, t, v->file, v->line)
                                      : expanded_argv_push(&a, t, c->file, c->line);
                }
                if (r < 0)
                        return r;
        }
        *ret = TAKE_STRUCT(a);
        return 0;
}
