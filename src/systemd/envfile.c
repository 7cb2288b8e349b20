/* SPDX-License-Identifier: MIT */
/* Environment blocks and the EnvironmentFile= format of systemd 252 (parse_env_file_internal(),
 * load_env_file_push(), then strv_env_clean() dropping invalid names at exec time). */
#include "systemd/envfile.h"

#include "basic/alloc-util.h"
#include "systemd/unitfile.h"

#define WHITESPACE " \t\n\r"
#define NEWLINE "\n\r"
#define COMMENTS "#;"
#define SHELL_NEED_ESCAPE "\"\\`$"

static void env_var_done(EnvVar *v)
{
        free(v->name);
        free(v->value);
        free(v->file);
}

void env_block_done(EnvBlock *e)
{
        for (size_t i = 0; i < e->n; i++)
                env_var_done(&e->v[i]);
        free(e->v);
        free(e->slots);
        *e = (EnvBlock){};
}

/* FNV-1a: names are short; any spread will do. */
static size_t env_hash(const char *name)
{
        size_t h = 2166136261u;

        for (const unsigned char *c = (const unsigned char *) name; *c; c++)
                h = (h ^ *c) * 16777619u;
        return h;
}

static size_t *env_slot(const EnvBlock *e, const char *name)
{
        size_t mask = e->n_slots - 1;

        for (size_t i = env_hash(name) & mask;; i = (i + 1) & mask)
                if (e->slots[i] == 0 || streq(e->v[e->slots[i] - 1].name, name))
                        return &e->slots[i];
}

/* Keeps the index at most half full. */
static int env_index_grow(EnvBlock *e)
{
        size_t n_slots = e->n_slots ? e->n_slots * 2 : 64;
        size_t *old = e->slots, old_n = e->n_slots;

        if (e->n_slots > 2 * (e->n + 1))
                return 0;
        e->slots = calloc(n_slots, sizeof(size_t));
        if (!e->slots) {
                e->slots = old;
                return -ENOMEM;
        }
        e->n_slots = n_slots;
        for (size_t i = 0; i < old_n; i++)
                if (old[i])
                        *env_slot(e, e->v[old[i] - 1].name) = old[i];
        free(old);
        return 0;
}

static EnvVar *env_block_find(const EnvBlock *e, const char *name)
{
        size_t *slot;

        if (e->n_slots == 0)
                return NULL;
        slot = env_slot(e, name);
        return *slot ? &e->v[*slot - 1] : NULL;
}

const EnvVar *env_block_get(const EnvBlock *e, const char *name)
{
        return env_block_find(e, name);
}

int env_block_set(EnvBlock *e, const char *name, const char *value, const char *file, unsigned line)
{
        EnvVar n = {.line = line}, *old, *t;

        n.name = strdup(name);
        n.value = strdup(value);
        n.file = file ? strdup(file) : NULL;
        if (!n.name || !n.value || (file && !n.file)) {
                env_var_done(&n);
                return -ENOMEM;
        }

        /* Replace in place, like strv_env_replace_consume(): the first position is kept. */
        old = env_block_find(e, name);
        if (old) {
                env_var_done(old);
                *old = n;
                return 0;
        }
        t = greedy_realloc((void **) &e->v, e->n + 1, sizeof(EnvVar));
        if (!t) {
                env_var_done(&n);
                return -ENOMEM;
        }
        if (env_index_grow(e) < 0) {
                env_var_done(&n);
                return -ENOMEM;
        }
        e->v[e->n++] = n;
        *env_slot(e, name) = e->n;
        return 0;
}

bool env_name_is_valid(const char *name)
{
        if (!name || !*name || (*name >= '0' && *name <= '9'))
                return false;
        for (const char *p = name; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                            *p == '_'))
                        return false;
        return true;
}

typedef struct EnvParser {
        const char *path;
        EnvBlock block; /* this file only: merged into the caller's block on success */
        char **warnings; /* likewise */
        char **error;
} EnvParser;

/* load_env_file_push() and the later strv_env_clean(): UTF-8 errors fail the file, invalid
 * names are dropped with a warning. Returns 0, -EINVAL, -ENOMEM. */
static int push(EnvParser *p, unsigned line, const char *key, const char *value)
{
        if (!unit_utf8_is_valid(key, strlen(key)))
                return error_setf(p->error, -EINVAL, "%s:%u: Invalid UTF-8 in variable name, ignoring file.",
                        p->path, line);
        if (!unit_utf8_is_valid(value, strlen(value)))
                return error_setf(p->error, -EINVAL,
                        "%s:%u: Invalid UTF-8 in the value of %s, ignoring file.", p->path, line, key);
        if (!env_name_is_valid(key))
                return strv_consume(
                        &p->warnings, strdupf("%s:%u: Ignoring invalid environment variable name '%s'.",
                                              p->path, line, key));
        return env_block_set(&p->block, key, value, p->path, line);
}

/* Trailing-whitespace bookkeeping as in systemd: the offset where the current run of
 * trailing whitespace starts, or SIZE_MAX. */
#define NO_WS SIZE_MAX

/* State machine: parse_env_file_internal()'s states, one byte at a time, kept in one piece
 * because each case matches a case of systemd's switch and is checked against it side by side;
 * split up, the transitions (which state a byte leads to) would be spread over functions. */
static int parse(EnvParser *p, const char *data, size_t size)
{
        enum {
                PRE_KEY,
                KEY,
                PRE_VALUE,
                VALUE,
                VALUE_ESCAPE,
                SINGLE_QUOTE_VALUE,
                DOUBLE_QUOTE_VALUE,
                DOUBLE_QUOTE_VALUE_ESCAPE,
                COMMENT,
                COMMENT_ESCAPE,
        } state = PRE_KEY;
        _cleanup_sb_ StrBuf key = {}, value = {};
        size_t last_key_ws = NO_WS, last_value_ws = NO_WS;
        unsigned line = 1, start_line = 1;
        int r;

/* systemd stores the value and truncates later; we truncate the buffer the same way. */
#define FINISH(trim_value)                                                    \
        do {                                                                  \
                if ((trim_value) && last_value_ws != NO_WS) {                 \
                        value.len = last_value_ws;                            \
                        value.buf[value.len] = 0;                             \
                }                                                             \
                if (last_key_ws != NO_WS) {                                   \
                        key.len = last_key_ws;                                \
                        key.buf[key.len] = 0;                                 \
                }                                                             \
                r = push(p, start_line, key.buf, value.buf ? value.buf : ""); \
                if (r < 0)                                                    \
                        return r;                                             \
                sb_free(&key);                                                \
                sb_free(&value);                                              \
        } while (0)

        /* systemd walks a C string: a NUL byte ends the file. */
        size = strnlen(data, size);

        for (size_t i = 0; i < size; i++) {
                char c = data[i];

                switch (state) {
                case PRE_KEY:
                        if (strchr(COMMENTS, c))
                                state = COMMENT;
                        else if (!strchr(WHITESPACE, c)) {
                                state = KEY;
                                start_line = line;
                                last_key_ws = NO_WS;
                                sb_free(&key);
                                r = sb_putc(&key, c);
                                if (r < 0)
                                        return r;
                        }
                        break;

                case KEY:
                        if (strchr(NEWLINE, c)) {
                                state = PRE_KEY; /* no '=': the line is ignored */
                                sb_free(&key);
                        } else if (c == '=') {
                                state = PRE_VALUE;
                                last_value_ws = NO_WS;
                        } else {
                                if (!strchr(WHITESPACE, c))
                                        last_key_ws = NO_WS;
                                else if (last_key_ws == NO_WS)
                                        last_key_ws = key.len;
                                r = sb_putc(&key, c);
                                if (r < 0)
                                        return r;
                        }
                        break;

                case PRE_VALUE:
                        if (strchr(NEWLINE, c)) {
                                state = PRE_KEY;
                                FINISH(false);
                        } else if (c == '\'')
                                state = SINGLE_QUOTE_VALUE;
                        else if (c == '"')
                                state = DOUBLE_QUOTE_VALUE;
                        else if (c == '\\')
                                state = VALUE_ESCAPE;
                        else if (!strchr(WHITESPACE, c)) {
                                state = VALUE;
                                r = sb_putc(&value, c);
                                if (r < 0)
                                        return r;
                        }
                        break;

                case VALUE:
                        if (strchr(NEWLINE, c)) {
                                state = PRE_KEY;
                                FINISH(true);
                        } else if (c == '\\') {
                                state = VALUE_ESCAPE;
                                last_value_ws = NO_WS;
                        } else {
                                if (!strchr(WHITESPACE, c))
                                        last_value_ws = NO_WS;
                                else if (last_value_ws == NO_WS)
                                        last_value_ws = value.len;
                                r = sb_putc(&value, c);
                                if (r < 0)
                                        return r;
                        }
                        break;

                case VALUE_ESCAPE:
                        state = VALUE;
                        /* Backslash-newline is eaten; any other escaped byte stands for itself. */
                        if (!strchr(NEWLINE, c)) {
                                r = sb_putc(&value, c);
                                if (r < 0)
                                        return r;
                        }
                        break;

                case SINGLE_QUOTE_VALUE:
                        if (c == '\'')
                                state = PRE_VALUE;
                        else {
                                r = sb_putc(&value, c);
                                if (r < 0)
                                        return r;
                        }
                        break;

                case DOUBLE_QUOTE_VALUE:
                        if (c == '"')
                                state = PRE_VALUE;
                        else if (c == '\\')
                                state = DOUBLE_QUOTE_VALUE_ESCAPE;
                        else {
                                r = sb_putc(&value, c);
                                if (r < 0)
                                        return r;
                        }
                        break;

                case DOUBLE_QUOTE_VALUE_ESCAPE:
                        state = DOUBLE_QUOTE_VALUE;
                        if (strchr(SHELL_NEED_ESCAPE, c))
                                r = sb_putc(&value, c);
                        else if (c != '\n') /* like the shell, keep the backslash */
                                r = sb_append_len(&value, (const char[]){'\\', c}, 2);
                        else
                                r = 0;
                        if (r < 0)
                                return r;
                        break;

                case COMMENT:
                        if (c == '\\')
                                state = COMMENT_ESCAPE;
                        else if (strchr(NEWLINE, c))
                                state = PRE_KEY;
                        break;

                case COMMENT_ESCAPE:
                        /* v252-v253: this also eats a newline, so the next line is comment too. */
                        state = COMMENT;
                        break;
                }

                /* Physical line numbers for messages: \n, \r\n and a lone \r each end one line
                 * (systemd's own counter drifts; we report where an assignment starts). */
                if (c == '\n' || (c == '\r' && !(i + 1 < size && data[i + 1] == '\n')))
                        line++;
        }

        switch (state) {
        case PRE_VALUE:
        case VALUE_ESCAPE:
        case SINGLE_QUOTE_VALUE:
        case DOUBLE_QUOTE_VALUE:
        case DOUBLE_QUOTE_VALUE_ESCAPE:
                FINISH(false);
                break;
        case VALUE:
                FINISH(true);
                break;
        default:
                break;
        }
#undef FINISH
        return 0;
}

static void env_parser_done(EnvParser *p)
{
        env_block_done(&p->block);
        p->warnings = strv_free(p->warnings);
}

int env_file_parse(
        const char *path, const char *data, size_t size, EnvBlock *e, char ***warnings, char **ret_error)
{
        _cleanup_(env_parser_done) EnvParser p = {.path = path, .error = ret_error};
        int r;

        r = parse(&p, data, size);
        if (r < 0)
                return r;
        for (size_t i = 0; i < p.block.n; i++) {
                const EnvVar *v = &p.block.v[i];

                r = env_block_set(e, v->name, v->value, v->file, v->line);
                if (r < 0)
                        return r;
        }
        for (char **w = p.warnings; warnings && w && *w; w++) {
                r = strv_extend(warnings, *w);
                if (r < 0)
                        return r;
        }
        return 0;
}
