/* SPDX-License-Identifier: MIT */
#include "basic/output.h"

#include <fcntl.h>

int output_open(Output *o, const char *path, char **ret_error)
{
        int r, fd;

        *o = (Output){.f = stdout, .file = {.fd = -1, .dir_fd = -1}};
        if (!path || streq(path, "-"))
                return 0;
        o->to_file = true;
        r = atomic_file_open(&o->file, path, 0644, ATOMIC_KEEP_MODE, ret_error);
        if (r < 0)
                return r;
        /* stdio gets a dup: the commit still needs the temp file's own fd to name it. */
        fd = fcntl(o->file.fd, F_DUPFD_CLOEXEC, 3);
        if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
                r = -errno;
                if (fd >= 0)
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
        if (!o->to_file)
                return r < 0 ? error_setf(ret_error, r, "stdout: %s", strerror(-r)) : 0;
        if (fclose(o->f) != 0 && r == 0)
                r = -errno;
        o->f = NULL;
        if (r < 0)
                return error_setf(ret_error, r, "%s: %s", o->file.path, strerror(-r));
        return atomic_file_commit(&o->file, ret_error);
}

void output_done(Output *o)
{
        if (o->to_file && o->f)
                fclose(o->f);
        if (o->to_file)
                atomic_file_done(&o->file);
        *o = (Output){.file = {.fd = -1, .dir_fd = -1}};
}
