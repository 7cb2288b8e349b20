/* SPDX-License-Identifier: MIT */
/* The [Service] settings dockaudit reads, applied file by file as systemd 252's load-fragment.c
 * does, and the service_verify() checks run after loading. */
#include "systemd/unit-settings.h"

#include <limits.h>

#include "basic/fileio.h"
#include "basic/parse-util.h"
#include "basic/path-util.h"
#include "basic/root-file.h"
#include "systemd/extract-word.h"
#include "systemd/unit-lookup.h"

const char *mount_flags_to_string(unsigned long long flags)
{
        switch (flags) {
        case 0:
                return "";
        case MOUNT_FLAGS_SHARED:
                return "shared";
        case MOUNT_FLAGS_SLAVE:
                return "slave";
        case MOUNT_FLAGS_PRIVATE:
                return "private";
        default:
                return NULL;
        }
}

int mount_flags_from_string(const char *s, unsigned long long *ret)
{
        if (!s)
                return -EINVAL;
        if (!*s)
                *ret = 0;
        else if (streq(s, "shared"))
                *ret = MOUNT_FLAGS_SHARED;
        else if (streq(s, "slave"))
                *ret = MOUNT_FLAGS_SLAVE;
        else if (streq(s, "private"))
                *ret = MOUNT_FLAGS_PRIVATE;
        else
                return -EINVAL;
        return 0;
}

/* rlimit_parse_u64(): "infinity" or a decimal below RLIM_INFINITY. */
static int limit_parse_one(const char *s, uint64_t *ret)
{
        unsigned long long u;
        int r;

        if (streq(s, "infinity")) {
                *ret = UNIT_LIMIT_INFINITY;
                return 0;
        }
        r = safe_atou64(s, &u);
        if (r < 0)
                return r;
        if (u >= UNIT_LIMIT_INFINITY)
                return -ERANGE;
        *ret = u;
        return 0;
}

int unit_parse_limit_nofile(const char *s, uint64_t *ret_soft, uint64_t *ret_hard)
{
        _cleanup_free_ char *soft = NULL;
        const char *colon = strchr(s, ':');
        uint64_t sl, hl;
        int r;

        /* split at the first ':' only, without coalescing: "1:2:3" and "1:" are refused */
        if (!(soft = colon ? strndup(s, (size_t) (colon - s)) : strdup(s)))
                return -ENOMEM;
        if ((r = limit_parse_one(soft, &sl)) < 0)
                return r;
        if (!colon)
                hl = sl;
        else if (strchr(colon + 1, ':'))
                return -EINVAL;
        else if ((r = limit_parse_one(colon + 1, &hl)) < 0)
                return r;
        else if (sl > hl)
                return -EILSEQ;
        *ret_soft = sl;
        *ret_hard = hl;
        return 0;
}

/* parse_permyriad(): the digits before symbol, with at most `places` decimal places; the
 * value in units of 1/10^places of symbol. -EINVAL when s does not end in symbol. */
static int permyriad_part(const char *s, const char *symbol, unsigned places, uint64_t *ret)
{
        const char *end = endswith(s, symbol) ? s + strlen(s) - strlen(symbol) : NULL, *dot;
        _cleanup_free_ char *whole = NULL;
        unsigned long long v;
        uint64_t q = 0;
        unsigned n = 0;

        if (!end || end == s)
                return -EINVAL;
        dot = memchr(s, '.', (size_t) (end - s));
        if (dot) {
                for (const char *d = dot + 1; d < end; d++, n++)
                        if (*d < '0' || *d > '9' || n >= places)
                                return -EINVAL;
                if (n == 0)
                        return -EINVAL;
                for (const char *d = dot + 1; d < end; d++)
                        q = q * 10 + (uint64_t) (*d - '0');
        }
        for (; n < places; n++)
                q *= 10;
        whole = strndup(s, (size_t) ((dot ? dot : end) - s));
        if (!whole)
                return -ENOMEM;
        if (safe_atou64(whole, &v) < 0 || v > 10000)
                return -ERANGE;
        for (unsigned i = 0; i < places; i++)
                v *= 10;
        *ret = v + q;
        return 0;
}

int unit_parse_tasks_max(const char *s, TasksMax *ret)
{
        static const struct {
                const char *symbol;
                unsigned places; /* decimal places allowed */
        } parts[] = {
                {"\xe2\x80\xb1", 0}, /* U+2031 per ten thousand */
                {"\xe2\x80\xb0", 1}, /* U+2030 per mille */
                {"%", 2},
        };
        unsigned long long v;
        uint64_t p;
        int r;

        if (streq(s, "infinity")) {
                *ret = (TasksMax){UNIT_LIMIT_INFINITY, 0};
                return 0;
        }
        for (size_t i = 0; i < ELEMENTSOF(parts); i++) {
                if (!endswith(s, parts[i].symbol))
                        continue;
                r = permyriad_part(s, parts[i].symbol, parts[i].places, &p);
                if (r == -ENOMEM)
                        return r;
                if (r < 0 || p > 10000)
                        return r < 0 ? r : -ERANGE;
                *ret = (TasksMax){p, 10000};
                return 0;
        }
        r = safe_atou64(s, &v);
        if (r < 0)
                return r;
        if (v == 0 || v >= UNIT_LIMIT_INFINITY)
                return -ERANGE;
        *ret = (TasksMax){v, 0};
        return 0;
}

uint64_t unit_tasks_max_resolve(const TasksMax *t, uint64_t system_max)
{
        if (t->scale == 0)
                return t->value;
        if (t->value == 0)
                return 0;
        if (t->value == t->scale)
                return system_max;
        if (system_max > 0 && t->value > UINT64_MAX / system_max)
                return UINT64_MAX;
        return system_max * t->value / t->scale;
}

const char *unit_dep_type_to_string(UnitDepType t)
{
        static const char *const names[_UNIT_DEP_MAX] = {
                [UNIT_DEP_BINDS_TO] = "BindsTo",
                [UNIT_DEP_REQUIRES] = "Requires",
                [UNIT_DEP_WANTS] = "Wants",
                [UNIT_DEP_AFTER] = "After",
        };
        return t < _UNIT_DEP_MAX ? names[t] : NULL;
}

void unit_settings_init(UnitSettings *s, const SpecifierContext *spec)
{
        *s = (UnitSettings){.load_state = "loaded"};
        if (spec)
                s->spec = *spec;
}

static void exec_list_clear(ExecCommand **l, size_t *n)
{
        for (size_t i = 0; i < *n; i++)
                exec_command_done(&(*l)[i]);
        free(*l);
        *l = NULL;
        *n = 0;
}

static void env_files_clear(UnitSettings *s)
{
        for (size_t i = 0; i < s->n_environment_files; i++) {
                free(s->environment_files[i].path);
                free(s->environment_files[i].file);
        }
        free(s->environment_files);
        s->environment_files = NULL;
        s->n_environment_files = 0;
}

static void deps_clear(UnitDeps *d)
{
        for (size_t i = 0; i < d->n; i++) {
                free(d->v[i].name);
                free(d->v[i].file);
        }
        free(d->v);
        free(d->index);
        *d = (UnitDeps){};
}

static void origin_clear(SettingOrigin *o)
{
        free(o->file);
        *o = (SettingOrigin){};
}

void unit_settings_done(UnitSettings *s)
{
        free(s->mount_flags_file);
        origin_clear(&s->limit_nofile_origin);
        origin_clear(&s->tasks_max_origin);
        free(s->kill_mode);
        origin_clear(&s->kill_mode_origin);
        for (size_t i = 0; i < _UNIT_DEP_MAX; i++)
                deps_clear(&s->deps[i]);
        exec_list_clear(&s->exec_start, &s->n_exec_start);
        exec_list_clear(&s->exec_stop, &s->n_exec_stop);
        env_block_done(&s->environment);
        env_files_clear(s);
        free(s->type);
        free(s->restart);
        free(s->exit_type);
        free(s->bus_name);
        free(s->success_action);
        strv_free(s->warnings);
        strv_free(s->unreadable);
        strv_free(s->errors);
        *s = (UnitSettings){.load_state = "loaded"};
}

/* Context of one assignment for messages. */
typedef struct Assign {
        UnitSettings *s;
        const char *file;
        unsigned line;
        const char *value;
        size_t *budget; /* warnings this file may still add (a hostile file can make millions) */
} Assign;

#define MAX_WARNINGS_PER_FILE 1000U

static int warn(const Assign *a, const char *fmt, ...) _printf_(2, 3);
static int warn(const Assign *a, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int n;

        if (*a->budget == 0)
                return 0;
        if (--*a->budget == 0)
                return strv_consume(&a->s->warnings,
                        strdupf("%s:%u: Too many warnings, not showing more.", a->file, a->line));
        va_start(ap, fmt);
        n = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (n < 0)
                return -ENOMEM;
        return strv_consume(&a->s->warnings, strdupf("%s:%u: %s", a->file, a->line, msg));
}

static int set_string(char **dst, const char *v)
{
        char *c = strdup(v);

        if (!c)
                return -ENOMEM;
        free(*dst);
        *dst = c;
        return 0;
}

static bool in_list(const char *v, const char *const *list)
{
        for (; *list; list++)
                if (streq(v, *list))
                        return true;
        return false;
}

/* DEFINE_CONFIG_PARSE_ENUM: an unknown (or empty) value warns and keeps the old one. */
static int parse_enum(const Assign *a, char **dst, const char *const *values, const char *what)
{
        if (!in_list(a->value, values))
                return warn(a, "Failed to parse %s, ignoring: %s", what, a->value);
        return set_string(dst, a->value);
}

static int parse_boolean(const char *v)
{
        static const char *const yes[] = {"1", "yes", "y", "true", "t", "on", NULL};
        static const char *const no[] = {"0", "no", "n", "false", "f", "off", NULL};

        for (size_t i = 0; yes[i]; i++)
                if (strcasecmp(v, yes[i]) == 0)
                        return 1;
        for (size_t i = 0; no[i]; i++)
                if (strcasecmp(v, no[i]) == 0)
                        return 0;
        return -EINVAL;
}

static int parse_mount_flags(const Assign *a)
{
        UnitSettings *s = a->s;
        unsigned long long f;

        if (mount_flags_from_string(a->value, &f) < 0)
                return warn(a, "Failed to parse mount flag %s, ignoring.", a->value);
        s->mount_flags = f;
        free(s->mount_flags_file);
        s->mount_flags_file = NULL;
        s->mount_flags_line = 0;
        if (f != 0) {
                s->mount_flags_file = strdup(a->file);
                if (!s->mount_flags_file)
                        return -ENOMEM;
                s->mount_flags_line = a->line;
        }
        return 0;
}

static int origin_set(SettingOrigin *o, const Assign *a)
{
        origin_clear(o);
        o->file = strdup(a->file);
        o->line = a->line;
        return o->file ? 0 : -ENOMEM;
}

/* config_parse_rlimit(): a value rlimit_parse() refuses (an empty one too) is ignored. */
static int parse_limit_nofile(const Assign *a)
{
        UnitSettings *s = a->s;
        uint64_t soft, hard;
        int r = unit_parse_limit_nofile(a->value, &soft, &hard);

        if (r == -ENOMEM)
                return r;
        if (r == -EILSEQ)
                return warn(a, "Soft resource limit chosen higher than hard limit, ignoring: %s", a->value);
        if (r < 0)
                return warn(a, "Failed to parse resource value, ignoring: %s", a->value);
        s->limit_nofile_set = true;
        s->limit_nofile_soft = soft;
        s->limit_nofile_hard = hard;
        return origin_set(&s->limit_nofile_origin, a);
}

/* config_parse_tasks_max(): empty restores the manager's DefaultTasksMax=. */
static int parse_tasks_max(const Assign *a)
{
        UnitSettings *s = a->s;
        TasksMax t;
        int r;

        if (!*a->value) {
                s->tasks_max_set = false;
                origin_clear(&s->tasks_max_origin);
                return 0;
        }
        r = unit_parse_tasks_max(a->value, &t);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return warn(a, "Invalid maximum tasks value '%s', ignoring.", a->value);
        s->tasks_max_set = true;
        s->tasks_max = t;
        return origin_set(&s->tasks_max_origin, a);
}

static int parse_kill_mode(const Assign *a)
{
        static const char *const modes[] = {"control-group", "process", "mixed", "none", NULL};
        int r;

        if (!in_list(a->value, modes))
                return warn(a, "Failed to parse kill mode, ignoring: %s", a->value);
        if ((r = set_string(&a->s->kill_mode, a->value)) < 0)
                return r;
        return origin_set(&a->s->kill_mode_origin, a);
}

static size_t name_hash(const char *s)
{
        size_t h = 14695981039346656037ULL; /* FNV-1a */

        for (; *s; s++)
                h = (h ^ (unsigned char) *s) * 1099511628211ULL;
        return h;
}

/* The slot of name in d->index: its entry, or the empty slot where it would go. */
static size_t deps_slot(const UnitDeps *d, const char *name)
{
        size_t i = name_hash(name) & (d->index_cap - 1);

        while (d->index[i] && !streq(d->v[d->index[i] - 1].name, name))
                i = (i + 1) & (d->index_cap - 1);
        return i;
}

/* Doubles the index (kept at most half full). */
static int deps_grow_index(UnitDeps *d)
{
        size_t cap = d->index_cap ? d->index_cap * 2 : 16;
        size_t *old = d->index;

        if (!(d->index = calloc(cap, sizeof(size_t)))) {
                d->index = old;
                return -ENOMEM;
        }
        d->index_cap = cap;
        for (size_t i = 0; i < d->n; i++)
                d->index[deps_slot(d, d->v[i].name)] = i + 1;
        free(old);
        return 0;
}

static int deps_add(UnitDeps *d, const char *name, const Assign *a)
{
        size_t slot;
        int r;

        if ((d->n + 1) * 2 > d->index_cap && (r = deps_grow_index(d)) < 0)
                return r;
        slot = deps_slot(d, name);
        if (d->index[slot])
                return 0; /* a set: the first line that named it stays its source */
        if (d->n == d->cap) {
                size_t cap = d->cap ? d->cap * 2 : 8;
                UnitDep *t = realloc(d->v, cap * sizeof *t);
                if (!t)
                        return -ENOMEM;
                d->v = t;
                d->cap = cap;
        }
        d->v[d->n] = (UnitDep){.name = strdup(name), .file = strdup(a->file), .line = a->line};
        if (!d->v[d->n].name || !d->v[d->n].file) {
                free(d->v[d->n].name);
                free(d->v[d->n].file);
                return -ENOMEM;
        }
        d->index[slot] = ++d->n;
        return 0;
}

/* config_parse_unit_deps(): words, specifiers expanded, each a unit name (not a template);
 * nothing resets the list, a unit naming itself is dropped. Escapes are kept as written. */
static int parse_deps(const Assign *a, UnitDeps *d)
{
        const char *p = a->value;
        int r;

        for (;;) {
                _cleanup_free_ char *word = NULL, *name = NULL;
                const char *at;

                r = extract_first_word(&p, &word, EXTRACT_RELAX_UNKNOWN_ESCAPES);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return warn(a, "Invalid syntax, ignoring: %s", a->value);
                if (r == 0)
                        return 0;
                r = specifier_expand(word, &a->s->spec, &name);
                if (r == -ENOMEM)
                        return r;
                at = r < 0 ? NULL : strchr(name, '@');
                if (r < 0)
                        r = warn(a, "Failed to resolve unit specifiers in '%s', ignoring.", word);
                else if (!unit_name_valid(name) || (at && at[1] == '.'))
                        r = warn(a, "Failed to add dependency on %s, ignoring: Invalid argument", name);
                else if (!streq_ptr(name, a->s->spec.unit_name))
                        r = deps_add(d, name, a);
                if (r < 0)
                        return r;
        }
}

/* config_parse_exec(): an empty value resets; 1 = ignored with a warning; -ENOEXEC is returned
 * with *ret_error set so the caller stops the file. */
static int parse_exec(const Assign *a, ExecCommand **l, size_t *n, char **ret_error)
{
        _cleanup_free_ char *err = NULL;
        size_t before, added;
        int r;

        if (!*a->value) {
                exec_list_clear(l, n);
                return 0;
        }
        before = strv_length(a->s->warnings);
        r = exec_parse_line_full(a->value, &a->s->spec, a->file, a->line, l, n,
                *a->budget > 1 ? &a->s->warnings : NULL, &err);
        if (r == -ENOMEM)
                return r;
        added = strv_length(a->s->warnings) - before;
        *a->budget = added >= *a->budget ? 1 : *a->budget - added;
        if (r < 0) {
                *ret_error = err ? TAKE_PTR(err) : strdupf("%s:%u: Invalid command line", a->file, a->line);
                return *ret_error ? r : -ENOMEM;
        }
        if (r > 0) {
                if (!err)
                        return warn(a, "Ignoring command line.");
                if (*a->budget <= 1) /* the last slot is for the "too many" note */
                        return warn(a, "Ignoring command line.");
                --*a->budget;
                return strv_consume(&a->s->warnings, TAKE_PTR(err));
        }
        return 0;
}

/* env_assignment_is_valid(): NAME=VALUE, NAME a shell variable name, VALUE valid UTF-8. */
static bool env_assignment_split(char *w, const char **ret_value)
{
        char *eq = strchr(w, '=');

        if (!eq)
                return false;
        *eq = 0;
        if (!env_name_is_valid(w) || !unit_utf8_is_valid(eq + 1, strlen(eq + 1))) {
                *eq = '=';
                return false;
        }
        *ret_value = eq + 1;
        return true;
}

/* config_parse_environ(): words without EXTRACT_RELAX; a syntax error drops the rest of the
 * line (earlier words stay), a bad word only itself. */
static int parse_environment(const Assign *a)
{
        UnitSettings *s = a->s;
        const char *p = a->value;
        int r;

        if (!*a->value) {
                env_block_done(&s->environment);
                return 0;
        }
        for (;;) {
                _cleanup_free_ char *word = NULL, *resolved = NULL;
                const char *value;

                r = extract_first_word(&p, &word, 0);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return warn(a, "Invalid syntax, ignoring: %s", a->value);
                if (r == 0)
                        return 0;

                r = specifier_expand(word, &s->spec, &resolved);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        r = warn(a, "Failed to resolve specifiers in %s, ignoring.", word);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (!env_assignment_split(resolved, &value)) {
                        r = warn(a, "Invalid environment assignment, ignoring: %s", resolved);
                        if (r < 0)
                                return r;
                        continue;
                }
                r = env_block_set(&s->environment, resolved, value, a->file, a->line);
                if (r < 0)
                        return r;
        }
}

/* config_parse_unit_env_file(): the whole value is one path, specifiers expanded, "-" prefix. */
static int parse_environment_file(const Assign *a)
{
        UnitSettings *s = a->s;
        _cleanup_free_ char *n = NULL, *path = NULL, *file = NULL;
        EnvFileRef *t;
        bool ignore;
        int r;

        if (!*a->value) {
                env_files_clear(s);
                return 0;
        }
        r = specifier_expand(a->value, &s->spec, &n);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return warn(a, "Failed to resolve unit specifiers in '%s', ignoring.", a->value);

        ignore = n[0] == '-';
        path = strdup(n + ignore);
        if (!path)
                return -ENOMEM;
        /* path_simplify_and_warn(PATH_CHECK_ABSOLUTE), its checks in its order. */
        if (!unit_utf8_is_valid(path, strlen(path)))
                return warn(a, "EnvironmentFile= path is not UTF-8 clean, ignoring.");
        if (path[0] != '/')
                return warn(a, "EnvironmentFile= path is not absolute, ignoring: %s", path);
        path_simplify(path);
        if (!path_is_valid(path))
                return warn(
                        a, "EnvironmentFile= path has invalid length (%zu bytes), ignoring.", strlen(path));
        if (!path_is_normalized(path))
                return warn(a, "EnvironmentFile= path is not normalized, ignoring: %s", path);

        file = strdup(a->file);
        if (!file)
                return -ENOMEM;
        t = realloc(s->environment_files, sizeof(EnvFileRef) * (s->n_environment_files + 1));
        if (!t)
                return -ENOMEM;
        s->environment_files = t;
        t[s->n_environment_files++] = (EnvFileRef){
                .path = TAKE_PTR(path),
                .ignore_missing = ignore,
                .file = TAKE_PTR(file),
                .line = a->line,
        };
        return 0;
}

static int parse_remain_after_exit(const Assign *a)
{
        int b = parse_boolean(a->value);

        if (b < 0)
                return warn(a, "Failed to parse boolean value, ignoring: %s", a->value);
        a->s->remain_after_exit = b;
        return 0;
}

static int parse_success_action(const Assign *a)
{
        /* emergency_action_table of v252; the user manager only takes the first three. */
        static const char *const all[] = {"none", "exit", "exit-force", "reboot", "reboot-force",
                "reboot-immediate", "poweroff", "poweroff-force", "poweroff-immediate", "halt", "halt-force",
                "halt-immediate", "kexec", "kexec-force", NULL};
        static const char *const user[] = {"none", "exit", "exit-force", NULL};

        if (!in_list(a->value, all))
                return warn(a, "Failed to parse SuccessAction=, ignoring: %s", a->value);
        if (a->s->spec.user && !in_list(a->value, user))
                return warn(a, "SuccessAction= setting '%s' is not supported for user units, ignoring.",
                        a->value);
        return set_string(&a->s->success_action, a->value);
}

/* One assignment. 0 or a warning recorded; <0 stops the file (*ret_error says why). */
static int apply_one(const Assign *a, const char *section, const char *key, char **ret_error)
{
        static const char *const types[] = {
                "simple", "exec", "forking", "oneshot", "dbus", "notify", "idle", NULL};
        static const char *const restarts[] = {
                "no", "on-success", "on-failure", "on-abnormal", "on-watchdog", "on-abort", "always", NULL};
        static const char *const exit_types[] = {"main", "cgroup", NULL};
        UnitSettings *s = a->s;

        if (streq(section, "Unit")) {
                if (streq(key, "SuccessAction"))
                        return parse_success_action(a);
                for (UnitDepType t = 0; t < _UNIT_DEP_MAX; t++)
                        if (streq(key, unit_dep_type_to_string(t)))
                                return parse_deps(a, &s->deps[t]);
                return 0;
        }
        if (!streq(section, "Service"))
                return 0;

        if (streq(key, "MountFlags"))
                return parse_mount_flags(a);
        if (streq(key, "LimitNOFILE"))
                return parse_limit_nofile(a);
        if (streq(key, "TasksMax"))
                return parse_tasks_max(a);
        if (streq(key, "KillMode"))
                return parse_kill_mode(a);
        if (streq(key, "ExecStart"))
                return parse_exec(a, &s->exec_start, &s->n_exec_start, ret_error);
        if (streq(key, "ExecStop"))
                return parse_exec(a, &s->exec_stop, &s->n_exec_stop, ret_error);
        if (streq(key, "Environment"))
                return parse_environment(a);
        if (streq(key, "EnvironmentFile"))
                return parse_environment_file(a);
        if (streq(key, "Type"))
                return parse_enum(a, &s->type, types, "service type");
        if (streq(key, "Restart"))
                return parse_enum(a, &s->restart, restarts, "service restart specifier");
        if (streq(key, "ExitType"))
                return parse_enum(a, &s->exit_type, exit_types, "service exit type");
        if (streq(key, "RemainAfterExit"))
                return parse_remain_after_exit(a);
        if (streq(key, "RestartForceExitStatus")) {
                /* Approximation: any non-empty list counts as set; empty resets. */
                s->restart_force_status = *a->value != 0;
                return 0;
        }
        if (streq(key, "BusName")) {
                free(s->bus_name);
                s->bus_name = NULL;
                return *a->value ? set_string(&s->bus_name, a->value) : 0;
        }
        return 0;
}

/* The line a "PATH:LINE: ..." message of file path is about, 0 if none. */
static unsigned message_line(const char *msg, const char *path)
{
        const char *p = startswith(msg, path);

        if (!p || *p != ':')
                return 0;
        return (unsigned) strtoul(p + 1, NULL, 10);
}

static int add_file_warnings(UnitSettings *s, const UnitFile *f, unsigned stop_line)
{
        static const char *const known[] = {"Unit", "Service", "Install", NULL};
        int r;

        for (size_t i = 0; i < f->n_sections; i++) {
                const UnitSectionHeader *h = &f->sections[i];

                if (h->line >= stop_line || in_list(h->name, known) || startswith(h->name, "X-"))
                        continue;
                r = strv_consume(&s->warnings,
                        strdupf("%s:%u: Unknown section '%s'. Ignoring.", f->path, h->line, h->name));
                if (r < 0)
                        return r;
        }
        for (char **w = f->warnings; w && *w; w++) {
                if (message_line(*w, f->path) >= stop_line)
                        continue;
                r = strv_extend(&s->warnings, *w);
                if (r < 0)
                        return r;
        }
        return 0;
}

int unit_settings_apply(UnitSettings *s, const UnitFile *f, bool is_dropin)
{
        size_t budget = MAX_WARNINGS_PER_FILE;
        int r;

        /* After a failed fragment systemd never loads the drop-ins. */
        if (!streq(s->load_state, "loaded"))
                return 0;

        for (size_t i = 0; i < f->n_assignments; i++) {
                const UnitAssignment *u = &f->assignments[i];
                Assign a = {.s = s, .file = f->path, .line = u->line, .value = u->value, .budget = &budget};
                _cleanup_free_ char *err = NULL;

                r = apply_one(&a, u->section, u->key, &err);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        /* The setting stops the file: bad-setting (-ENOEXEC) or error in the
                         * fragment (unit_load()), only a truncated drop-in otherwise. */
                        if (!is_dropin)
                                s->load_state = r == -ENOEXEC ? "bad-setting" : "error";
                        r = add_file_warnings(s, f, u->line);
                        if (r < 0)
                                return r;
                        return strv_consume(&s->errors, TAKE_PTR(err));
                }
        }

        r = add_file_warnings(s, f, f->fatal ? f->fatal_line : UINT_MAX);
        if (r < 0)
                return r;
        if (f->fatal) {
                if (!is_dropin)
                        s->load_state = "error";
                return strv_extend(&s->errors, f->fatal_msg);
        }
        return 0;
}

/* One file: read inside root and applied; a masked drop-in (empty, /dev/null) contributes
 * nothing and an unreadable file is listed in s->unreadable. */
static int load_one(UnitSettings *s, const char *root, const char *path, bool dropin)
{
        _cleanup_(unit_file_freep) UnitFile *uf = NULL;
        _cleanup_free_ char *data = NULL;
        size_t size = 0;
        int r;

        if (dropin && unit_lookup_is_mask(root, path))
                return 0;
        r = root_read_file(root, path, &data, &size);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return strv_consume(&s->unreadable, strdupf("%s: cannot read: %s", path, read_strerror(r)));
        if ((r = unit_file_parse(path, data, size, &uf)) < 0)
                return r;
        return unit_settings_apply(s, uf, dropin);
}

int unit_settings_load_paths(UnitSettings *s, const char *root, const char *fragment, char *const *dropins)
{
        int r;

        if (fragment && *fragment && !unit_lookup_is_mask(root, fragment) &&
                (r = load_one(s, root, fragment, false)) < 0)
                return r;
        for (char *const *d = dropins; d && *d; d++)
                if ((r = load_one(s, root, *d, true)) < 0)
                        return r;
        return 0;
}

static int verify_fail(UnitSettings *s, const char *msg, const ExecCommand *where)
{
        const char *unit = s->spec.unit_name ? s->spec.unit_name : "unit";

        s->load_state = "bad-setting";
        if (where)
                return strv_consume(&s->errors,
                        strdupf("%s:%u: %s: %s Refusing.", strempty(where->file), where->line, unit, msg));
        return strv_consume(&s->errors, strdupf("%s: %s Refusing.", unit, msg));
}

int unit_settings_finish(UnitSettings *s)
{
        const char *type;
        bool oneshot, success;

        if (!streq(s->load_state, "loaded"))
                return 0;

        /* service_add_extras(): the default Type=. */
        type = s->type ? s->type : s->bus_name ? "dbus" : s->n_exec_start > 0 ? "simple" : "oneshot";
        oneshot = streq(type, "oneshot");
        success = s->success_action && !streq(s->success_action, "none");

        if (s->n_exec_start == 0 && s->n_exec_stop == 0 && !success)
                return verify_fail(s, "Service has no ExecStart=, ExecStop=, or SuccessAction=.", NULL);
        if (!oneshot && s->n_exec_start == 0)
                return verify_fail(s,
                        "Service has no ExecStart= setting, which is only allowed for Type=oneshot "
                        "services.",
                        NULL);
        if (!s->remain_after_exit && s->n_exec_start == 0 && !success)
                return verify_fail(s,
                        "Service has no ExecStart= and no SuccessAction= settings and does not have "
                        "RemainAfterExit=yes set.",
                        NULL);
        if (!oneshot && s->n_exec_start > 1)
                return verify_fail(s,
                        "Service has more than one ExecStart= setting, which is only allowed for "
                        "Type=oneshot "
                        "services.",
                        &s->exec_start[1]);
        if (oneshot && s->restart && (streq(s->restart, "always") || streq(s->restart, "on-success")))
                return verify_fail(s,
                        "Service has Restart= set to either always or on-success, which isn't allowed for "
                        "Type=oneshot services.",
                        NULL);
        if (oneshot && s->restart_force_status)
                return verify_fail(s,
                        "Service has RestartForceStatus= set, which isn't allowed for Type=oneshot "
                        "services.",
                        NULL);
        if (oneshot && s->exit_type && streq(s->exit_type, "cgroup"))
                return verify_fail(s,
                        "Service has ExitType=cgroup set, which isn't allowed for Type=oneshot services.",
                        NULL);
        if (streq(type, "dbus") && !s->bus_name)
                return verify_fail(
                        s, "Service is of type D-Bus but no D-Bus service name has been specified.", NULL);
        return 0;
}
