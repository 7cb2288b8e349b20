/* SPDX-License-Identifier: MIT */
#include "systemd/unit-provenance.h"

#include "systemd/unit-lookup.h"

char *origin_string(const char *file, unsigned line)
{
        return line ? strdupf("%s:%u", file, line) : strdup(file);
}

static bool argv_equal(char *const *a, char *const *b)
{
        size_t n = strv_length(a);

        if (n != strv_length(b))
                return false;
        for (size_t i = 0; i < n; i++)
                if (!streq(a[i], b[i]))
                        return false;
        return true;
}

int unit_settings_env_lookup(const UnitSettings *s, const char *assignment, char **ret_name,
        const char **ret_value, const EnvVar **ret_match)
{
        const char *eq = strchr(assignment, '=');
        const EnvVar *v;
        char *name;

        if (!eq)
                return 0;
        name = strndup(assignment, (size_t) (eq - assignment));
        if (!name)
                return -ENOMEM;
        v = env_block_get(&s->environment, name);
        *ret_match = v && streq(v->value, eq + 1) ? v : NULL;
        *ret_name = name;
        *ret_value = eq + 1;
        return 1;
}

static int env_differs(const UnitSettings *s, const UnitInfo *u, char **ret_what)
{
        if (strv_length(u->environment) != s->environment.n)
                return 1;
        for (char **e = u->environment; e && *e; e++) {
                _cleanup_free_ char *name = NULL;
                const char *value;
                const EnvVar *match;
                int r = unit_settings_env_lookup(s, *e, &name, &value, &match);

                if (r < 0)
                        return r;
                if (r > 0 && !match) {
                        *ret_what = strdupf("Environment %s", name);
                        return *ret_what ? 1 : -ENOMEM;
                }
        }
        return 0;
}

int unit_settings_differ(const UnitSettings *s, const UnitInfo *u, bool *ret, char **ret_what)
{
        _cleanup_free_ char *what = NULL;
        int r;

        *ret = true;
        if (s->mount_flags != u->mount_flags) {
                const char *disk = mount_flags_to_string(s->mount_flags);
                const char *loaded = mount_flags_to_string(u->mount_flags);
                *ret_what = strdupf("MountFlags: loaded \"%s\", files say \"%s\"", loaded ? loaded : "?",
                        disk ? disk : "?");
                return *ret_what ? 0 : -ENOMEM;
        }
        if (s->n_exec_start != u->n_exec_start) {
                *ret_what = strdupf("ExecStart: loaded %zu command(s), files give %zu", u->n_exec_start,
                        s->n_exec_start);
                return *ret_what ? 0 : -ENOMEM;
        }
        for (size_t i = 0; i < s->n_exec_start; i++)
                if (!argv_equal(s->exec_start[i].argv, u->exec_start[i].argv)) {
                        *ret_what = strdupf("ExecStart command %zu", i + 1);
                        return *ret_what ? 0 : -ENOMEM;
                }
        r = env_differs(s, u, &what);
        if (r < 0)
                return r;
        if (r > 0) {
                *ret_what = what ? TAKE_PTR(what) : strdup("Environment");
                return *ret_what ? 0 : -ENOMEM;
        }
        if (s->n_environment_files != u->n_environment_files) {
                *ret_what = strdup("EnvironmentFile");
                return *ret_what ? 0 : -ENOMEM;
        }
        for (size_t i = 0; i < s->n_environment_files; i++)
                if (!streq(s->environment_files[i].path, u->environment_files[i].path) ||
                        s->environment_files[i].ignore_missing != u->environment_files[i].ignore_missing) {
                        *ret_what = strdup("EnvironmentFile");
                        return *ret_what ? 0 : -ENOMEM;
                }
        *ret = false;
        *ret_what = NULL;
        return 0;
}

int unit_files_moved(
        const UnitInfo *u, const char *root, bool user, char *const *env, bool *ret, char **ret_what)
{
        _cleanup_(unit_lookup_done) UnitLookup l = {};
        _cleanup_(unit_lookup_result_done) UnitLookupResult res = {};
        _cleanup_free_ char *now = NULL, *loaded = NULL;
        int r;

        *ret = false;
        *ret_what = NULL;
        r = unit_lookup_init(&l, root, user, env);
        if (r >= 0)
                r = unit_lookup_resolve(&l, u->name, &res);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return 0; /* nothing to compare with: say nothing rather than guess */

        if (!streq(strempty(res.fragment_path), strempty(u->fragment_path))) {
                *ret = true;
                *ret_what = strdupf("fragment on disk %s, loaded %s",
                        res.fragment_path ? res.fragment_path : "(none)",
                        *strempty(u->fragment_path) ? u->fragment_path : "(none)");
                return *ret_what ? 0 : -ENOMEM;
        }
        if (strv_length(res.dropin_paths) == strv_length(u->dropin_paths)) {
                bool same = true;
                for (size_t i = 0; same && res.dropin_paths && res.dropin_paths[i]; i++)
                        same = streq(res.dropin_paths[i], u->dropin_paths[i]);
                if (same)
                        return 0;
        }
        now = strv_join(res.dropin_paths, ", ");
        loaded = strv_join(u->dropin_paths, ", ");
        if (!now || !loaded)
                return -ENOMEM;
        *ret = true;
        *ret_what = strdupf("drop-ins on disk [%s], loaded [%s]", now, loaded);
        return *ret_what ? 0 : -ENOMEM;
}
