/* SPDX-License-Identifier: MIT */
/* dockerd's storage as configured (dockerd.data_root, dockerd.storage_driver) and the
 * filesystem under its data root (storage.fs_type, storage.d_type), looked at read-only:
 * statfs(2) for the type, and the d_type of the directory entries readdir(3) returns. Docker's
 * own check (moby's fs.SupportsDType) creates a file to read it back; an auditor must not
 * write, so the entries already there are read instead. Also Docker's cgroup driver when the
 * daemon did not say it (docker.cgroup_driver_effective). */
#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#include "basic/env-util.h"
#include "basic/root-file.h"
#include "collect/collect.h"
#include "formats/daemon-json.h"
#include "formats/dockerd-options.h"
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

/* dockerd's storage and cgroup options as configured: the flags of dockerd.argv (the last of
 * each wins, as pflag assigns), else daemon.json (both at once make dockerd refuse to start:
 * option-set-twice says so). */
typedef struct DockerdStorageConfig {
        char *data_root, *data_root_src; /* NULL: not configured */
        char *driver, *driver_src;
        char *cgroup_driver, *cgroup_driver_src;
        char *daemon_json; /* the file read, for the sources of defaults */
} DockerdStorageConfig;

static void dockerd_storage_config_done(DockerdStorageConfig *c)
{
        free(c->data_root);
        free(c->data_root_src);
        free(c->driver);
        free(c->driver_src);
        free(c->cgroup_driver);
        free(c->cgroup_driver_src);
        free(c->daemon_json);
        *c = (DockerdStorageConfig){};
}

static int set_pair(char **v, char **src, const char *value, const char *source)
{
        free(*v);
        free(*src);
        *v = strdup(value);
        *src = strdup(source);
        return *v && *src ? 0 : -ENOMEM;
}

/* The flags of dockerd.argv (its source stands for every flag's). */
static int config_from_argv(const Fact *argv, DockerdStorageConfig *c)
{
        _cleanup_(expanded_argv_done) ExpandedArgv a = {};
        _cleanup_(dockerd_options_done) DockerdOptions opts = {};
        size_t n = strv_length(argv->list);
        int r;

        if (!(a.v = calloc(n + 1, sizeof *a.v)))
                return -ENOMEM;
        for (; a.n < n; a.n++)
                if (!(a.v[a.n].text = strdup(argv->list[a.n])))
                        return -ENOMEM;
        if ((r = dockerd_options_parse(&a, &opts)) < 0)
                return r;
        for (size_t i = 0; i < opts.n; i++) {
                const DockerdOption *o = &opts.v[i];
                _cleanup_free_ char *cd = NULL;

                if (!o->value)
                        continue;
                if (streq(o->json_key, "data-root") || streq(o->json_key, "graph"))
                        r = set_pair(&c->data_root, &c->data_root_src, o->value, argv->source);
                else if (streq(o->json_key, "storage-driver"))
                        r = set_pair(&c->driver, &c->driver_src, o->value, argv->source);
                else if (streq(o->json_key, "exec-opts") && !c->cgroup_driver &&
                         (r = dockerd_exec_opt_cgroup_driver(o->value, &cd)) > 0)
                        r = set_pair(&c->cgroup_driver, &c->cgroup_driver_src, cd, argv->source);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* One string key of daemon.json into v/src unless a flag set it. */
static int config_json_string(const DaemonJson *d, const char *key, char **v, char **src)
{
        const char *s = json_string_value(json_object_get(d->root, key));
        _cleanup_free_ char *origin = NULL;

        if (*v || !s)
                return 0;
        origin = strdupf("%s:%u", d->path, daemon_json_key_line(d, key));
        return origin ? set_pair(v, src, s, origin) : -ENOMEM;
}

static int config_from_daemon_json(const CollectOptions *o, const Facts *f, DockerdStorageConfig *c)
{
        _cleanup_(daemon_json_done) DaemonJson d = {};
        _cleanup_free_ char *data = NULL;
        const char *path = facts_get_string(f, "daemon_json.path");
        json_t *opts, *x;
        size_t size, i;
        int r;

        if (!path || facts_get_bool(f, "daemon_json.valid") != 1)
                return 0;
        if (!(c->daemon_json = strdup(path)))
                return -ENOMEM;
        r = root_read_file(collect_files_root(o), path, &data, &size);
        if (r == -ENOMEM)
                return r;
        if (r < 0 || daemon_json_parse(path, data, size, &d, NULL) < 0)
                return 0; /* read a moment ago: changed since, and collect-dockerd said what it saw */
        if ((r = config_json_string(&d, "data-root", &c->data_root, &c->data_root_src)) < 0 ||
                (r = config_json_string(&d, "graph", &c->data_root, &c->data_root_src)) < 0 ||
                (r = config_json_string(&d, "storage-driver", &c->driver, &c->driver_src)) < 0)
                return r;
        opts = json_object_get(d.root, "exec-opts");
        json_array_foreach(opts, i, x)
        {
                _cleanup_free_ char *cd = NULL, *origin = NULL;

                if (c->cgroup_driver || !json_is_string(x))
                        break;
                if ((r = dockerd_exec_opt_cgroup_driver(json_string_value(x), &cd)) <= 0) {
                        if (r < 0)
                                return r;
                        continue;
                }
                origin = strdupf("%s:%u", d.path, daemon_json_key_line(&d, "exec-opts"));
                if (!origin || set_pair(&c->cgroup_driver, &c->cgroup_driver_src, cd, origin) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* dockerd's default data root: /var/lib/docker; rootless, $XDG_DATA_HOME/docker, else
 * ~/.local/share/docker (of our environment: the user manager's is not kept this far). */
static int default_data_root(const CollectOptions *o, char **ret)
{
        const char *xdg = env_get_nonempty(NULL, "XDG_DATA_HOME"), *home = env_get_nonempty(NULL, "HOME");

        if (!o->user)
                *ret = strdup("/var/lib/docker");
        else if (xdg)
                *ret = strdupf("%s/docker", xdg);
        else if (home)
                *ret = strdupf("%s/.local/share/docker", home);
        else
                return 0;
        return *ret ? 1 : -ENOMEM;
}

/* dockerd.data_root and dockerd.storage_driver. Without dockerd's command line (argv unknown),
 * only daemon.json can tell: a default would be a guess. */
static int config_facts(Facts *f, const CollectOptions *o, const DockerdStorageConfig *c, const Fact *argv)
{
        _cleanup_free_ char *def = NULL, *src = NULL;
        const char *dj = c->daemon_json ? c->daemon_json : "daemon.json";
        const char *why = argv ? argv->reason : "dockerd's command line was not collected";
        int r;

        if (!c->data_root && (!argv || !argv->known))
                r = facts_set_unknown(f, "dockerd.data_root", "%s", strempty(why));
        else if (c->data_root)
                r = facts_set_string(f, "dockerd.data_root", c->data_root, c->data_root_src);
        else if ((r = default_data_root(o, &def)) < 0)
                return r;
        else if (r == 0)
                r = facts_set_unknown(
                        f, "dockerd.data_root", "rootless default: neither $XDG_DATA_HOME nor $HOME is set");
        else {
                if (!(src = strdupf("dockerd default: no --data-root flag and no \"data-root\" in %s", dj)))
                        return -ENOMEM;
                r = facts_set_string(f, "dockerd.data_root", def, src);
        }
        if (r < 0)
                return r;
        if (c->driver)
                return facts_set_string(f, "dockerd.storage_driver", c->driver, c->driver_src);
        if (!argv || !argv->known)
                return facts_set_unknown(f, "dockerd.storage_driver", "%s", strempty(why));
        free(src);
        if (!(src = strdupf("dockerd default: no --storage-driver flag and no \"storage-driver\" in %s "
                            "(dockerd picks one)",
                      dj)))
                return -ENOMEM;
        return facts_set_string(f, "dockerd.storage_driver", "", src);
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

/* Docker's cgroup driver: what the daemon says, else native.cgroupdriver, else moby's
 * default (daemon_unix.go UsingSystemd(), 20.10 on): systemd on a unified (v2) hierarchy of
 * a host booted with systemd, else cgroupfs ("none" for rootless dockerd on v1: the user
 * manager of a user other than root). */
static int cgroup_driver_fact(
        Facts *f, const CollectOptions *o, const DockerdStorageConfig *c, const Fact *argv)
{
        const Fact *api = facts_get(f, "docker.cgroup_driver");
        struct statfs sfs;
        struct stat st;
        bool v2, systemd;

        if (api && api->known)
                return facts_set_string(f, "docker.cgroup_driver_effective", api->str, api->source);
        if (c->cgroup_driver)
                return facts_set_string(
                        f, "docker.cgroup_driver_effective", c->cgroup_driver, c->cgroup_driver_src);
        if (!argv || !argv->known)
                return facts_set_unknown(f, "docker.cgroup_driver_effective", "%s",
                        argv ? strempty(argv->reason) : "dockerd's command line was not collected");
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
        _cleanup_(dockerd_storage_config_done) DockerdStorageConfig c = {};
        const Fact *argv = facts_get(f, "dockerd.argv");
        int r;

        if (argv && argv->known && (r = config_from_argv(argv, &c)) < 0)
                return r;
        if ((r = config_from_daemon_json(o, f, &c)) < 0 || (r = config_facts(f, o, &c, argv)) < 0 ||
                (r = probe_facts(f, o)) < 0)
                return r;
        return cgroup_driver_fact(f, o, &c, argv);
}
