/* SPDX-License-Identifier: MIT */
/* Rule sets: the *.rule files of several directories, a file name in a higher-priority
 * directory replacing the same name below, /dev/null symlinks and empty files disabling
 * it (kept with the file that disabled it); loaded, checked for duplicate ids, and looked up by id. */
#include "rules/rules.h"

#include <sys/stat.h>

#include "basic/dir-list.h"

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

/* A *.rule file found in one of the directories. */
typedef struct DirEntry {
        char *name; /* "foo.rule" */
        char *path;
} DirEntry;

/* The *.rule files of dirs found so far, first directory winning each name. */
typedef struct DirEntryList {
        DirEntry *v;
        size_t n;
} DirEntryList;

static int dir_entry_cmp(const void *a, const void *b)
{
        return strcmp(((const DirEntry *) a)->name, ((const DirEntry *) b)->name);
}

static void dir_entry_list_done(DirEntryList *l)
{
        for (size_t i = 0; i < l->n; i++) {
                free(l->v[i].name);
                free(l->v[i].path);
        }
        free(l->v);
        *l = (DirEntryList){};
}

static bool dir_entry_list_has(const DirEntryList *l, const char *name)
{
        for (size_t i = 0; i < l->n; i++)
                if (streq(l->v[i].name, name))
                        return true;
        return false;
}

/* Adds dir/name to l. Returns 0 or -ENOMEM. */
static int dir_entry_list_add(DirEntryList *l, const char *dir, const char *name)
{
        DirEntry *t = realloc(l->v, (l->n + 1) * sizeof(DirEntry));

        if (!t)
                return -ENOMEM;
        l->v = t;
        t[l->n] = (DirEntry){.name = strdup(name), .path = strdupf("%s/%s", dir, name)};
        l->n++;
        return t[l->n - 1].name && t[l->n - 1].path ? 0 : -ENOMEM;
}

/* Adds the *.rule names of dir that no higher-priority directory had. A missing directory
 * adds nothing when it may be missing ("-DIR"), and is an error otherwise; so is a path
 * that is not a directory (a file, /dev/null). */
static int collect_dir(const char *dir, DirEntryList *l, char **ret_error)
{
        _cleanup_strv_free_ char **names = NULL;
        bool optional = dir[0] == '-';
        int r = dir_list_names(dir + optional, optional, ".rule", "rules", &names, ret_error);

        for (char **n = names; r >= 0 && *n; n++)
                if (!dir_entry_list_has(l, *n))
                        r = dir_entry_list_add(l, dir + optional, *n);
        return r;
}

static int rule_cmp(const void *a, const void *b)
{
        return strcmp((*(Rule *const *) a)->id, (*(Rule *const *) b)->id);
}

/* Loads the rule of e into set, or records it as disabled. */
static int rule_set_add(RuleSet *set, const DirEntry *e, char **ret_error)
{
        _cleanup_rule_ Rule *rule = NULL;
        int r;

        if (rule_file_disables(e->path) > 0) {
                if (strv_extend(&set->disabled_by, e->path) < 0)
                        return -ENOMEM;
                return strv_consume(&set->disabled, strndup(e->name, strlen(e->name) - strlen(".rule")));
        }
        /* stat() failures (a dangling symlink) are reported by the load below. */
        r = rule_load_file(e->path, &rule, ret_error);
        if (r < 0)
                return r;
        for (size_t j = 0; j < set->n; j++)
                if (streq(set->rules[j]->id, rule->id))
                        return error_setf(ret_error, -EINVAL, "%s: rule id '%s' is also declared by %s",
                                rule->path, rule->id, set->rules[j]->path);
        set->rules[set->n++] = TAKE_PTR(rule);
        return 0;
}

/* "A, B" (the "-" of optional directories dropped), or NULL on ENOMEM. */
static char *dirs_joined(char *const *dirs)
{
        _cleanup_free_ char *s = strdup("");

        for (size_t i = 0; s && dirs && dirs[i]; i++) {
                char *t = strdupf("%s%s%s", s, i > 0 ? ", " : "", dirs[i] + (dirs[i][0] == '-'));

                free(s);
                s = t;
        }
        return TAKE_PTR(s);
}

/* Nothing to evaluate: an audit of no rules would pass anything. Names the directories
 * looked in (a binary copied out of the build tree finds no bundled rules). */
static int rule_set_none_error(char *const *dirs, const RuleSet *set, char **ret_error)
{
        _cleanup_free_ char *tried = dirs_joined(dirs);
        size_t n_disabled = strv_length(set->disabled);

        if (!tried)
                return -ENOMEM;
        if (n_disabled > 0)
                return error_setf(ret_error, -ENOENT,
                        "no rules to evaluate: all %zu rules are disabled (%s)", n_disabled, tried);
        return error_setf(
                ret_error, -ENOENT, "no rules found (looked in: %s)", *tried ? tried : "no directory");
}

/* A directory that cannot be read: when several were given, the error names them all. */
static int collect_dirs(char *const *dirs, DirEntryList *entries, char **ret_error)
{
        _cleanup_free_ char *err = NULL, *tried = NULL;
        int r;

        for (size_t i = 0; dirs && dirs[i]; i++) {
                r = collect_dir(dirs[i], entries, &err);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        tried = strv_length((char **) dirs) > 1 ? dirs_joined(dirs) : NULL;
                        return error_setf(ret_error, r, "%s%s%s%s", err,
                                tried ? " (rules directories: " : "", strempty(tried), tried ? ")" : "");
                }
        }
        return 0;
}

/* rule_set_load() without the cleanup of set on failure. */
static int rule_set_fill(RuleSet *set, char *const *dirs, char **ret_error)
{
        _cleanup_(dir_entry_list_done) DirEntryList entries = {};
        int r;

        r = collect_dirs(dirs, &entries, ret_error);
        if (r < 0)
                return r;
        if (entries.n > 0)
                qsort(entries.v, entries.n, sizeof(DirEntry), dir_entry_cmp);

        set->rules = calloc(entries.n + 1, sizeof(Rule *));
        set->disabled = calloc(1, sizeof(char *));
        set->disabled_by = calloc(1, sizeof(char *));
        if (!set->rules || !set->disabled || !set->disabled_by)
                return -ENOMEM;
        for (size_t i = 0; i < entries.n; i++)
                if ((r = rule_set_add(set, &entries.v[i], ret_error)) < 0)
                        return r;
        if (set->n > 0)
                qsort(set->rules, set->n, sizeof(Rule *), rule_cmp);
        if (set->n == 0)
                return rule_set_none_error(dirs, set, ret_error);
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

void rule_set_done(RuleSet *set)
{
        for (size_t i = 0; i < set->n; i++)
                rule_free(set->rules[i]);
        free(set->rules);
        strv_free(set->disabled);
        strv_free(set->disabled_by);
        *set = (RuleSet){};
}

const Rule *rule_set_find(const RuleSet *set, const char *id)
{
        for (size_t i = 0; i < set->n; i++)
                if (streq(set->rules[i]->id, id))
                        return set->rules[i];
        return NULL;
}

int rule_set_digest(const RuleSet *set, char ret[static SHA256_HEX_SIZE])
{
        _cleanup_free_ char *buf = NULL;
        size_t size = 0, used = 0;

        for (size_t i = 0; i < set->n; i++)
                size += strlen(set->rules[i]->id) + strlen(".rule") + 1 + SHA256_HEX_SIZE;
        buf = malloc(size + 1);
        if (!buf)
                return -ENOMEM;
        for (size_t i = 0; i < set->n; i++) {
                const Rule *rule = set->rules[i];

                /* The NUL after the name, written by snprintf's own terminator and kept. */
                used += (size_t) snprintf(buf + used, size + 1 - used, "%s.rule", rule->id) + 1;
                used += (size_t) snprintf(buf + used, size + 1 - used, "%s\n", rule->digest);
        }
        sha256_hex(buf, used, ret);
        return 0;
}
