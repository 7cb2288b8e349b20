/* SPDX-License-Identifier: MIT */
#include "basic/dir-list.h"

#include <dirent.h>

#include "basic/error-util.h"
#include "basic/string-util.h"
#include "basic/strv.h"

static int name_cmp(const void *a, const void *b)
{
        return strcmp(*(char *const *) a, *(char *const *) b);
}

int dir_list_names(
        const char *dir, bool optional, const char *suffix, const char *what, char ***ret, char **ret_error)
{
        _cleanup_strv_free_ char **names = NULL;
        DIR *d = opendir(dir);
        struct dirent *de;
        int r = 0;

        if (!d) {
                r = -errno;
                if (optional && r == -ENOENT)
                        return (*ret = calloc(1, sizeof(char *))) ? 0 : -ENOMEM;
                return error_setf(
                        ret_error, r, "%s: cannot open the %s directory: %s", dir, what, strerror(-r));
        }
        errno = 0;
        while ((de = readdir(d))) {
                if (de->d_name[0] == '.' || !endswith(de->d_name, suffix))
                        continue;
                r = strv_extend(&names, de->d_name);
                if (r < 0)
                        break;
                errno = 0;
        }
        if (r == 0 && errno != 0) {
                r = -errno;
                error_setf(ret_error, r, "%s: cannot read: %s", dir, strerror(-r));
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
