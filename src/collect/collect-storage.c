/* SPDX-License-Identifier: MIT */
/* The filesystem under dockerd's data root (storage.fs_type, storage.d_type), looked at
 * read-only: statfs(2) for the type, and the d_type of the directory entries readdir(3)
 * returns. Docker's own check (moby's fs.SupportsDType) creates a file to read it back; an
 * auditor must not write, so the entries already there are read instead. The data root is the
 * daemon's, else the configured one (dockerd.data_root, from collect-dockerd-config.c). Also
 * Docker's cgroup driver when the daemon did not say it (docker.cgroup_driver_effective). */
#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#include "basic/root-file.h"
#include "collect/collect.h"
#include "systemd/unit-lookup.h"

/* The names moby gives filesystem magics (daemon/graphdriver FsNames, /info "Backing
 * Filesystem"), so that storage.fs_type and docker.backing_fs compare. */
static const struct {
        unsigned long magic;
        const char *name;
} fs_names[] = {
        {0x61756673, "aufs"},
        {0x9123683E, "btrfs"},
        {0x28cd3d45, "cramfs"},
        {0xf15f, "ecryptfs"},
        {0xEF53, "extfs"},
        {0xF2F52010, "f2fs"},
        {0x47504653, "gpfs"},
        {0x000072b6, "jffs2"},
        {0x3153464a, "jfs"},
        {0x6969, "nfs"},
        {0x794c7630, "overlayfs"},
        {0x858458f6, "ramfs"},
        {0x52654973, "reiserfs"},
        {0x517B, "smb"},
        {0xFE534D42, "smb2"},
        {0x73717368, "squashfs"},
        {0x01021994, "tmpfs"},
        {0x15013346, "udf"},
        {0x58465342, "xfs"},
        {0x2fc12fc1, "zfs"},
        {0x65735546, "fuse"},
        {0x4d44, "msdos"},
};

const char *storage_fs_name(unsigned long magic)
{
        for (size_t i = 0; i < ELEMENTSOF(fs_names); i++)
                if (fs_names[i].magic == (magic & 0xffffffffUL))
                        return fs_names[i].name;
        return NULL;
}

void storage_probe_done(StorageProbe *p)
{
        free(p->dir);
        free(p->fs_type);
        free(p->reason);
        *p = (StorageProbe){};
}

/* The directory path inside root (NULL or "/": this host), following symlinks as if root were
 * "/": openat2(RESOLVE_IN_ROOT), else (kernels before 5.6, such as RHEL 8's, and valgrind)
 * the path resolved component by component inside root by unit_lookup_chase(). */
static int open_dir_in(const char *root, const char *path)
{
        const int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK;
        _cleanup_close_ int rootfd = -1;
        _cleanup_free_ char *canonical = NULL, *joined = NULL;
        struct open_how how = {.flags = flags, .resolve = RESOLVE_IN_ROOT};
        long fd;
        int r;

        if (root_is_host(root)) {
                fd = open(path, flags);
                return fd < 0 ? -errno : (int) fd;
        }
        rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0)
                return -errno;
        fd = syscall(SYS_openat2, rootfd, path, &how, sizeof how);
        if (fd >= 0)
                return (int) fd;
        if (errno != ENOSYS && errno != EPERM)
                return -errno;
        if ((r = unit_lookup_chase(root, path, &canonical)) < 0)
                return r;
        if (!(joined = root_path(root, canonical)))
                return -ENOMEM;
        fd = open(joined, flags | O_NOFOLLOW);
        return fd < 0 ? -errno : (int) fd;
}

/* 1 when an entry other than "." and ".." has a type, 0 when one is DT_UNKNOWN (the
 * filesystem fills in no d_type: XFS with ftype=0 and ext2/3/4 without the filetype feature
 * still say DT_DIR for "." and ".."), -ENODATA when there is no other entry. Takes fd. */
static int read_d_type(int fd)
{
        DIR *d = fdopendir(fd);
        struct dirent *de;
        int r = -ENODATA;

        if (!d) {
                r = -errno;
                close(fd);
                return r;
        }
        while ((errno = 0, de = readdir(d))) {
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (de->d_type == DT_UNKNOWN) {
                        r = 0;
                        break;
                }
                r = 1;
        }
        if (!de && errno != 0)
                r = -errno;
        closedir(d);
        return r;
}

/* Cuts the last component off an absolute path in place; false at "/". */
static bool path_up(char *path)
{
        char *slash = strrchr(path, '/');

        if (!slash || streq(path, "/"))
                return false;
        if (slash == path)
                path[1] = 0;
        else
                *slash = 0;
        return true;
}

/* The nearest existing directory at or above path (path is cut to it). */
static int open_nearest(const char *root, char *path)
{
        for (;;) {
                int fd = open_dir_in(root, path);

                if (fd >= 0 || (fd != -ENOENT && fd != -ENOTDIR) || !path_up(path))
                        return fd;
        }
}

static int probe_reason(StorageProbe *p, const char *what, const char *dir, int err)
{
        free(p->reason);
        p->reason = strdupf("%s %s: %s", what, dir, strerror(-err));
        return p->reason ? 0 : -ENOMEM;
}

/* Reads the entries of fd's directory (cur), then of its parents on the same filesystem
 * while they have none but "." and "..". */
static int probe_d_type(const char *root, int fd, char *cur, dev_t dev, StorageProbe *p)
{
        struct stat st;
        int r;

        for (;;) {
                r = read_d_type(fd);
                if (r >= 0) {
                        p->d_type = r;
                        free(p->dir);
                        return (p->dir = strdup(cur)) ? 0 : -ENOMEM;
                }
                if (r != -ENODATA)
                        return probe_reason(p, "cannot read the directory", cur, r);
                if (!path_up(cur))
                        break;
                fd = open_dir_in(root, cur);
                if (fd < 0)
                        break;
                if (fstat(fd, &st) < 0 || st.st_dev != dev) {
                        close(fd);
                        break;
                }
        }
        p->reason = strdupf("no directory entry to read on the %s filesystem of %s (empty, and its "
                            "parent is on another filesystem)",
                p->fs_type, p->dir);
        return p->reason ? 0 : -ENOMEM;
}

int storage_probe(const char *root, const char *path, StorageProbe *ret)
{
        _cleanup_(storage_probe_done) StorageProbe p = {.d_type = -1};
        _cleanup_free_ char *cur = strdup(path);
        _cleanup_close_ int fd = -1;
        const char *name;
        struct statfs sfs;
        struct stat st;
        int r = 0;

        if (!cur)
                return -ENOMEM;
        fd = open_nearest(root, cur);
        if (fd == -ENOMEM)
                return fd;
        if (!(p.dir = strdup(cur)))
                return -ENOMEM;
        if (fd < 0)
                r = probe_reason(&p, "cannot open", cur, fd);
        else if (fstatfs(fd, &sfs) < 0 || fstat(fd, &st) < 0)
                r = probe_reason(&p, "cannot statfs", cur, -errno);
        else {
                name = storage_fs_name((unsigned long) sfs.f_type);
                p.fs_type = name ? strdup(name) : strdupf("0x%lx", (unsigned long) sfs.f_type);
                if (!p.fs_type)
                        return -ENOMEM;
                r = probe_d_type(root, TAKE_FD(fd), cur, st.st_dev, &p);
        }
        if (r < 0)
                return r;
        *ret = TAKE_STRUCT(p);
        return 0;
}

/* storage.fs_type and storage.d_type of dockerd's data root: the daemon's own DockerRootDir
 * when it answered, else the configured one; seen from dockerd's mount namespace
 * (/proc/PID/root) when it runs, inside --root offline. */
static int probe_facts(Facts *f, const CollectOptions *o)
{
        static const char *const names[] = {"storage.fs_type", "storage.d_type"};
        _cleanup_(storage_probe_done) StorageProbe p = {};
        _cleanup_free_ char *proc_root = NULL, *shown = NULL, *src = NULL;
        const char *dir = facts_get_string(f, "docker.root_dir"), *root = collect_files_root(o);
        const Fact *pid = facts_get(f, "unit.main_pid");
        int r;

        if (o->sos)
                return facts_set_unknown_all(f, names, ELEMENTSOF(names),
                        "an sos report holds no file system to look at (docker info says what dockerd "
                        "saw: docker.supports_d_type)");
        if (!dir)
                dir = facts_get_string(f, "dockerd.data_root");
        if (!dir || dir[0] != '/')
                return facts_set_unknown_all(f, names, ELEMENTSOF(names),
                        dir ? "dockerd's data root is not an absolute path"
                            : "dockerd's data root is unknown");
        if (!o->root && pid && pid->known && pid->num > 0) {
                if (!(proc_root = strdupf("/proc/%lld/root", pid->num)))
                        return -ENOMEM;
                if (access(proc_root, X_OK) == 0)
                        root = proc_root;
        }
        if ((r = storage_probe(root, dir, &p)) < 0)
                return r;
        if (!(shown = root_path(root, p.dir)))
                return -ENOMEM;
        if (!p.fs_type)
                return facts_set_unknown_all(f, names, ELEMENTSOF(names), p.reason);
        if (!(src = strdupf("statfs %s", shown)) ||
                (r = facts_set_string(f, "storage.fs_type", p.fs_type, src)) < 0)
                return src ? r : -ENOMEM;
        if (p.d_type < 0)
                return facts_set_unknown(f, "storage.d_type", "%s", p.reason);
        free(src);
        if (!(src = strdupf("readdir %s (d_type of its entries)", shown)))
                return -ENOMEM;
        return facts_set_bool(f, "storage.d_type", p.d_type == 1, src);
}

/* Docker's cgroup driver: what the daemon says, else native.cgroupdriver as configured
 * (dockerd.cgroup_driver, collect-dockerd-config.c), else moby's default (daemon_unix.go
 * UsingSystemd(), 20.10 on): systemd on a unified (v2) hierarchy of a host booted with systemd,
 * else cgroupfs ("none" for rootless dockerd on v1: the user manager of a user other than
 * root). Unknown without dockerd's command line. */
static int cgroup_driver_fact(Facts *f, const CollectOptions *o)
{
        const Fact *api = facts_get(f, "docker.cgroup_driver"),
                   *conf = facts_get(f, "dockerd.cgroup_driver"), *argv = facts_get(f, "dockerd.argv");
        struct statfs sfs;
        struct stat st;
        bool v2, systemd;

        if (api && api->known)
                return facts_set_string(f, "docker.cgroup_driver_effective", api->str, api->source);
        if (conf && conf->known && conf->str && conf->str[0])
                return facts_set_string(f, "docker.cgroup_driver_effective", conf->str, conf->source);
        if (!argv || !argv->known)
                return facts_set_unknown(f, "docker.cgroup_driver_effective", "%s",
                        argv ? strempty(argv->reason) : "dockerd's command line was not collected");
        /* dockerd.cgroup_driver is "", or unknown for a refused daemon.json whose flags set none */
        if (o->root)
                return facts_set_unknown(f, "docker.cgroup_driver_effective",
                        "offline (--root) and no native.cgroupdriver exec-opt: dockerd's default depends on "
                        "the cgroup version of the host that boots the image");
        if (statfs("/sys/fs/cgroup", &sfs) < 0)
                return facts_set_unknown(f, "docker.cgroup_driver_effective",
                        "no native.cgroupdriver exec-opt, and statfs /sys/fs/cgroup failed: %s",
                        strerror(errno));
        v2 = sfs.f_type == CGROUP2_SUPER_MAGIC;
        systemd = stat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
        return facts_set_string(f, "docker.cgroup_driver_effective",
                v2 && systemd ? "systemd" : (o->user && getuid() != 0 && !v2 ? "none" : "cgroupfs"),
                v2 ? (systemd ? "dockerd default (20.10+): no native.cgroupdriver exec-opt, cgroup v2 "
                                "(statfs /sys/fs/cgroup) and booted with systemd (/run/systemd/system)"
                              : "dockerd default: no native.cgroupdriver exec-opt, cgroup v2 (statfs "
                                "/sys/fs/cgroup) but not booted with systemd (no /run/systemd/system)")
                   : "dockerd default: no native.cgroupdriver exec-opt, cgroup v1 (statfs /sys/fs/cgroup)");
}

int collect_storage(Facts *f, const CollectOptions *o)
{
        int r = probe_facts(f, o);

        return r < 0 ? r : cgroup_driver_fact(f, o);
}
