/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <sys/stat.h>

#include "cli/cmd-args.h"
#include "cli/cmd-modes.h"
#include "cli/sos-extract.h"

void modes_done(Modes *m)
{
        if (m->sos_tmp)
                (void) sos_extract_remove(m->sos_tmp);
        free(m->host_root);
        free(m->sos_root);
        free(m->sos_tmp);
        free(m->error);
        *m = (Modes){};
}

/* parse_root()'s checks, its messages naming option instead of --root. */
static int parse_root_as(const char *option, const char *arg, char **ret, char **ret_error)
{
        _cleanup_free_ char *err = NULL;
        const char *rest;
        int r = parse_root(arg, ret, &err);

        if (r >= 0 || !err)
                return r;
        rest = startswith(err, "--root");
        *ret_error = rest ? strdupf("%s%s", option, rest) : TAKE_PTR(err);
        return *ret_error ? r : -ENOMEM;
}

/* A directory is an sos report when it holds sos_commands/ (sos 3 and 4) and a root's
 * etc/. */
static int sos_dir_check(const char *arg, char **ret, char **ret_error)
{
        _cleanup_free_ char *real = realpath(arg, NULL);
        _cleanup_close_ int fd = -EBADF;
        struct stat st;

        if (!real)
                return error_setf(ret_error, -errno, "--sos '%s': %s", arg, strerror(errno));
        fd = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return error_setf(ret_error, -errno, "--sos '%s': %s", arg, strerror(errno));
        if (fstatat(fd, "sos_commands", &st, 0) < 0 || !S_ISDIR(st.st_mode) ||
                fstatat(fd, "etc", &st, 0) < 0 || !S_ISDIR(st.st_mode))
                return error_setf(ret_error, -ENOENT,
                        "--sos '%s': not an sos report (no sos_commands/ and etc/ in it)", arg);
        *ret = TAKE_PTR(real);
        return 0;
}

/* --sos PATH: a directory as it is; a file is an archive, extracted into a private directory
 * (sos-extract.h) whose one top directory is the report. */
static int sos_resolve(Modes *m, const char *arg)
{
        _cleanup_free_ char *top = NULL;
        struct stat st;
        int r;

        if (!*arg)
                return error_setf(&m->error, -EINVAL, "--sos: an empty path names no report");
        if (stat(arg, &st) < 0)
                return error_setf(&m->error, -errno, "--sos '%s': %s", arg, strerror(errno));
        if (S_ISDIR(st.st_mode))
                return sos_dir_check(arg, &m->sos_root, &m->error);
        if (!S_ISREG(st.st_mode))
                return error_setf(&m->error, -EINVAL, "--sos '%s': neither a directory nor an archive", arg);
        r = sos_extract(arg, &m->sos_tmp, &top, &m->error);
        if (r < 0)
                return r;
        return sos_dir_check(top, &m->sos_root, &m->error);
}

int modes_resolve(Modes *m, const char *command, const char *host_root, const char *sos, GlobalOptions *g)
{
        const char *option = host_root ? "--host-root" : "--sos";
        int r = 0;

        if (!host_root && !sos)
                return 0;
        if (!streq(command, "audit") && !streq(command, "facts"))
                r = error_setf(
                        &m->error, -EINVAL, "%s: only audit and facts read it, not %s", option, command);
        else if (host_root && sos)
                r = error_setf(&m->error, -EINVAL, "--host-root and --sos: one at a time");
        else if (g->root)
                r = error_setf(&m->error, -EINVAL, "--root and %s: one at a time", option);
        else if (host_root)
                r = parse_root_as("--host-root", host_root, &m->host_root, &m->error);
        else
                r = sos_resolve(m, sos);
        if (r == -ENOMEM && !m->error)
                return r;
        if (m->error) {
                g->root_error = m->error;
                return 0;
        }
        g->host_root = m->host_root;
        g->sos = m->sos_root;
        return 0;
}
