/* SPDX-License-Identifier: MIT */
/* The waiver directories: every "*.waiver" of each, by name, into one set. */
#include "rules/waiver.h"

#include <dirent.h>

static int name_cmp(const void *a, const void *b)
{
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The "*.waiver" names of dir, sorted, into *ret (NULL-terminated, maybe empty). A missing
 * "-DIR" has none. */
static int list_dir(const char *dir, char ***ret, char **ret_error)
{
        bool optional = dir[0] == '-';
        _cleanup_strv_free_ char **names = NULL;
        DIR *d = opendir(dir + optional);
        struct dirent *de;
        int r = 0;

        if (!d) {
                r = -errno;
                if (optional && r == -ENOENT)
                        return (*ret = calloc(1, sizeof(char *))) ? 0 : -ENOMEM;
                return error_setf(ret_error, r, "%s: cannot open the waivers directory: %s", dir + optional,
                        strerror(-r));
        }
        errno = 0;
        while ((de = readdir(d))) {
                if (de->d_name[0] == '.' || !endswith(de->d_name, ".waiver"))
                        continue;
                r = strv_extend(&names, de->d_name);
                if (r < 0)
                        break;
                errno = 0;
        }
        if (r == 0 && errno != 0) {
                r = -errno;
                error_setf(ret_error, r, "%s: cannot read: %s", dir + optional, strerror(-r));
        }
        closedir(d);
        if (r < 0)
                return r;
        if (!names && !(names = calloc(1, sizeof(char *))))
                return -ENOMEM;
        qsort(names, strv_length(names), sizeof(char *), name_cmp);
        *ret = TAKE_PTR(names);
        return 0;
}

static int load_dir(WaiverSet *s, const char *dir, const RuleSet *rules, char **ret_error)
{
        _cleanup_strv_free_ char **names = NULL;
        const char *d = dir + (dir[0] == '-');
        int r;

        r = list_dir(dir, &names, ret_error);
        if (r < 0)
                return r;
        for (char **n = names; *n; n++) {
                _cleanup_free_ char *path = strdupf("%s%s%s", d, endswith(d, "/") ? "" : "/", *n);

                if (!path)
                        return -ENOMEM;
                r = waiver_load_file(s, path, rules, ret_error);
                if (r < 0)
                        return r;
        }
        return 0;
}

int waiver_set_load(WaiverSet *s, char *const *dirs, const RuleSet *rules, char **ret_error)
{
        int r;

        *s = (WaiverSet){};
        for (size_t i = 0; dirs && dirs[i]; i++) {
                r = load_dir(s, dirs[i], rules, ret_error);
                if (r < 0) {
                        if (r == -ENOMEM)
                                error_setf(ret_error, r, "out of memory loading waivers");
                        waiver_set_done(s);
                        return r;
                }
        }
        return 0;
}
