/* SPDX-License-Identifier: MIT */
#include "fix/fix-paths.h"

#include "basic/root-file.h"

int fix_paths_unit_dir(bool user, char **ret, char **ret_error)
{
        const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
        char *dir;

        if (!user)
                dir = strdup("/etc/systemd/system");
        else if (xdg && *xdg == '/')
                dir = strdupf("%s/systemd/user", xdg);
        else if (home && *home == '/')
                dir = strdupf("%s/.config/systemd/user", home);
        else
                return error_setf(ret_error, -ENXIO,
                        "neither $XDG_CONFIG_HOME nor $HOME is an absolute path: no user unit directory");
        if (!dir)
                return -ENOMEM;
        *ret = dir;
        return 0;
}

int fix_paths_dropin(const char *unit, bool user, const char *root, char **ret, char **ret_error)
{
        _cleanup_free_ char *dir = NULL, *path = NULL;
        int r;

        if (!unit || !*unit || strchr(unit, '/') || streq(unit, ".") || streq(unit, ".."))
                return error_setf(ret_error, -EINVAL, "'%s' is not a unit name", strempty(unit));
        r = fix_paths_unit_dir(user, &dir, ret_error);
        if (r < 0)
                return r;
        path = strdupf("%s/%s.d/" FIX_DROPIN_NAME, dir, unit);
        if (!path)
                return -ENOMEM;
        *ret = root_path(root, path);
        return *ret ? 0 : -ENOMEM;
}
