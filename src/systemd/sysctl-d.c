/* SPDX-License-Identifier: MIT */
#include "systemd/sysctl-d.h"

#include "basic/string-util.h"
#include "basic/strv.h"
#include "systemd/unit-lookup.h"

int sysctl_d_files(const char *root, char ***ret)
{
        static const char *const dirs[] = {"/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d",
                "/usr/lib/sysctl.d", "/lib/sysctl.d"};
        _cleanup_strv_free_ char **canon = calloc(1, sizeof(char *));
        int r;

        if (!canon)
                return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                char *c = NULL;

                /* A directory that does not exist (or resolves nowhere) holds no files. */
                r = unit_lookup_chase(root, dirs[i], &c);
                if (r == -ENOMEM || (r >= 0 && strv_consume(&canon, c) < 0))
                        return -ENOMEM;
        }
        return unit_lookup_conf_files(root, canon, ret);
}

int sysctl_text_lookup(const char *data, const char *key, char **ret_value, unsigned *ret_line)
{
        _cleanup_free_ char *copy = strdup(data), *value = NULL;
        unsigned n = 0, line = 0;
        char *next;

        if (!copy)
                return -ENOMEM;
        for (char *s = copy; s; s = next) {
                char *eq, *k;

                next = strchr(s, '\n');
                if (next)
                        *next++ = 0;
                n++;
                k = strstrip(s);
                if (*k == '#' || *k == ';' || !(eq = strchr(k, '=')))
                        continue;
                *eq = 0;
                k = strstrip(k + (*k == '-')); /* "-key=": failures ignored, still set */
                for (char *c = k; *c; c++)
                        if (*c == '/')
                                *c = '.';
                if (!streq(k, key))
                        continue;
                free(value);
                if (!(value = strdup(strstrip(eq + 1))))
                        return -ENOMEM;
                line = n;
        }
        *ret_value = TAKE_PTR(value);
        *ret_line = line;
        return *ret_value ? 1 : 0;
}
