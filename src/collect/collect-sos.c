/* SPDX-License-Identifier: MIT */
/* sos mode (--sos): the facts of the host an sos report was taken on. The report's tree is a
 * root (etc/, proc/, sys/ as copied) read as --root reads one; what sos ran is under
 * sos_commands/, at the paths insights-core maps (RedHatInsights/insights-core
 * insights/specs/sos_archive.py, commit 002513ff9de5cf8f4fbde0d4a6c029d11264ce68):
 *   systemctl_show_all_services  sos_commands/systemd/systemctl_show_service_--all
 *   docker_info                  sos_commands/docker/docker_info
 *   docker_list_containers       sos_commands/docker/docker_ps_-a
 *   uname                        sos_commands/kernel/uname_-a
 *   sysctl                       sos_commands/kernel/sysctl_-a
 * The unit comes from `systemctl show` when the report has it (the manager's view, as over
 * D-Bus), else from the unit files (the offline loader); the kernel from uname; live-restore,
 * the storage driver and the root dir from docker info. What a report cannot hold (other
 * processes' mount namespaces, the container list) is unknown with that reason. */
#include "basic/root-file.h"
#include "collect/collect-dockerd.h"
#include "collect/collect-unit-override.h"
#include "formats/docker-info-text.h"
#include "formats/unit-show.h"

#define SOS_SHOW "sos_commands/systemd/systemctl_show_service_--all"
#define SOS_MANAGER "sos_commands/systemd/systemctl_show_--all"
#define SOS_DOCKER_INFO "sos_commands/docker/docker_info"
#define SOS_DOCKER_VERSION "sos_commands/docker/docker_version"
#define SOS_DOCKER_PS "sos_commands/docker/docker_ps_-a"
#define SOS_UNAME "sos_commands/kernel/uname_-a"
#define SOS_SYSCTL "sos_commands/kernel/sysctl_-a"

/* A file of the report (inside it: links cannot leave). -ENOENT when absent. */
static int sos_read(const CollectOptions *o, const char *rel, char **ret, size_t *ret_size)
{
        _cleanup_free_ char *p = strdupf("/%s", rel);

        return p ? root_read_file(o->sos, p, ret, ret_size) : -ENOMEM;
}

/* "SOSDIR/REL" for sources. */
static char *sos_path(const CollectOptions *o, const char *rel)
{
        return strdupf("%s/%s", o->sos, rel);
}

/* systemd.version: the manager's Version= (systemctl show --all: its first block). */
static int manager_version(const CollectOptions *o, char **ret)
{
        _cleanup_free_ char *data = NULL;
        _cleanup_(systemctl_show_done) SystemctlShow s = {};
        _cleanup_free_ char *err = NULL;
        size_t size;
        const ShowProperty *v;
        int r;

        *ret = NULL;
        r = sos_read(o, SOS_MANAGER, &data, &size);
        if (r == -ENOMEM)
                return r;
        if (r < 0 || systemctl_show_parse(data, size, &s, &err) < 0 || s.n == 0)
                return 0;
        v = show_block_get(&s.v[0], "Version");
        if (v && !(*ret = strdup(v->value)))
                return -ENOMEM;
        return 0;
}

/* The unit's files as the report has them, parsed our way (for file:line). */
static int sos_unit_settings(const CollectOptions *o, const UnitInfo *u, UnitSettings *s)
{
        int r;

        unit_settings_init(
                s, &(SpecifierContext){
                           .unit_name = o->unit, .user = o->user, .runtime_dir = "/run", .home = "/root"});
        r = unit_settings_load_paths(s, o->sos, u->fragment_path, u->dropin_paths);
        return r < 0 ? r : unit_settings_finish(s);
}

int collect_sos_unit(const CollectOptions *o, UnitInfo *u, UnitSettings *s, char **ret_why)
{
        _cleanup_free_ char *data = NULL, *err = NULL, *shown = sos_path(o, SOS_SHOW);
        _cleanup_(systemctl_show_done) SystemctlShow show = {};
        const ShowBlock *b;
        unsigned line = 0;
        size_t size;
        int r;

        if (!shown)
                return -ENOMEM;
        r = sos_read(o, SOS_SHOW, &data, &size);
        if (r == -ENOENT)
                return 0; /* no systemctl show: the offline loader */
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return (*ret_why = strdupf("%s: %s", shown, strerror(-r))) ? 1 : -ENOMEM;
        r = systemctl_show_parse(data, size, &show, &err);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return (*ret_why = strdupf("%s: %s", shown, strempty(err))) ? 1 : -ENOMEM;
        b = systemctl_show_find(&show, o->unit);
        if (!b)
                return 0; /* the report was taken without the unit loaded: its files */
        r = unit_info_from_show(b, u, &err, &line);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return (*ret_why = strdupf("%s:%u: %s", shown, line, strempty(err))) ? 1 : -ENOMEM;
        if ((r = manager_version(o, &u->manager_version)) < 0 || (r = sos_unit_settings(o, u, s)) < 0)
                return r;
        return 1;
}

/* kernel.release from uname -a (its third field), else proc/sys/kernel/osrelease. */
static int sos_kernel_release(Facts *f, const CollectOptions *o)
{
        _cleanup_free_ char *data = NULL, *src = sos_path(o, SOS_UNAME);
        char *p, *rel;
        int r;

        if (!src)
                return -ENOMEM;
        r = sos_read(o, SOS_UNAME, &data, NULL);
        if (r == -ENOMEM)
                return r;
        if (r >= 0) {
                p = data;
                (void) strsep(&p, " \t\n");
                (void) strsep(&p, " \t\n");
                rel = p ? strsep(&p, " \t\n") : NULL;
                if (rel && *rel)
                        return facts_set_string(f, "kernel.release", rel, src);
        }
        free(src);
        if (!(src = sos_path(o, "proc/sys/kernel/osrelease")))
                return -ENOMEM;
        free(data);
        data = NULL;
        r = sos_read(o, "/proc/sys/kernel/osrelease", &data, NULL);
        if (r == -ENOMEM)
                return r;
        if (r >= 0 && *strstrip(data))
                return facts_set_string(f, "kernel.release", strstrip(data), src);
        return facts_set_unknown(f, "kernel.release", "neither %s nor %s in the sos report", SOS_UNAME,
                "proc/sys/kernel/osrelease");
}

/* kernel.may_detach_mounts from sysctl -a ("fs.may_detach_mounts = 1"); not listed there: the
 * kernel has no such sysctl. Without sysctl -a: the sysctl.d files (offline reading). */
static int sos_may_detach(Facts *f, const CollectOptions *o)
{
        _cleanup_free_ char *data = NULL, *src = sos_path(o, SOS_SYSCTL);
        long long v;
        int r;

        if (!src)
                return -ENOMEM;
        r = sos_read(o, SOS_SYSCTL, &data, NULL);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return facts_set_unknown(
                        f, "kernel.may_detach_mounts", "no %s in the sos report", SOS_SYSCTL);
        for (char *p = data, *line; (line = strsep(&p, "\n"));) {
                const char *val = startswith(line, "fs.may_detach_mounts = ");

                if (!val)
                        continue;
                if (safe_atoi64(strstrip((char *) val), &v) < 0)
                        return facts_set_unknown(
                                f, "kernel.may_detach_mounts", "%s: not a number: \"%s\"", src, val);
                return facts_set_number(f, "kernel.may_detach_mounts", v, src);
        }
        return facts_set_unknown(f, "kernel.may_detach_mounts", "%s: not present on that kernel", src);
}

static int sos_kernel(Facts *f, const CollectOptions *o)
{
        int r;

        if ((r = sos_kernel_release(f, o)) < 0 || (r = kernel_derive_facts(f)) < 0 ||
                (r = sos_may_detach(f, o)) < 0)
                return r;
        return facts_set_unknown(f, "kernel.installed", "an sos report names the running kernel only");
}

static const char *const docker_facts[] = {"docker.running", "docker.api_version", "docker.live_restore",
        "docker.server_version", "docker.storage_driver", "docker.root_dir", "docker.swarm_state",
        "docker.cgroup_driver", "docker.backing_fs", "docker.supports_d_type"};

static int sos_docker_facts(Facts *f, const DockerInfo *i, const char *src)
{
        /* The string facts and the docker info line each comes from (its name when missing). */
        const struct {
                const char *fact, *value, *line;
        } strings[] = {
                {"docker.storage_driver", i->driver, "Storage Driver"},
                {"docker.root_dir", i->root_dir, "Docker Root Dir"},
                {"docker.swarm_state", i->swarm_state, "Swarm"},
                {"docker.cgroup_driver", i->cgroup_driver, "Cgroup Driver"},
                {"docker.backing_fs", i->backing_fs, "Backing Filesystem"},
        };
        int r;

        if ((r = facts_set_bool(f, "docker.running", true, src)) < 0)
                return r;
        r = i->has_live_restore
                    ? facts_set_bool(f, "docker.live_restore", i->live_restore, src)
                    : facts_set_unknown(f, "docker.live_restore", "%s: no Live Restore Enabled", src);
        if (r < 0 || (r = facts_set_version(f, "docker.server_version", i->server_version, src)) < 0)
                return r;
        for (size_t k = 0; k < ELEMENTSOF(strings); k++) {
                r = strings[k].value
                            ? facts_set_string(f, strings[k].fact, strings[k].value, src)
                            : facts_set_unknown(f, strings[k].fact, "%s: no %s", src, strings[k].line);
                if (r < 0)
                        return r;
        }
        return i->has_supports_d_type
                       ? facts_set_bool(f, "docker.supports_d_type", i->supports_d_type, src)
                       : facts_set_unknown(f, "docker.supports_d_type", "%s: no Supports d_type", src);
}

/* docker.* from docker info's text: the daemon as it answered when the report was taken. */
static int sos_docker(Facts *f, const CollectOptions *o)
{
        _cleanup_free_ char *data = NULL, *err = NULL, *src = sos_path(o, SOS_DOCKER_INFO);
        _cleanup_(docker_info_done) DockerInfo i = {};
        bool server = false;
        size_t size;
        int r;

        if (!src || facts_set_unknown(f, "docker.socket", "an sos report holds no socket") < 0)
                return -ENOMEM;
        r = sos_read(o, SOS_DOCKER_INFO, &data, &size);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return facts_set_unknown_all(f, docker_facts, ELEMENTSOF(docker_facts),
                        r == -ENOENT ? "no " SOS_DOCKER_INFO
                                       " in the sos report (its docker plugin did not run)"
                                     : strerror(-r));
        r = docker_info_text_parse(data, size, &i, &server, &err);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                _cleanup_free_ char *why = strdupf("%s: %s", src, strempty(err));

                if (!why || facts_set_unknown_all(f, docker_facts, ELEMENTSOF(docker_facts), why) < 0)
                        return -ENOMEM;
                return facts_add_problem(f, "%s", why);
        }
        if (!server) {
                r = facts_set_bool(f, "docker.running", false, src);
                return r < 0 ? r
                             : facts_set_unknown_all(f, docker_facts + 1, ELEMENTSOF(docker_facts) - 1,
                                       "the daemon did not answer docker info when the report was taken");
        }
        return sos_docker_facts(f, &i, src);
}

/* The D-Bus sources of the unit facts name where they came from instead. */
static int sos_sources(Facts *f, const CollectOptions *o)
{
        _cleanup_free_ char *show = sos_path(o, SOS_SHOW);

        if (!show)
                return -ENOMEM;
        for (size_t i = 0; i < f->n; i++) {
                const char *rest = f->v[i].source ? startswith(f->v[i].source, DBUS_SRC("")) : NULL;
                char *s;

                if (!rest)
                        continue;
                if (!(s = strdupf("%s %s", show, rest)))
                        return -ENOMEM;
                free(f->v[i].source);
                f->v[i].source = s;
        }
        return 0;
}

/* docker.api_version from docker version: the server's API version. */
static int sos_docker_api(Facts *f, const CollectOptions *o)
{
        _cleanup_free_ char *data = NULL, *err = NULL, *api = NULL, *src = sos_path(o, SOS_DOCKER_VERSION);
        size_t size;
        int r;

        if (!src)
                return -ENOMEM;
        r = sos_read(o, SOS_DOCKER_VERSION, &data, &size);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return facts_set_unknown(f, "docker.api_version", "%s: %s", src, strerror(-r));
        r = docker_version_text_api(data, size, &api, &err);
        if (r == -ENOMEM)
                return r;
        if (r < 0 || !api)
                return facts_set_unknown(f, "docker.api_version", "%s: %s", src,
                        r < 0 ? strempty(err) : "no server API version");
        return facts_set_version(f, "docker.api_version", api, src);
}

static const char *const container_facts[] = {"docker.dead_containers", "docker.running_containers_count"};

/* The container facts from docker ps -a. */
static int sos_docker_containers(Facts *f, const CollectOptions *o)
{
        _cleanup_free_ char *data = NULL, *err = NULL, *src = sos_path(o, SOS_DOCKER_PS);
        _cleanup_strv_free_ char **dead = NULL;
        long long running = 0;
        size_t size;
        int r;

        if (!src)
                return -ENOMEM;
        r = sos_read(o, SOS_DOCKER_PS, &data, &size);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return facts_set_unknown_all(f, container_facts, ELEMENTSOF(container_facts),
                        r == -ENOENT ? "no " SOS_DOCKER_PS " in the sos report" : strerror(-r));
        r = docker_ps_text_parse(data, size, &running, &dead, &err);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                _cleanup_free_ char *why = strdupf("%s: %s", src, strempty(err));

                return why ? facts_set_unknown_all(f, container_facts, ELEMENTSOF(container_facts), why)
                           : -ENOMEM;
        }
        if ((r = facts_set_list(f, "docker.dead_containers", dead, src)) < 0)
                return r;
        return facts_set_number(f, "docker.running_containers_count", running, src);
}

static const char *const ns_facts[] = {"ns.manager_mnt", "ns.dockerd_mnt", "ns.dockerd_private"};
static const char *const leak_facts[] = {
        "leaks.count", "leaks.containers", "leaks.holders", "leaks.dead_holders"};

int collect_sos_all(Facts *f, const CollectOptions *o)
{
        CollectOptions co = *o;
        int r;

        co.root = o->sos;
        /* docker info before the storage facts, which take /info's d_type first */
        if ((r = sos_kernel(f, &co)) < 0 || (r = collect_distro(f, &co)) < 0 ||
                (r = collect_unit_and_dockerd(f, &co)) < 0 || (r = sos_docker(f, &co)) < 0 ||
                (r = sos_sources(f, &co)) < 0 || (r = collect_cgroups(f, &co)) < 0 ||
                (r = collect_unit_override(f, &co)) < 0 || (r = collect_storage(f, &co)) < 0 ||
                (r = collect_kubelet(f, &co)) < 0)
                return r;
        if ((r = facts_set_unknown_all(f, ns_facts, ELEMENTSOF(ns_facts),
                     "an sos report holds no process's mount namespace")) < 0 ||
                (r = facts_set_unknown_all(f, leak_facts, ELEMENTSOF(leak_facts),
                         "an sos report holds no process's mount namespace")) < 0)
                return r;
        /* What the daemon said only when it answered. */
        if (facts_get_bool(f, "docker.running") != 1) {
                const char *why = "docker info's output says no daemon answered when the report was taken";

                if ((r = facts_set_unknown(f, "docker.api_version", "%s", why)) < 0)
                        return r;
                return facts_set_unknown_all(f, container_facts, ELEMENTSOF(container_facts), why);
        }
        if ((r = sos_docker_api(f, &co)) < 0)
                return r;
        return sos_docker_containers(f, &co);
}
