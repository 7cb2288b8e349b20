/* SPDX-License-Identifier: MIT */
#include "basic/output.h"

#include <fcntl.h>
#include <libgen.h>
#include <sys/stat.h>

int output_open(Output *o, const char *path, char **ret_error)
{
        int fd;

        *o = (Output){.f = stdout};
        if (!path || streq(path, "-"))
                return 0;
        o->path = strdup(path);
        o->tmp_path = strdupf("%s.XXXXXX", path);
        if (!o->path || !o->tmp_path)
                return -ENOMEM;
        fd = mkostemp(o->tmp_path, O_CLOEXEC);
        if (fd < 0) {
                int r = -errno;
                free(o->tmp_path);
                o->tmp_path = NULL;
                return error_setf(ret_error, r, "%s: cannot create: %s", path, strerror(-r));
        }
        (void) fchmod(fd, 0644);
        o->f = fdopen(fd, "w");
        if (!o->f) {
                int r = -errno;
                close(fd);
                return error_setf(ret_error, r, "%s: %s", path, strerror(-r));
        }
        return 0;
}

int output_commit(Output *o, char **ret_error)
{
        int r = 0;

        if (fflush(o->f) != 0 || ferror(o->f))
                r = -errno ?: -EIO;
        if (!o->path)
                return r < 0 ? error_setf(ret_error, r, "stdout: %s", strerror(-r)) : 0;
        if (r == 0 && fsync(fileno(o->f)) < 0)
                r = -errno;
        if (fclose(o->f) != 0 && r == 0)
                r = -errno;
        o->f = NULL;
        if (r == 0 && rename(o->tmp_path, o->path) < 0)
                r = -errno;
        if (r < 0) {
                (void) unlink(o->tmp_path);
                return error_setf(ret_error, r, "%s: %s", o->path, strerror(-r));
        }
        free(o->tmp_path);
        o->tmp_path = NULL;
        return 0;
}

void output_done(Output *o)
{
        if (o->path && o->f)
                fclose(o->f);
        if (o->tmp_path)
                (void) unlink(o->tmp_path);
        free(o->path);
        free(o->tmp_path);
        *o = (Output){};
}
