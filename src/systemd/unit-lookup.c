/* SPDX-License-Identifier: MIT */
#include "systemd/unit-lookup.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

#include "basic/env-util.h"
#include "basic/path-util.h"
#include "basic/root-file.h"

#define FOLLOW_MAX 32
#define CHASE_MAX 40
#define UNIT_NAME_MAX 256

static const char *const unit_types[] = {
        "service",
        "mount",
        "swap",
        "socket",
        "target",
        "device",
        "automount",
        "timer",
        "path",
        "slice",
        "scope",
};

static int add_path(char ***l, const char *a, const char *b)
{
        char *p = strdupf("%s%s", a, b);

        if (!p)
                return -ENOMEM;
        if (p[0] != '/' || strv_contains(*l, p)) { /* relative: ignored, as systemd does for $XDG_* */
                free(p);
                return 0;
        }
        return strv_consume(l, p);
}

/* Each entry of a colon-separated list (or of def when the variable is unset) + suffix. */
static int add_list(char ***l, const char *list, const char *def, const char *suffix)
{
        _cleanup_free_ char *copy = strdup(list ? list : def);
        char *save = NULL;
        int r;

        if (!copy)
                return -ENOMEM;
        for (char *t = strtok_r(copy, ":", &save); t; t = strtok_r(NULL, ":", &save))
                if ((r = add_path(l, t, suffix)) < 0)
                        return r;
        return 0;
}

static int system_dirs(char ***l)
{
        static const char *const d[] = {
                "/etc/systemd/system.control",
                "/run/systemd/system.control",
                "/run/systemd/transient",
                "/run/systemd/generator.early",
                "/etc/systemd/system",
                "/etc/systemd/system.attached",
                "/run/systemd/system",
                "/run/systemd/system.attached",
                "/run/systemd/generator",
                "/usr/local/lib/systemd/system",
                "/lib/systemd/system",
                "/usr/lib/systemd/system",
                "/run/systemd/generator.late",
        };
        int r;

        for (size_t i = 0; i < ELEMENTSOF(d); i++)
                if ((r = add_path(l, d[i], "")) < 0)
                        return r;
        return 0;
}

static int user_dirs(char ***l, char *const *env)
{
        const char *home = env_get_nonempty(env, "HOME"), *rt = env_get_nonempty(env, "XDG_RUNTIME_DIR");
        const char *dh = env_get_nonempty(env, "XDG_DATA_HOME");
        _cleanup_free_ char *config = NULL;
        _cleanup_free_ char *data = dh ? strdup(dh) : home ? strdupf("%s/.local/share", home) : NULL;
        int r = env_user_config_home(env, &config);

        if (r < 0)
                return r;
        if ((dh || home) && !data)
                return -ENOMEM;
        /* The order of user_dirs() in path-lookup.c; entries needing an unset variable are left out. */
        if ((config && (r = add_path(l, config, "/systemd/user.control")) < 0) ||
                (rt && (r = add_path(l, rt, "/systemd/user.control")) < 0) ||
                (rt && (r = add_path(l, rt, "/systemd/transient")) < 0) ||
                (rt && (r = add_path(l, rt, "/systemd/generator.early")) < 0) ||
                (config && (r = add_path(l, config, "/systemd/user")) < 0) ||
                (r = add_list(l, env_get_nonempty(env, "XDG_CONFIG_DIRS"), "/etc/xdg", "/systemd/user")) <
                        0 ||
                (r = add_path(l, "/etc/systemd/user", "")) < 0 ||
                (rt && (r = add_path(l, rt, "/systemd/user")) < 0) ||
                (r = add_path(l, "/run/systemd/user", "")) < 0 ||
                (rt && (r = add_path(l, rt, "/systemd/generator")) < 0) ||
                (data && (r = add_path(l, data, "/systemd/user")) < 0) ||
                (r = add_list(l, env_get_nonempty(env, "XDG_DATA_DIRS"), "/usr/local/share:/usr/share",
                         "/systemd/user")) < 0 ||
                (r = add_path(l, "/usr/local/lib/systemd/user", "")) < 0 ||
                (r = add_path(l, "/usr/local/share/systemd/user", "")) < 0 ||
                (r = add_path(l, "/usr/lib/systemd/user", "")) < 0 ||
                (r = add_path(l, "/usr/share/systemd/user", "")) < 0 ||
                (rt && (r = add_path(l, rt, "/systemd/generator.late")) < 0))
                return r;
        return 0;
}

int unit_lookup_init(UnitLookup *l, const char *root, bool user, char *const *env)
{
        const char *e = env_get(env, "SYSTEMD_UNIT_PATH");
        _cleanup_strv_free_ char **paths = calloc(1, sizeof(char *));
        int r;

        *l = (UnitLookup){};
        if (!paths)
                return -ENOMEM;
        /* $SYSTEMD_UNIT_PATH replaces the list; a trailing ':' appends the default list after it. */
        if (e && (r = add_list(&paths, e, "", "")) < 0)
                return r;
        if (!e || endswith(e, ":")) {
                r = user ? user_dirs(&paths, env) : system_dirs(&paths);
                if (r < 0)
                        return r;
        }
        if (!root_is_host(root) && !(l->root = strdup(root)))
                return -ENOMEM;
        l->search_path = TAKE_PTR(paths);
        return 0;
}

void unit_lookup_done(UnitLookup *l)
{
        free(l->root);
        strv_free(l->search_path);
        *l = (UnitLookup){};
}

void unit_lookup_result_done(UnitLookupResult *r)
{
        free(r->fragment_path);
        strv_free(r->aliases);
        strv_free(r->dropin_paths);
        *r = (UnitLookupResult){};
}

/* ---- names ---- */

static int unit_type_index(const char *t)
{
        for (size_t i = 0; i < ELEMENTSOF(unit_types); i++)
                if (streq(t, unit_types[i]))
                        return (int) i;
        return -1;
}

static const char *name_type(const char *name)
{
        const char *dot = strrchr(name, '.');
        return dot ? dot + 1 : NULL;
}

/* systemd's VALID_CHARS (digits, ASCII letters, ":-_.\\"), without the locale of isalnum(). */
static bool unit_name_char(char c)
{
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ':' ||
               c == '-' || c == '_' || c == '.' || c == '\\';
}

bool unit_name_valid(const char *name)
{
        const char *dot = strrchr(name, '.'), *at = NULL;

        if (!*name || strlen(name) >= UNIT_NAME_MAX || !dot || dot == name || unit_type_index(dot + 1) < 0)
                return false;
        for (const char *p = name; p < dot; p++) {
                if (*p == '@') {
                        if (at)
                                return false;
                        at = p;
                } else if (!unit_name_char(*p))
                        return false;
        }
        return !at || at > name;
}

static bool name_is_template(const char *name)
{
        const char *at = strchr(name, '@');
        return at && at[1] == '.';
}

static bool name_is_instance(const char *name)
{
        const char *at = strchr(name, '@');
        return at && at[1] != '.';
}

/* "a@i.service" -> "a@.service" */
static char *name_template(const char *name)
{
        const char *at = strchr(name, '@'), *dot = strrchr(name, '.');
        return at && dot > at ? strdupf("%.*s@%s", (int) (at - name), name, dot) : NULL;
}

bool unit_hidden_or_backup(const char *name)
{
        static const char *const sfx[] = {
                "~",
                ".rpmnew",
                ".rpmsave",
                ".rpmorig",
                ".dpkg-old",
                ".dpkg-new",
                ".dpkg-tmp",
                ".dpkg-dist",
                ".dpkg-bak",
                ".dpkg-backup",
                ".dpkg-remove",
                ".ucf-new",
                ".ucf-old",
                ".ucf-dist",
                ".swp",
                ".bak",
                ".old",
                ".new",
        };

        if (name[0] == '.' || streq(name, "lost+found") || streq(name, "aquota.user") ||
                streq(name, "aquota.group"))
                return true;
        for (size_t i = 0; i < ELEMENTSOF(sfx); i++)
                if (endswith(name, sfx[i]))
                        return true;
        return false;
}

/* ---- paths inside root ---- */

static int read_link(const char *root, const char *path, char **ret)
{
        _cleanup_free_ char *full = root_path(root, path);
        char buf[PATH_MAX];
        ssize_t n;

        if (!full)
                return -ENOMEM;
        n = readlink(full, buf, sizeof buf - 1);
        if (n < 0)
                return -errno;
        buf[n] = 0;
        *ret = strdup(buf);
        return *ret ? 0 : -ENOMEM;
}

int unit_lookup_chase(const char *root, const char *path, char **ret)
{
        _cleanup_free_ char *todo = strdup(path), *done = strdup("");
        unsigned links = 0;

        if (!todo || !done)
                return -ENOMEM;
        for (;;) {
                _cleanup_free_ char *cand = NULL, *full = NULL;
                char *p = todo + strspn(todo, "/"), *c = p, *next;
                struct stat st;

                if (!*p)
                        break;
                next = c + strcspn(c, "/");
                if (*next)
                        *next++ = 0;
                if (streq(c, ".")) {
                        memmove(todo, next, strlen(next) + 1);
                        continue;
                }
                if (streq(c, "..")) {
                        char *slash = strrchr(done, '/');
                        if (slash)
                                *slash = 0;
                        memmove(todo, next, strlen(next) + 1);
                        continue;
                }
                cand = strdupf("%s/%s", done, c);
                full = cand ? root_path(root, cand) : NULL;
                if (!full)
                        return -ENOMEM;
                if (lstat(full, &st) < 0)
                        return -errno;
                if (S_ISLNK(st.st_mode)) {
                        _cleanup_free_ char *target = NULL;
                        char *nt;
                        int r;

                        if (++links > CHASE_MAX)
                                return -ELOOP;
                        if ((r = read_link(root, cand, &target)) < 0)
                                return r;
                        if (target[0] == '/')
                                done[0] = 0; /* absolute: from root again */
                        nt = strdupf("%s/%s", target, next);
                        if (!nt)
                                return -ENOMEM;
                        free(todo);
                        todo = nt;
                        continue;
                }
                if (*next && !S_ISDIR(st.st_mode))
                        return -ENOTDIR;
                free(done);
                done = TAKE_PTR(cand);
                memmove(todo, next, strlen(next) + 1);
        }
        *ret = *done ? TAKE_PTR(done) : strdup("/");
        return *ret ? 0 : -ENOMEM;
}

/* ---- the name map (unit_file_build_name_map) ---- */

typedef struct MapEntry {
        char *name;
        char *path; /* fragment path (inside root), or NULL for an alias */
        char *alias; /* target name for an alias */
} MapEntry;

/* The entries sorted by name (each name once) up to n_sorted; the entries of the directory
 * being read follow, unsorted, until map_dir() sorts them in. */
typedef struct NameMap {
        MapEntry *v;
        size_t n, n_sorted, n_alloc;
} NameMap;

static void name_map_done(NameMap *m)
{
        for (size_t i = 0; i < m->n; i++) {
                free(m->v[i].name);
                free(m->v[i].path);
                free(m->v[i].alias);
        }
        free(m->v);
}

static int map_entry_cmp(const void *a, const void *b)
{
        return strcmp(((const MapEntry *) a)->name, ((const MapEntry *) b)->name);
}

/* The entry of name among the sorted ones: the names of the directories read before. */
static const MapEntry *name_map_get(const NameMap *m, const char *name)
{
        MapEntry key = {.name = (char *) name};

        return m->n_sorted > 0 ? bsearch(&key, m->v, m->n_sorted, sizeof(MapEntry), map_entry_cmp) : NULL;
}

static int name_map_add(NameMap *m, const char *name, char *path, char *alias)
{
        if (m->n == m->n_alloc) {
                size_t na = m->n_alloc ? 2 * m->n_alloc : 256;
                MapEntry *t = reallocarray(m->v, na, sizeof(*t));

                if (!t) {
                        free(path);
                        free(alias);
                        return -ENOMEM;
                }
                m->v = t;
                m->n_alloc = na;
        }
        m->v[m->n] = (MapEntry){.name = strdup(name), .path = path, .alias = alias};
        if (!m->v[m->n++].name)
                return -ENOMEM;
        return 0;
}

/* canon[i]: search_path[i] chased inside root, NULL when it does not resolve. */
static bool in_search_dir(const UnitLookup *l, char *const *canon, const char *dir)
{
        if (strv_contains(l->search_path, dir))
                return true;
        for (size_t i = 0; l->search_path[i]; i++)
                if (canon[i] && streq(canon[i], dir))
                        return true;
        return false;
}

/* unit_validate_alias_symlink_or_warn(): same type; templates to templates, instances to
 * instances or templates, plain names to plain names. */
static bool alias_ok(const char *src, const char *dst)
{
        if (!unit_name_valid(dst) || !streq(name_type(src), name_type(dst)))
                return false;
        if (name_is_template(src))
                return name_is_template(dst);
        if (name_is_instance(src))
                return name_is_instance(dst) || name_is_template(dst);
        return !strchr(dst, '@');
}

/* One symlink entry: linked file, alias or (self-alias, invalid) skipped (returns 0 and adds nothing). */
static int map_symlink(
        const UnitLookup *l, char *const *canon, NameMap *m, const char *dir, const char *name)
{
        _cleanup_free_ char *link = strdupf("%s/%s", dir, name), *target = NULL, *joined = NULL, *t = NULL;
        char *slash;
        int r;

        if (!link)
                return -ENOMEM;
        r = read_link(l->root, link, &target);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return 0;
        joined = target[0] == '/' ? strdup(target) : strdupf("%s/%s", dir, target);
        t = joined ? path_resolve_lexically(joined) : NULL;
        if (!t)
                return -ENOMEM;
        slash = strrchr(t, '/');
        *slash = 0;
        if (in_search_dir(l, canon, *t ? t : "/")) {
                const char *tname = slash + 1;
                if (streq(tname, name) || !alias_ok(name, tname))
                        return 0; /* self-alias (or a bad alias): ignored, lower directories still count */
                return name_map_add(m, name, NULL, strdup(tname)) < 0 || !m->v[m->n - 1].alias ? -ENOMEM : 0;
        }
        /* Outside the search path (this includes /dev/null): the link itself is the fragment. */
        return name_map_add(m, name, TAKE_PTR(link), NULL);
}

unsigned char unit_lookup_entry_type(int dir_fd, const char *name, unsigned char d_type)
{
        struct stat st;

        if (d_type != DT_UNKNOWN)
                return d_type;
        if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return DT_UNKNOWN;
        return IFTODT(st.st_mode);
}

/* One entry of a search directory (dir: its path inside root): a regular file or a symlink
 * with a valid unit name that no higher directory has, as in systemd. */
static int map_entry(const UnitLookup *l, char *const *canon, NameMap *m, DIR *d, const char *dir,
        const struct dirent *de)
{
        const char *name = de->d_name;
        unsigned char type;

        if (!unit_name_valid(name) || name_map_get(m, name))
                return 0; /* not a unit, or a higher directory has it */
        type = unit_lookup_entry_type(dirfd(d), name, de->d_type);
        if (type == DT_REG) {
                char *p = strdupf("%s/%s", dir, name);
                return p ? name_map_add(m, name, p, NULL) : -ENOMEM;
        }
        if (type == DT_LNK)
                return map_symlink(l, canon, m, dir, name);
        return 0; /* a directory, FIFO, socket, device: not a unit file */
}

/* The entries of search directory i that no higher one has, sorted into the map. The order
 * of readdir() does not matter: a name occurs once in a directory. */
static int map_dir(const UnitLookup *l, char *const *canon, size_t i, NameMap *m)
{
        _cleanup_free_ char *full = NULL;
        _cleanup_(closedirp) DIR *d = NULL;
        struct dirent *de;
        int r;

        if (!canon[i])
                return 0;
        full = root_path(l->root, canon[i]);
        if (!full)
                return -ENOMEM;
        d = opendir(full);
        if (!d)
                return 0;
        while ((de = readdir(d)))
                if ((r = map_entry(l, canon, m, d, l->search_path[i], de)) < 0)
                        return r;
        if (m->n > m->n_sorted)
                qsort(m->v, m->n, sizeof(MapEntry), map_entry_cmp);
        m->n_sorted = m->n;
        return 0;
}

/* The search directories chased inside root, in search path order; NULL where one does not
 * resolve. */
typedef struct CanonDirs {
        char **v;
        size_t n;
} CanonDirs;

static void canon_dirs_done(CanonDirs *c)
{
        for (size_t i = 0; i < c->n; i++)
                free(c->v[i]);
        free(c->v);
}

static int canon_dirs_init(const UnitLookup *l, CanonDirs *c)
{
        c->n = strv_length(l->search_path);
        c->v = calloc(c->n + 1, sizeof(char *));
        if (!c->v)
                return -ENOMEM;
        for (size_t i = 0; i < c->n; i++)
                if (unit_lookup_chase(l->root, l->search_path[i], &c->v[i]) == -ENOMEM)
                        return -ENOMEM;
        return 0;
}

static int build_map(const UnitLookup *l, const CanonDirs *c, NameMap *m)
{
        int r;

        for (size_t i = 0; i < c->n; i++)
                if ((r = map_dir(l, c->v, i, m)) < 0)
                        return r;
        return 0;
}

/* Whether some search directory (chased) has an entry called name: else the name map has no
 * such name, whatever the other entries are. */
static int canon_dirs_have(const UnitLookup *l, const CanonDirs *c, const char *name)
{
        struct stat st;

        for (size_t i = 0; i < c->n; i++) {
                _cleanup_free_ char *p = NULL, *full = NULL;

                if (!c->v[i])
                        continue;
                p = strdupf("%s%s%s", c->v[i], streq(c->v[i], "/") ? "" : "/", name);
                if (!p || !(full = root_path(l->root, p)))
                        return -ENOMEM;
                if (lstat(full, &st) >= 0)
                        return 1;
        }
        return 0;
}

/* Whether name, or the template of an instance name, is an entry of a search directory:
 * without one, the name has no fragment and no alias can give it one (the map is looked up
 * by the name itself first). */
static int canon_dirs_may_have_fragment(const UnitLookup *l, const CanonDirs *c, const char *name)
{
        _cleanup_free_ char *tmpl = NULL;
        int r = canon_dirs_have(l, c, name);

        if (r != 0 || !name_is_instance(name))
                return r;
        if (!(tmpl = name_template(name)))
                return -ENOMEM;
        return canon_dirs_have(l, c, tmpl);
}

int unit_lookup_may_exist(const UnitLookup *l, const char *name)
{
        _cleanup_(canon_dirs_done) CanonDirs c = {};
        int r;

        if (!unit_name_valid(name))
                return -EINVAL;
        if ((r = canon_dirs_init(l, &c)) < 0)
                return r;
        return canon_dirs_may_have_fragment(l, &c, name);
}

/* unit_ids_map_get(): follows alias hops. NULL when missing or looping. */
static const char *map_resolve(const NameMap *m, const char *name)
{
        for (unsigned hops = 0; hops < FOLLOW_MAX; hops++) {
                const MapEntry *e = name_map_get(m, name);
                if (!e)
                        return NULL;
                if (e->path)
                        return e->path;
                name = e->alias;
        }
        return NULL;
}

/* null_or_empty_path_with_root(): a /dev/null link (even dangling under a root), a character
 * device or an empty regular file. */
bool unit_lookup_is_mask(const char *root, const char *path)
{
        _cleanup_free_ char *target = NULL, *canon = NULL, *full = NULL;
        struct stat st;

        if (read_link(root, path, &target) >= 0 && streq(target, "/dev/null"))
                return true;
        if (unit_lookup_chase(root, path, &canon) < 0 || !(full = root_path(root, canon)))
                return false;
        if (stat(full, &st) < 0)
                return false;
        return S_ISCHR(st.st_mode) || (S_ISREG(st.st_mode) && st.st_size == 0);
}

/* ---- drop-ins (unit_file_find_dropin_paths) ---- */

/* unit_dir/name.d, chased inside root, added to dirs when it is a directory. unit_dir is a
 * search directory already chased, so only name.d can still be a symlink: what chasing the
 * whole path would give, for one lstat() in the common case. */
static int find_dir(const char *root, const char *unit_dir, const char *name, char ***dirs)
{
        _cleanup_free_ char *path = strdupf("%s%s%s.d", unit_dir, streq(unit_dir, "/") ? "" : "/", name);
        _cleanup_free_ char *canon = NULL, *full = NULL;
        struct stat st;
        int r;

        if (!path || !(full = root_path(root, path)))
                return -ENOMEM;
        if (lstat(full, &st) < 0)
                return 0;
        if (S_ISLNK(st.st_mode)) {
                r = unit_lookup_chase(root, path, &canon);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return 0;
                free(full);
                if (!(full = root_path(root, canon)))
                        return -ENOMEM;
                if (stat(full, &st) < 0)
                        return 0;
        } else
                canon = TAKE_PTR(path);
        if (!S_ISDIR(st.st_mode))
                return 0;
        return strv_consume(dirs, TAKE_PTR(canon));
}

/* The drop-in directories of name in unit_dir (chased): name.d, the template's, the prefixes'. */
static int find_dirs(const UnitLookup *l, const char *unit_dir, const char *name, char ***dirs)
{
        _cleanup_free_ char *prefix = NULL, *joined = NULL;
        const char *type = name_type(name), *dot;
        bool chopped = false;
        int r;

        if ((r = find_dir(l->root, unit_dir, name, dirs)) < 0)
                return r;
        if (name_is_instance(name)) {
                _cleanup_free_ char *tmpl = name_template(name);
                if (!tmpl || (r = find_dirs(l, unit_dir, tmpl, dirs)) < 0)
                        return -ENOMEM;
        }
        if (!type || unit_type_index(name) >= 0) /* a top-level "service" name: no prefixes */
                return 0;

        /* "foo-bar-baz.service" -> "foo-bar-.service" -> "foo-.service", recursively. */
        dot = strrchr(name, '.');
        prefix = strndup(name, (size_t) (dot - name));
        if (!prefix)
                return -ENOMEM;
        if (strchr(prefix, '@'))
                *strchr(prefix, '@') = 0;
        for (;;) {
                char *dash = strrchr(prefix, '-');
                size_t n;

                if (!dash)
                        return 0;
                n = (size_t) (dash - prefix);
                if (n == 0)
                        return 0;
                if (prefix[n + 1] != 0 || chopped) {
                        prefix[n + 1] = 0;
                        break;
                }
                prefix[n] = 0;
                chopped = true;
        }
        joined = strdupf("%s.%s", prefix, type);
        if (!joined)
                return -ENOMEM;
        return find_dirs(l, unit_dir, joined, dirs);
}

static int cmp_basename(const void *a, const void *b)
{
        return strcmp(path_basename(*(char *const *) a), path_basename(*(char *const *) b));
}

/* conf_files_list_strv(): *.conf, first directory wins each base name, sorted by base name. */

/* conf_files_list() takes only regular files and symlinks (dirent_is_file_with_suffix()): a
 * directory, FIFO, socket or device in a .d directory is passed over, by systemd and by us. A
 * symlink is listed, whatever it points to: reading it then says what it is. */
static bool conf_entry_is_file(const char *dir, const char *name)
{
        _cleanup_free_ char *p = strdupf("%s/%s", dir, name);
        struct stat st;

        return p && lstat(p, &st) >= 0 && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode));
}

int unit_lookup_conf_files(const char *root, char *const *dirs, char ***ret)
{
        _cleanup_strv_free_ char **files = calloc(1, sizeof(char *));

        if (!files)
                return -ENOMEM;
        for (char *const *d = dirs; *d; d++) {
                _cleanup_free_ char *full = root_path(root, *d);
                struct dirent **ents = NULL;
                int n, r = 0;

                if (!full)
                        return -ENOMEM;
                n = scandir(full, &ents, NULL, alphasort);
                if (n < 0)
                        continue;
                for (int i = 0; i < n; i++) {
                        const char *name = ents[i]->d_name;
                        bool dup = false;

                        if (r < 0 || !endswith(name, ".conf") || unit_hidden_or_backup(name) ||
                                !conf_entry_is_file(full, name))
                                continue;
                        for (char **f = files; *f && !dup; f++)
                                dup = streq(path_basename(*f), name);
                        if (!dup)
                                r = strv_consume(
                                        &files, strdupf("%s%s%s", *d, endswith(*d, "/") ? "" : "/", name));
                }
                for (int i = 0; i < n; i++)
                        free(ents[i]);
                free(ents);
                if (r < 0)
                        return r;
        }
        qsort(files, strv_length(files), sizeof(char *), cmp_basename);
        *ret = TAKE_PTR(files);
        return 0;
}

/* A search directory that does not resolve has no drop-in directories either. */
static int find_dropins(
        const UnitLookup *l, const CanonDirs *c, const char *name, char *const *aliases, char ***ret)
{
        _cleanup_strv_free_ char **dirs = calloc(1, sizeof(char *));
        const char *type = name_type(name);
        int r;

        if (!dirs)
                return -ENOMEM;
        for (size_t i = 0; i < c->n; i++)
                if (c->v[i] && (r = find_dirs(l, c->v[i], name, &dirs)) < 0)
                        return r;
        for (char *const *a = aliases; a && *a; a++)
                for (size_t i = 0; i < c->n; i++)
                        if (c->v[i] && (r = find_dirs(l, c->v[i], *a, &dirs)) < 0)
                                return r;
        for (size_t i = 0; i < c->n; i++)
                if (c->v[i] && (r = find_dirs(l, c->v[i], type, &dirs)) < 0)
                        return r;
        return unit_lookup_conf_files(l->root, dirs, ret);
}

int unit_lookup_resolve(const UnitLookup *l, const char *name, UnitLookupResult *ret)
{
        _cleanup_(name_map_done) NameMap m = {};
        _cleanup_(canon_dirs_done) CanonDirs c = {};
        _cleanup_(unit_lookup_result_done) UnitLookupResult res = {};
        const char *frag;
        int r;

        if (!unit_name_valid(name))
                return -EINVAL;
        if ((r = canon_dirs_init(l, &c)) < 0 || (r = canon_dirs_may_have_fragment(l, &c, name)) < 0)
                return r;
        /* No entry of that name: no fragment, and the map (every entry of every directory)
         * need not be built to say so. The drop-ins are still looked up below. */
        if (r > 0 && (r = build_map(l, &c, &m)) < 0)
                return r;
        frag = map_resolve(&m, name);
        if (!frag && name_is_instance(name)) {
                _cleanup_free_ char *tmpl = name_template(name);
                if (!tmpl)
                        return -ENOMEM;
                frag = map_resolve(&m, tmpl);
        }
        res.aliases = calloc(1, sizeof(char *));
        if (!res.aliases)
                return -ENOMEM;
        if (frag) {
                if (!(res.fragment_path = strdup(frag)))
                        return -ENOMEM;
                res.masked = unit_lookup_is_mask(l->root, frag);
                /* The reverse map: every other name resolving to a fragment of this base name. */
                for (size_t i = 0; i < m.n && !res.masked; i++) {
                        const char *o = map_resolve(&m, m.v[i].name);
                        if (o && !streq(m.v[i].name, name) && streq(path_basename(o), path_basename(frag)) &&
                                !unit_lookup_is_mask(l->root, o) &&
                                strv_extend(&res.aliases, m.v[i].name) < 0)
                                return -ENOMEM;
                }
                qsort(res.aliases, strv_length(res.aliases), sizeof(char *), cmp_basename);
        }
        if ((r = find_dropins(l, &c, name, res.aliases, &res.dropin_paths)) < 0)
                return r;
        *ret = res;
        res = (UnitLookupResult){};
        return 0;
}
