/* SPDX-License-Identifier: MIT */
#include "systemd/unit-offline.h"

#include <dirent.h>

#include "basic/env-util.h"
#include "basic/root-file.h"

/* "Version: X" of the "Package: systemd" stanza of dpkg's status file. */
static int dpkg_version(const char *root, char **ret)
{
        _cleanup_free_ char *data = NULL;
        bool in = false;
        char *save = NULL;
        int r;

        *ret = NULL;
        r = root_read_file(root, "/var/lib/dpkg/status", &data, NULL);
        if (r < 0)
                return r == -ENOMEM ? r : 0;
        for (char *l = strtok_r(data, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                const char *v;
                if ((v = startswith(l, "Package: ")))
                        in = streq(strstrip((char *) v), "systemd");
                else if (in && (v = startswith(l, "Version: "))) {
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
