/* SPDX-License-Identifier: MIT */
#include "fix/fix-paths.h"

#include "basic/env-util.h"
#include "basic/root-file.h"

int fix_paths_unit_dir(bool user, char *const *env, char **ret, char **ret_error)
{
        _cleanup_free_ char *config = NULL;
        char *dir;
        int r;

        if (!user)
                dir = strdup("/etc/systemd/system");
        else {
                r = env_user_config_home(env, &config);
                if (r < 0)
                        return r;
                if (r == 0)
                        return error_setf(ret_error, -ENXIO,
                                "no $XDG_CONFIG_HOME%s and no home directory: no user unit directory",
                                env ? " in the user manager's environment" : "");
                dir = strdupf("%s/systemd/user", config);
        }
        if (!dir)
                return -ENOMEM;
        *ret = dir;
        return 0;
}

int fix_paths_dropin(
        const char *unit, bool user, char *const *env, const char *root, char **ret, char **ret_error)
{
        _cleanup_free_ char *dir = NULL, *path = NULL;
        int r;

        if (!unit || !*unit || strchr(unit, '/') || streq(unit, ".") || streq(unit, ".."))
                return error_setf(ret_error, -EINVAL, "'%s' is not a unit name", strempty(unit));
        r = fix_paths_unit_dir(user, env, &dir, ret_error);
        if (r < 0)
                return r;
        path = strdupf("%s/%s.d/" FIX_DROPIN_NAME, dir, unit);
        if (!path)
                return -ENOMEM;
        *ret = root_path(root, path);
        return *ret ? 0 : -ENOMEM;
}

int fix_paths_dropin_sibling(const char *dropin_path, const char *unit, char **ret, char **ret_error)
{
        const char *end = strrchr(dropin_path, '/'), *start;

        if (unit && (!*unit || strchr(unit, '/') || streq(unit, ".") || streq(unit, "..")))
                return error_setf(ret_error, -EINVAL, "'%s' is not a unit name", unit);
        if (!unit || !end) {
                *ret = strdup(dropin_path);
                return *ret ? 0 : -ENOMEM;
        }
        /* DIR/NAME.d/50-dockaudit.conf: replace NAME.d */
        for (start = end; start > dropin_path && start[-1] != '/'; start--)
                ;
        *ret = strdupf("%.*s%s.d%s", (int) (start - dropin_path), dropin_path, unit, end);
        return *ret ? 0 : -ENOMEM;
}
