/* SPDX-License-Identifier: MIT */
#include "leaks/leaks-release.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "formats/mountinfo.h"
#include "leaks/leaks-dockerd.h"
#include "leaks/proc-read.h"

static int path_depth_cmp(const void *a, const void *b)
{
        /* Reverse byte order puts "/x/a/b" before "/x/a": children are detached first. */
        return -strcmp(*(char *const *) a, *(char *const *) b);
}

/* Below root_dir, by its components: no "." or ".." that could lead out of it. */
static bool mount_point_allowed(const char *path, const char *root_dir)
{
        if (!path_is_under(path, root_dir) || streq(path, root_dir))
                return false;
        for (const char *p = path; *p;) {
                size_t l = strcspn(p, "/");

                if ((l == 1 && p[0] == '.') || (l == 2 && p[0] == '.' && p[1] == '.'))
                        return false;
                p += l;
                p += *p == '/';
        }
        return true;
}

static void child_release(int nsfd, int out, const char *root_dir, char **order, size_t n)
{
        if (setns(nsfd, CLONE_NEWNS) < 0) {
                int e = -errno;

                (void) !write(out, &e, sizeof e);
                _exit(1);
        }
        {
                int ok = 0;

                (void) !write(out, &ok, sizeof ok);
        }
        for (size_t i = 0; i < n; i++) {
                int res = 0;

                if (!mount_point_allowed(order[i], root_dir))
                        res = -EPERM;
                else if (umount2(order[i], MNT_DETACH | UMOUNT_NOFOLLOW) < 0)
                        res = -errno;
                (void) !write(out, &res, sizeof res);
        }
        _exit(0);
}

/* Reads what child_release() reports: setns' outcome, then one result per umount in order,
 * each within PROC_READ_TIMEOUT_MS (an umount waits for the namespace's mount lock, which a
 * process in uninterruptible sleep can hold): -ETIME for the rest then. results[] follows
 * mount_points' order, not the umount order. Returns -ETIME too, to have the child killed. */
static int read_results(int fd, pid_t pid, ino_t ino, char *const *mount_points, char *const *order,
        size_t n, int *results, char **ret_error)
{
        int first, r = 0;

        if (proc_read_exact(fd, &first, sizeof first, PROC_READ_TIMEOUT_MS) < 0)
                first = -EIO;
        if (first < 0)
                return error_setf(ret_error, first, "setns into mnt:[%lu] (via pid %ld): %s",
                        (unsigned long) ino, (long) pid, strerror(-first));
        for (size_t i = 0; i < n; i++) {
                int res = 0;

                if (r == 0)
                        r = proc_read_exact(fd, &res, sizeof res, PROC_READ_TIMEOUT_MS);
                if (r < 0)
                        res = r;
                for (size_t k = 0; k < n; k++)
                        if (mount_points[k] == order[i])
                                results[k] = res;
        }
        return r == -ETIME ? r : 0;
}

/* What must hold before anything is entered or detached: see leaks-release.h. */
static int release_guard(const LeakReport *rep, const char *proc, pid_t pid, dev_t dev, ino_t ino,
        char *const *mount_points, char **ret_error)
{
        int r;

        if (!rep->root_dir)
                return error_setf(ret_error, -EPERM, "Docker's root dir is not known: nothing released");
        if (!rep->dockerd_known)
                return error_setf(ret_error, -EPERM,
                        "dockerd's mount namespace is not known: nothing released (pass --dockerd-pid)");
        if (dev == rep->ref_dev && ino == rep->ref_ino)
                return error_setf(ret_error, -EPERM, "mnt:[%lu] is dockerd's namespace: never released",
                        (unsigned long) ino);
        r = leaks_pid_is_dockerd(proc, pid);
        if (r != 0)
                return error_setf(ret_error, -EPERM, "pid %ld %s: its namespace is not entered", (long) pid,
                        r > 0 ? "runs dockerd" : "could not be checked for dockerd");
        for (char *const *m = mount_points; m && *m; m++)
                if (!mount_point_allowed(*m, rep->root_dir))
                        return error_setf(
                                ret_error, -EPERM, "%s is not below %s: not touched", *m, rep->root_dir);
        return 0;
}

int leaks_release(const LeakReport *rep, const char *proc, pid_t pid, dev_t dev, ino_t ino,
        char *const *mount_points, int *results, char **ret_error)
{
        const char *root_dir = rep->root_dir;
        _cleanup_free_ char **order = NULL;
        _cleanup_close_ int nsfd = -1;
        char path[128];
        struct stat st;
        size_t n = strv_length(mount_points);
        int fd, r = 0;
        pid_t child;

        proc = proc ? proc : "/proc";
        r = release_guard(rep, proc, pid, dev, ino, mount_points, ret_error);
        if (r < 0)
                return r;
        (void) snprintf(path, sizeof path, "%s/%ld/ns/mnt", proc, (long) pid);
        nsfd = open(path, O_RDONLY | O_CLOEXEC);
        if (nsfd < 0)
                return error_setf(ret_error, -errno, "%s: %s", path, strerror(errno));
        /* The pid may have been reused since the scan. */
        if (fstat(nsfd, &st) < 0 || st.st_dev != dev || st.st_ino != ino)
                return error_setf(ret_error, -ESRCH, "%s is no longer mount namespace mnt:[%lu]", path,
                        (unsigned long) ino);
        order = malloc((n + 1) * sizeof(char *));
        if (!order)
                return -ENOMEM;
        memcpy(order, mount_points, n * sizeof(char *));
        qsort(order, n, sizeof(char *), path_depth_cmp);
        child = proc_fork_pipe(&fd);
        if (child < 0)
                return child;
        if (child == 0)
                child_release(nsfd, fd, root_dir, order, n);
        r = read_results(fd, pid, ino, mount_points, order, n, results, ret_error);
        close(fd);
        proc_child_end(child, r == -ETIME);
        return r == -ETIME ? 0 : r;
}

void leak_release_done(LeakRelease *rel)
{
        free(rel->mount_points);
        free(rel->results);
        free(rel->error);
        *rel = (LeakRelease){};
}

const char *leak_release_error(const LeakRelease *rel, size_t i)
{
        if (rel->r < 0)
                return rel->error ? rel->error : strerror(-rel->r);
        return rel->results[i] < 0 ? strerror(-rel->results[i]) : NULL;
}

int leaks_release_namespace(const LeakReport *rep, const char *proc, size_t nsi, LeakRelease *ret)
{
        const LeakNamespace *ns = &rep->namespaces[nsi];
        _cleanup_(leak_release_done) LeakRelease rel = {.r = -ESRCH};

        rel.mount_points = calloc(rep->n_leaks + 1, sizeof(char *));
        rel.results = calloc(rep->n_leaks + 1, sizeof(int));
        if (!rel.mount_points || !rel.results)
                return -ENOMEM;
        for (size_t i = 0; i < rep->n_leaks; i++)
                if (rep->leaks[i].ns == nsi)
                        rel.mount_points[rel.n++] = rep->leaks[i].mount_point;
        /* Enter through the first holder still alive. */
        for (size_t k = 0; k < ns->n_holders && (rel.r == -ESRCH || rel.r == -ENOENT); k++) {
                free(rel.error);
                rel.error = NULL;
                rel.r = leaks_release(rep, proc, ns->holders[k].pid, ns->dev, ns->ino, rel.mount_points,
                        rel.results, &rel.error);
        }
        if (rel.r == -ENOMEM)
                return -ENOMEM;
        *ret = rel;
        rel = (LeakRelease){};
        return 0;
}

int leaks_remove_dead(const char *socket_path, const DockerContainer *c, char **ret_error)
{
        if (!docker_container_is_dead(c))
                return error_setf(
                        ret_error, -EBUSY, "container %s is %s, not dead: not removed", c->name, c->state);
        return docker_api_remove_container(socket_path, c->id, ret_error);
}
