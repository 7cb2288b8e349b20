/* SPDX-License-Identifier: MIT */
#include <pwd.h>

#include "basic/env-util.h"

extern char **environ;

const char *env_get(char *const *env, const char *name)
{
        size_t n = strlen(name);

        for (env = env ? env : environ; env && *env; env++)
                if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
                        return *env + n + 1;
        return NULL;
}

const char *env_get_nonempty(char *const *env, const char *name)
{
        const char *v = env_get(env, name);
        return v && *v ? v : NULL;
}

/* systemd's get_home_dir(): an absolute $HOME, else "/root" for root, else the passwd entry. */
static char *home_dir(char *const *env)
{
        const char *home = env_get_nonempty(env, "HOME");
        struct passwd *pw;

        if (home && home[0] == '/')
                return strdup(home);
        if (getuid() == 0)
                return strdup("/root");
        pw = getpwuid(getuid());
        return strdup(pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : "");
}

int env_user_config_home(char *const *env, char **ret)
{
        const char *xdg = env_get_nonempty(env, "XDG_CONFIG_HOME");
        _cleanup_free_ char *home = NULL;

        *ret = NULL;
        if (xdg)
                /* systemd makes a relative one absolute against its working directory, "/" */
                *ret = strdupf("%s%s", xdg[0] == '/' ? "" : "/", xdg);
        else {
                if (!(home = home_dir(env)))
                        return -ENOMEM;
                if (!*home)
                        return 0;
                *ret = strdupf("%s/.config", home);
        }
        return *ret ? 1 : -ENOMEM;
}
