/* SPDX-License-Identifier: MIT */
#include "systemd/unit-offline.h"

#include <dirent.h>

#include "basic/env-util.h"
#include "basic/fileio.h"
#include "basic/parse-util.h"
#include "basic/root-file.h"

/* "Version: X" of the "Package: systemd" stanza of dpkg's status file. */
static int dpkg_version(const char *root, char **ret)
{
        _cleanup_free_ char *data = NULL;
        bool in = false;
        int r;

        *ret = NULL;
        r = root_read_file(root, "/var/lib/dpkg/status", &data, NULL);
        if (r < 0)
                return r == -ENOMEM ? r : 0;
        /* The lines strtok_r(data, "\n") would give (up to a NUL), looked at by their first
         * byte: the file has a thousand stanzas on a Debian host, a megabyte. */
        for (char *l = data, *next; *l; l = next) {
                char *e = strchrnul(l, '\n');
                const char *v;

                next = *e ? e + 1 : e;
                *e = 0;
                if (l[0] == 'P' && (v = startswith(l, "Package: ")))
                        in = streq(strstrip((char *) v), "systemd");
                else if (in && l[0] == 'V' && (v = startswith(l, "Version: "))) {
                        *ret = strdup(strstrip((char *) v));
                        return *ret ? 0 : -ENOMEM;
                }
        }
        return 0;
}

int unit_offline_manager_version(const char *root, char **ret)
{
        static const char *const dirs[] = {"/usr/lib/systemd", "/lib/systemd", "/usr/lib64/systemd"};
        int r = dpkg_version(root, ret);

        if (r < 0 || *ret)
                return r;
        /* RPM's database is not plain text; the shared library's name carries the version. */
        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                _cleanup_free_ char *canon = NULL, *full = NULL;
                DIR *d;
                struct dirent *de;

                if (unit_lookup_chase(root, dirs[i], &canon) < 0)
                        continue;
                if (!(full = root_path(root, canon)))
                        return -ENOMEM;
                if (!(d = opendir(full)))
                        continue;
                while ((de = readdir(d))) {
                        const char *v = startswith(de->d_name, "libsystemd-shared-");
                        size_t n = v ? strspn(v, "0123456789.-~") : 0;
                        if (n > 0 && startswith(v + n, "so")) {
                                *ret = strndup(v, v[n - 1] == '.' ? n - 1 : n);
                                break;
                        }
                }
                closedir(d);
                if (*ret)
                        return 0;
        }
        return 0;
}

/* The manager's [Manager] DefaultLimitNOFILE= and DefaultTasksMax= from system.conf (user.conf)
 * and its drop-ins, the last assignment winning, with the file:line. */
typedef struct ManagerConf {
        bool nofile_set, tasks_set;
        uint64_t nofile_soft, nofile_hard;
        TasksMax tasks;
        char *nofile_origin, *tasks_origin;
        char *unreadable; /* "PATH: cannot read: reason" of the first file that could not be read:
                           * it may set either default, so neither is known */
} ManagerConf;

static void manager_conf_done(ManagerConf *c)
{
        free(c->nofile_origin);
        free(c->tasks_origin);
        free(c->unreadable);
}

static int manager_conf_apply(ManagerConf *c, const UnitFile *f)
{
        for (size_t i = 0; i < f->n_assignments; i++) {
                const UnitAssignment *a = &f->assignments[i];
                char **origin = NULL;

                if (!streq(a->section, "Manager"))
                        continue;
                if (streq(a->key, "DefaultLimitNOFILE") &&
                        unit_parse_limit_nofile(a->value, &c->nofile_soft, &c->nofile_hard) >= 0) {
                        c->nofile_set = true;
                        origin = &c->nofile_origin;
                } else if (streq(a->key, "DefaultTasksMax") &&
                           unit_parse_tasks_max(a->value, &c->tasks) >= 0) {
                        c->tasks_set = true;
                        origin = &c->tasks_origin;
                }
                if (origin) {
                        free(*origin);
                        if (!(*origin = strdupf("%s:%u", f->path, a->line)))
                                return -ENOMEM;
                }
        }
        return 0;
}

/* The manager's configuration files in the order it parses them (main.c parse_config_file(),
 * manager_find_user_config_paths()): system.conf, or for the user manager
 * CONFIG_HOME/systemd/user.conf then /etc/systemd/user.conf; then the NAME.d drop-ins of
 * those directories, /run, /usr/local/lib and /usr/lib (first directory wins a base name). */
static int manager_conf_files(const char *root, bool user, char *const *env, char ***ret)
{
        static const char *const dirs[] = {"/etc/systemd", "/run/systemd", "/usr/local/lib/systemd",
                "/usr/lib/systemd", "/lib/systemd"};
        const char *name = user ? "user.conf" : "system.conf";
        _cleanup_strv_free_ char **canon = calloc(1, sizeof(char *)), **dropins = NULL, **files = NULL;
        _cleanup_free_ char *home = NULL, *home_dir = NULL;
        int r;

        if (!canon)
                return -ENOMEM;
        if (user && (r = env_user_config_home(env, &home)) < 0)
                return r;
        if (home && (!(home_dir = strdupf("%s/systemd", home)) ||
                            strv_consume(&files, strdupf("%s/%s", home_dir, name)) < 0))
                return -ENOMEM;
        if (strv_consume(&files, strdupf("/etc/systemd/%s", name)) < 0)
                return -ENOMEM;
        for (size_t i = 0; i <= ELEMENTSOF(dirs); i++) {
                const char *dir = i == 0 ? home_dir : dirs[i - 1];
                _cleanup_free_ char *d = dir ? strdupf("%s/%s.d", dir, name) : NULL;
                char *resolved = NULL;

                if (!dir)
                        continue;
                if (!d)
                        return -ENOMEM;
                r = unit_lookup_chase(root, d, &resolved);
                if (r == -ENOMEM || (r >= 0 && strv_consume(&canon, resolved) < 0))
                        return -ENOMEM;
        }
        if ((r = unit_lookup_conf_files(root, canon, &dropins)) < 0)
                return r;
        for (char **p = dropins; p && *p; p++)
                if (strv_extend(&files, *p) < 0)
                        return -ENOMEM;
        *ret = TAKE_PTR(files);
        return 0;
}

static int manager_conf_read(const char *root, bool user, char *const *env, ManagerConf *c)
{
        _cleanup_strv_free_ char **files = NULL;
        int r;

        if ((r = manager_conf_files(root, user, env, &files)) < 0)
                return r;
        for (char **p = files; *p; p++) {
                _cleanup_(unit_file_freep) UnitFile *uf = NULL;
                _cleanup_free_ char *data = NULL;
                size_t size = 0;

                if (unit_lookup_is_mask(root, *p))
                        continue;
                r = root_read_file(root, *p, &data, &size);
                if (r == -ENOMEM)
                        return r;
                if (r == -ENOENT)
                        continue;
                if (r < 0) {
                        if (!c->unreadable &&
                                !(c->unreadable = strdupf("%s: cannot read: %s", *p, read_strerror(r))))
                                return -ENOMEM;
                        continue;
                }
                if ((r = unit_file_parse(*p, data, size, &uf)) < 0 || (r = manager_conf_apply(c, uf)) < 0)
                        return r;
        }
        return 0;
}

/* The major version of "252.39-1~deb12u1", 0 when unknown. */
static unsigned manager_major(const char *version)
{
        return version ? (unsigned) strtoul(version, NULL, 10) : 0;
}

/* An unsigned number from a /proc/sys file of this host, 0 when unreadable. */
static uint64_t proc_sys_number(const char *path)
{
        _cleanup_free_ char *line = NULL;
        unsigned long long v;

        if (read_one_line_file(path, &line) < 0 || safe_atou64(strstrip(line), &v) < 0)
                return 0;
        return v;
}

/* LimitNOFILE of a unit that does not set it: DefaultLimitNOFILE= of the manager (main.c
 * fallback_rlimit_nofile()): system manager since 240 soft 1024, hard min(fs.nr_open, 524288);
 * before, the kernel's 1024:4096; the user manager passes on the hard limit it was started
 * with, which the files do not tell. */
static int default_limit_nofile(const char *root, bool user, const ManagerConf *c, UnitInfo *u)
{
        unsigned v = manager_major(u->manager_version);
        uint64_t nr_open = 0, hard;

        if (c->unreadable)
                u->limit_nofile_note =
                        strdupf("not set, and the manager's default is not known: %s", c->unreadable);
        else if (c->nofile_set) {
                u->limit_nofile = (UnitNumber){c->nofile_hard, true};
                u->limit_nofile_soft = (UnitNumber){c->nofile_soft, true};
                u->limit_nofile_note = strdupf("default: DefaultLimitNOFILE= at %s", c->nofile_origin);
        } else if (user)
                u->limit_nofile_note = strdup(
                        "not set: the user manager passes on the hard limit it was started with (not in the "
                        "files)");
        else if (v == 0)
                u->limit_nofile_note =
                        strdup("not set, and the systemd version of the image (its default) is unknown");
        else {
                if (v >= 240 && (!root || streq(root, "/")))
                        nr_open = proc_sys_number("/proc/sys/fs/nr_open");
                hard = v < 240 ? 4096 : nr_open > 0 && nr_open < 524288 ? nr_open : 524288;
                u->limit_nofile = (UnitNumber){hard, true};
                u->limit_nofile_soft = (UnitNumber){1024, true};
                u->limit_nofile_note = strdupf("default: systemd %u's DefaultLimitNOFILE=1024:%llu%s", v,
                        (unsigned long long) hard,
                        v >= 240 && nr_open == 0 ? " (fs.nr_open of the image assumed >= 524288)" : "");
        }
        return u->limit_nofile_note ? 0 : -ENOMEM;
}

/* TasksMax of a unit: its own or DefaultTasksMax= (15% since systemd 231, 512 in 228-230, none
 * before), a share resolved against this host's kernel.threads-max and kernel.pid_max - 1
 * (limits-util.c system_tasks_max()) only when the root is this host. */
static int resolve_tasks_max(const char *root, const UnitSettings *s, const ManagerConf *c, UnitInfo *u)
{
        unsigned v = manager_major(u->manager_version);
        const TasksMax *t = s->tasks_max_set ? &s->tasks_max : c->tasks_set ? &c->tasks : NULL;
        TasksMax dflt = v >= 231   ? (TasksMax){1500, 10000}
                        : v >= 228 ? (TasksMax){512, 0}
                                   : (TasksMax){UNIT_LIMIT_INFINITY, 0};
        uint64_t threads, pids, sys;

        if (!s->tasks_max_set && c->unreadable)
                return (u->tasks_max_note = strdupf(
                                "not set, and the manager's default is not known: %s", c->unreadable))
                               ? 0
                               : -ENOMEM;
        if (!t && v == 0)
                return (u->tasks_max_note = strdup(
                                "not set, and the systemd version of the image (its default) is unknown"))
                               ? 0
                               : -ENOMEM;
        if (!t)
                t = &dflt;
        if (t->scale != 0 && root && !streq(root, "/"))
                return (u->tasks_max_note = strdup("a share of the kernel's task limit (pid_max) of the "
                                                   "image's host, not known offline"))
                               ? 0
                               : -ENOMEM;
        threads = proc_sys_number("/proc/sys/kernel/threads-max");
        pids = proc_sys_number("/proc/sys/kernel/pid_max");
        sys = threads == 0 ? UINT64_MAX : threads;
        if (pids > 0 && pids - 1 < sys)
                sys = pids - 1;
        u->tasks_max = (UnitNumber){unit_tasks_max_resolve(t, sys), true};
        if (s->tasks_max_set)
                return 0;
        if (c->tasks_set)
                u->tasks_max_note = strdupf("default: DefaultTasksMax= at %s", c->tasks_origin);
        else
                u->tasks_max_note = strdupf("default: systemd %u's DefaultTasksMax=%s", v,
                        v >= 231   ? "15%"
                        : v >= 228 ? "512"
                                   : "infinity");
        return u->tasks_max_note ? 0 : -ENOMEM;
}

static int settings_to_info_limits(
        const char *root, bool user, char *const *env, UnitSettings *s, UnitInfo *u)
{
        _cleanup_(manager_conf_done) ManagerConf c = {};
        int r;

        if ((r = manager_conf_read(root, user, env, &c)) < 0)
                return r;
        /* what it sets is not known: a problem of the audit, as an unreadable drop-in */
        if (c.unreadable && strv_extend(&s->unreadable, c.unreadable) < 0)
                return -ENOMEM;
        if (s->limit_nofile_set) {
                u->limit_nofile = (UnitNumber){s->limit_nofile_hard, true};
                u->limit_nofile_soft = (UnitNumber){s->limit_nofile_soft, true};
        } else if ((r = default_limit_nofile(root, user, &c, u)) < 0)
                return r;
        if ((r = resolve_tasks_max(root, s, &c, u)) < 0)
                return r;
        u->kill_mode = strdup(s->kill_mode ? s->kill_mode : "control-group");
        if (!u->kill_mode)
                return -ENOMEM;
        for (UnitDepType t = 0; t < _UNIT_DEP_MAX; t++) {
                if (!(u->deps[t] = calloc(1, sizeof(char *))))
                        return -ENOMEM;
                for (size_t i = 0; i < s->deps[t].n; i++)
                        if (strv_extend(&u->deps[t], s->deps[t].v[i].name) < 0)
                                return -ENOMEM;
        }
        return 0;
}

static int settings_to_info(const UnitSettings *s, UnitInfo *u)
{
        if (s->n_exec_start > 0) {
                u->exec_start = calloc(s->n_exec_start, sizeof(BusExecCommand));
                if (!u->exec_start)
                        return -ENOMEM;
                for (size_t i = 0; i < s->n_exec_start; i++) {
                        u->n_exec_start++;
                        u->exec_start[i].path = strdup(s->exec_start[i].path);
                        u->exec_start[i].argv = s->exec_start[i].argv ? strv_copy(s->exec_start[i].argv)
                                                                      : calloc(1, sizeof(char *));
                        if (!u->exec_start[i].path || !u->exec_start[i].argv)
                                return -ENOMEM;
                }
        }
        u->environment = calloc(1, sizeof(char *));
        if (!u->environment)
                return -ENOMEM;
        for (size_t i = 0; i < s->environment.n; i++)
                if (strv_consume(&u->environment,
                            strdupf("%s=%s", s->environment.v[i].name, s->environment.v[i].value)) < 0)
                        return -ENOMEM;
        if (s->n_environment_files > 0) {
                u->environment_files = calloc(s->n_environment_files, sizeof(EnvFileRef));
                if (!u->environment_files)
                        return -ENOMEM;
                for (size_t i = 0; i < s->n_environment_files; i++) {
                        const EnvFileRef *e = &s->environment_files[i];
                        u->n_environment_files++;
                        u->environment_files[i] = (EnvFileRef){
                                .path = strdup(e->path),
                                .ignore_missing = e->ignore_missing,
                                .file = e->file ? strdup(e->file) : NULL,
                                .line = e->line,
                        };
                        if (!u->environment_files[i].path || (e->file && !u->environment_files[i].file))
                                return -ENOMEM;
                }
        }
        u->mount_flags = s->mount_flags;
        return 0;
}

static char *load_error_message(const char *unit, const char *state, const UnitSettings *s)
{
        if (streq(state, "not-found"))
                return strdupf("Unit %s not found.", unit);
        if (streq(state, "masked"))
                return strdupf("Unit %s is masked.", unit);
        if (streq(state, "bad-setting"))
                return strdupf("Unit %s has a bad unit file setting.%s%s", unit,
                        s && !strv_isempty(s->errors) ? " " : "",
                        s && s->errors ? strempty(s->errors[0]) : "");
        return strdupf("Unit %s failed to load properly%s%s", unit,
                s && !strv_isempty(s->errors) ? ": " : ".", s && s->errors ? strempty(s->errors[0]) : "");
}

int unit_info_read_offline_env(const char *root, bool user, const char *unit, char *const *env,
        UnitInfo *ret, UnitSettings *ret_settings, char **ret_error)
{
        _cleanup_(unit_lookup_done) UnitLookup l = {};
        _cleanup_(unit_lookup_result_done) UnitLookupResult res = {};
        _cleanup_(unit_info_done) UnitInfo u = {};
        _cleanup_(unit_settings_done) UnitSettings s = {};
        const char *state;
        int r;

        r = unit_lookup_init(&l, root, user, env);
        if (r < 0)
                return r;
        r = unit_lookup_resolve(&l, unit, &res);
        if (r == -EINVAL)
                return error_setf(ret_error, r, "%s: not a valid unit name", unit);
        if (r < 0)
                return r;

        u.offline = true;
        u.name = strdup(unit);
        u.active_state = strdup("inactive");
        u.fragment_path = strdup(strempty(res.fragment_path));
        u.dropin_paths = strv_copy(res.dropin_paths);
        u.manager_address =
                strdupf("files under %s (%s manager)", root ? root : "/", user ? "user" : "system");
        if (!u.name || !u.active_state || !u.fragment_path || !u.dropin_paths || !u.manager_address)
                return -ENOMEM;
        if ((r = unit_offline_manager_version(root, &u.manager_version)) < 0)
                return r;

        unit_settings_init(&s, &(SpecifierContext){
                                       .unit_name = u.name,
                                       .user = user,
                                       .runtime_dir = user ? env_get(env, "XDG_RUNTIME_DIR") : "/run",
                                       .home = user ? env_get(env, "HOME") : "/root",
                                       .root = root && !streq(root, "/") ? root : NULL,
                                       .fragment_path = res.fragment_path ? u.fragment_path : NULL,
                               });
        if (!res.fragment_path) {
                state = "not-found"; /* no drop-ins either: the load stopped at the fragment */
                strv_free(TAKE_PTR(u.dropin_paths));
        } else {
                r = unit_settings_load_paths(&s, root, res.masked ? NULL : res.fragment_path, NULL);
                if (r < 0)
                        return r;
                /* A fragment that failed to load stops the load before the drop-ins are even
                 * looked up: DropInPaths stays empty (unit_load_dropin() is never reached). */
                if (!streq(s.load_state, "loaded"))
                        strv_free(TAKE_PTR(u.dropin_paths));
                else if ((r = unit_settings_load_paths(&s, root, NULL, res.dropin_paths)) < 0)
                        return r;
                /* service_verify() only runs for a loaded (not masked) service. */
                if (!res.masked && endswith(unit, ".service") && (r = unit_settings_finish(&s)) < 0)
                        return r;
                state = res.masked ? "masked" : s.load_state;
        }
        u.load_state = strdup(state);
        if (!u.dropin_paths)
                u.dropin_paths = calloc(1, sizeof(char *));
        if (!u.load_state || !u.dropin_paths || (r = settings_to_info(&s, &u)) < 0)
                return -ENOMEM;
        /* TasksCurrent and TriggeredBy need a running manager: left unset. */
        if (streq(state, "loaded") && (r = settings_to_info_limits(root, user, env, &s, &u)) < 0)
                return r;
        if (!streq(state, "loaded") && (!(u.limit_nofile_note = strdupf("%s is %s", unit, state)) ||
                                               !(u.tasks_max_note = strdupf("%s is %s", unit, state))))
                return -ENOMEM;
        if (!(u.unit_file_state = strdup("")))
                return -ENOMEM;
        if (!streq(state, "loaded") && !(u.load_error = load_error_message(unit, state, &s)))
                return -ENOMEM;

        *ret = u;
        u = (UnitInfo){};
        if (ret_settings) {
                *ret_settings = s;
                s = (UnitSettings){};
        }
        return 0;
}

int unit_info_read_offline(const char *root, bool user, const char *unit, UnitInfo *ret, char **ret_error)
{
        return unit_info_read_offline_env(root, user, unit, NULL, ret, NULL, ret_error);
}
