/* SPDX-License-Identifier: MIT */
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

int env_user_config_home(char *const *env, char **ret)
{
        const char *xdg = env_get_nonempty(env, "XDG_CONFIG_HOME"), *home = env_get_nonempty(env, "HOME");

        if (xdg)
                *ret = strdup(xdg);
        else if (home)
                *ret = strdupf("%s/.config", home);
        else {
                *ret = NULL;
                return 0;
        }
        return *ret ? 1 : -ENOMEM;
}
