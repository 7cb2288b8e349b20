/* SPDX-License-Identifier: MIT */
/* docker.* facts from the running daemon (Engine API over its unix socket). */
#include "basic/thread-util.h"
#include "collect/collect.h"
#include "formats/docker-api.h"

static const char *const api_facts[] = {"docker.api_version", "docker.live_restore", "docker.server_version",
        "docker.storage_driver", "docker.root_dir", "docker.swarm_state", "docker.cgroup_driver",
        "docker.supports_d_type", "docker.backing_fs"};

/* socket path and where it came from, as dockerd's clients pick it. */
static int pick_socket(const CollectOptions *o, const char *socket_path, const char *socket_source,
        char **ret, char **ret_source)
{
        const char *host = getenv("DOCKER_HOST"), *p;
        const char *runtime = getenv("XDG_RUNTIME_DIR");

        if (socket_path) {
                *ret = strdup(socket_path);
                *ret_source = strdup(socket_source ? socket_source : "dockerd -H");
        } else if (host && (p = startswith(host, "unix://")) && *p) {
                *ret = strdup(p);
                *ret_source = strdup("DOCKER_HOST");
        } else if (o && o->user && runtime) {
                *ret = strdupf("%s/docker.sock", runtime);
                *ret_source = strdup("$XDG_RUNTIME_DIR/docker.sock (rootless default)");
        } else {
                *ret = strdup("/var/run/docker.sock");
                *ret_source = strdup("default");
        }
        return *ret && *ret_source ? 0 : -ENOMEM;
}

static int all_unknown(Facts *f, const char *why)
{
        return facts_set_unknown_all(f, api_facts, ELEMENTSOF(api_facts), why);
}

static int set_string_or_unknown(
        Facts *f, const char *name, const char *v, const char *field, const char *info_path, bool version)
{
        _cleanup_free_ char *src = strdupf("docker-api:%s %s", info_path, field);

        if (!src)
                return -ENOMEM;
        if (!v)
                return facts_set_unknown(f, name, "%s not reported by the daemon (%s)", field, info_path);
        return version ? facts_set_version(f, name, v, src) : facts_set_string(f, name, v, src);
}

/* docker.supports_d_type and docker.backing_fs from DriverStatus: only the overlay drivers
 * report d_type, and devicemapper, zfs, vfs... report no backing filesystem. */
static int driver_status_facts(Facts *f, const DockerInfo *i)
{
        _cleanup_free_ char *src = strdupf("docker-api:%s DriverStatus \"Supports d_type\"", i->info_path);
        int r;

        if (!src)
                return -ENOMEM;
        r = i->has_supports_d_type
                    ? facts_set_bool(f, "docker.supports_d_type", i->supports_d_type, src)
                    : facts_set_unknown(f, "docker.supports_d_type",
                              "DriverStatus of storage driver '%s' has no \"Supports d_type\" (%s)",
                              strempty(i->driver), i->info_path);
        if (r < 0)
                return r;
        return set_string_or_unknown(f, "docker.backing_fs", i->backing_fs,
                "DriverStatus \"Backing Filesystem\"", i->info_path, false);
}

/* The facts of a daemon that answered on sock. */
static int info_facts(Facts *f, const char *sock, const DockerInfo *i)
{
        _cleanup_free_ char *ping = strdupf("docker-api:%s /_ping", sock), *live = NULL;
        int r;

        if (!ping)
                return -ENOMEM;
        if ((r = facts_set_bool(f, "docker.running", true, ping)) < 0)
                return r;
        r = i->api_version
                    ? facts_set_version(
                              f, "docker.api_version", i->api_version, "docker-api:/_ping Api-Version")
                    : facts_set_unknown(f, "docker.api_version", "the daemon sent no Api-Version header");
        if (r < 0)
                return r;
        live = strdupf("docker-api:%s LiveRestoreEnabled", i->info_path);
        if (!live)
                return -ENOMEM;
        r = i->has_live_restore ? facts_set_bool(f, "docker.live_restore", i->live_restore, live)
                                : facts_set_unknown(f, "docker.live_restore",
                                          "LiveRestoreEnabled not reported by the daemon (API before 1.25)");
        if (r < 0)
                return r;
        if ((r = set_string_or_unknown(f, "docker.server_version", i->server_version, "ServerVersion",
                     i->info_path, true)) < 0 ||
                (r = set_string_or_unknown(
                         f, "docker.storage_driver", i->driver, "Driver", i->info_path, false)) < 0 ||
                (r = set_string_or_unknown(
                         f, "docker.root_dir", i->root_dir, "DockerRootDir", i->info_path, false)) < 0 ||
                (r = set_string_or_unknown(f, "docker.swarm_state", i->swarm_state, "Swarm.LocalNodeState",
                         i->info_path, false)) < 0 ||
                (r = set_string_or_unknown(f, "docker.cgroup_driver", i->cgroup_driver, "CgroupDriver",
                         i->info_path, false)) < 0)
                return r;
        return driver_status_facts(f, i);
}

struct DockerApiPrefetch {
        pthread_t info_thread, list_thread;
        bool info_started, list_started; /* not joined yet: the answer is still to take */
        char *sock;
        char *conn; /* sock as reached from here (collect_host_socket()) */
        uint64_t deadline_usec;
        /* Written by the threads only (each its own), read after the join. */
        int info_r, list_r;
        DockerInfo info;
        char *info_err, *list_err;
        DockerContainerList list;
};

static void *prefetch_info(void *userdata)
{
        DockerApiPrefetch *p = userdata;

        p->info_r = docker_api_info_until(p->conn, p->deadline_usec, &p->info, &p->info_err);
        return NULL;
}

static void *prefetch_list(void *userdata)
{
        DockerApiPrefetch *p = userdata;

        p->list_r = docker_api_containers_list_until(p->conn, p->deadline_usec, &p->list, &p->list_err);
        return NULL;
}

int docker_api_prefetch_start(const CollectOptions *o, DockerApiPrefetch **ret)
{
        _cleanup_free_ char *src = NULL;
        DockerApiPrefetch *p;
        int r;

        *ret = NULL;
        if (o->root)
                return 0;
        p = calloc(1, sizeof *p);
        if (!p)
                return -ENOMEM;
        p->deadline_usec = o->deadline_usec;
        r = pick_socket(o, NULL, NULL, &p->sock, &src);
        if (r >= 0)
                r = collect_host_socket(o, p->sock, &p->conn);
        if (r < 0) {
                docker_api_prefetch_free(p);
                return r;
        }
        /* /info and the container list at once: /info is the slowest answer of a daemon (it
         * asks containerd and runs runc --version). A thread that does not start (EAGAIN)
         * leaves the asking to the collectors. */
        p->info_started = thread_start_small(&p->info_thread, prefetch_info, p);
        p->list_started = thread_start_small(&p->list_thread, prefetch_list, p);
        *ret = p;
        return 0;
}

void docker_api_prefetch_free(DockerApiPrefetch *p)
{
        if (!p)
                return;
        if (p->info_started)
                (void) pthread_join(p->info_thread, NULL);
        if (p->list_started)
                (void) pthread_join(p->list_thread, NULL);
        free(p->sock);
        free(p->conn);
        docker_info_done(&p->info);
        free(p->info_err);
        free(p->list_err);
        docker_container_list_done(&p->list);
        free(p);
}

/* /_ping and /info on sock: from the prefetch when it asked sock, else now. */
static int api_info(const CollectOptions *o, const char *sock, DockerInfo *ret, char **ret_error)
{
        DockerApiPrefetch *p = o ? o->api_prefetch : NULL;
        _cleanup_free_ char *conn = NULL;

        if (p && p->info_started && streq(p->sock, sock)) {
                (void) pthread_join(p->info_thread, NULL);
                p->info_started = false;
                *ret = TAKE_STRUCT(p->info);
                *ret_error = TAKE_PTR(p->info_err);
                return p->info_r;
        }
        if (collect_host_socket(o, sock, &conn) < 0)
                return -ENOMEM;
        return docker_api_info_until(conn, o ? o->deadline_usec : 0, ret, ret_error);
}

int collect_docker_containers(
        const CollectOptions *o, const char *sock, DockerContainerList *ret, char **ret_error)
{
        DockerApiPrefetch *p = o ? o->api_prefetch : NULL;
        _cleanup_free_ char *conn = NULL;
        int r;

        if (p && p->list_started && streq(p->sock, sock)) {
                (void) pthread_join(p->list_thread, NULL);
                p->list_started = false;
                *ret = TAKE_STRUCT(p->list);
                free(*ret_error);
                *ret_error = TAKE_PTR(p->list_err);
                r = p->list_r;
        } else if (collect_host_socket(o, sock, &conn) < 0)
                return -ENOMEM;
        else
                r = docker_api_containers_list_until(conn, o ? o->deadline_usec : 0, ret, ret_error);
        return r < 0 && ret_error && collect_timeout_reason(o, r, ret_error) < 0 ? -ENOMEM : r;
}

/* The daemon did not answer as a daemon does: nothing it would have said is known, and the
 * audit is incomplete. */
static int api_failed(Facts *f, const CollectOptions *o, int r, char **why)
{
        if (collect_timeout_reason(o, r, why) < 0 || !*why)
                return -ENOMEM;
        return facts_set_unknown(f, "docker.running", "%s", *why) < 0 || all_unknown(f, *why) < 0 ||
                               facts_add_problem(f, "%s", *why) < 0
                       ? -ENOMEM
                       : 0;
}

int collect_docker_api(Facts *f, const CollectOptions *o, const char *socket_path, const char *socket_source)
{
        _cleanup_free_ char *sock = NULL, *sock_src = NULL, *err = NULL;
        _cleanup_(docker_info_done) DockerInfo i = {};
        int r;

        if (o && o->root) {
                r = facts_set_unknown(f, "docker.running", "offline (--root): the Docker API is not asked");
                if (r >= 0)
                        r = facts_set_unknown(f, "docker.socket", "offline (--root)");
                return r < 0 ? r : all_unknown(f, "offline (--root): the Docker API is not asked");
        }
        r = pick_socket(o, socket_path, socket_source, &sock, &sock_src);
        if (r < 0)
                return r;
        r = facts_set_string(f, "docker.socket", sock, sock_src);
        if (r < 0)
                return r;

        r = api_info(o, sock, &i, &err);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                const char *why = err ? err : strerror(-r);
                _cleanup_free_ char *ping = strdupf("docker-api:%s /_ping", sock);

                if (!ping)
                        return -ENOMEM;
                /* Not allowed to ask is not "not running". */
                if (r == -EACCES || r == -EPERM)
                        r = facts_set_unknown(f, "docker.running", "%s", why);
                else if (r == -ENOENT || r == -ECONNREFUSED)
                        r = facts_set_bool(f, "docker.running", false, ping);
                else if (err || (err = strdup(why)))
                        return api_failed(f, o, r, &err);
                else
                        return -ENOMEM;
                return r < 0 ? r : all_unknown(f, why);
        }
        return info_facts(f, sock, &i);
}
