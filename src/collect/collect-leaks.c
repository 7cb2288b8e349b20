/* SPDX-License-Identifier: MIT */
/* leaks.* and the container facts: the Engine API's containers, and the mount namespace
 * scan of leaks.c. */
#include "basic/thread-util.h"
#include "collect/collect.h"
#include "leaks/leaks-text.h"

static const char *const leak_facts[] = {
        "leaks.count", "leaks.containers", "leaks.holders", "leaks.dead_holders"};
static const char *const container_facts[] = {"docker.dead_containers", "docker.running_containers_count"};

struct MntnsPrefetch {
        pthread_t thread;
        bool started;
        int r; /* written by the thread, read after the join */
        MntnsScan scan;
};

static void *prefetch_scan(void *userdata)
{
        MntnsPrefetch *p = userdata;

        p->r = mntns_scan("/proc", NULL, false, 0, &p->scan);
        if (p->r >= 0)
                p->r = mntns_scan_fetch("/proc", 0, &p->scan);
        return NULL;
}

int mntns_prefetch_start(const CollectOptions *o, MntnsPrefetch **ret)
{
        MntnsPrefetch *p;

        *ret = NULL;
        if (o->root || o->sos)
                return 0;
        p = calloc(1, sizeof *p);
        if (!p)
                return -ENOMEM;
        p->started = thread_start_small(&p->thread, prefetch_scan, p);
        if (!p->started) {
                free(p);
                return 0;
        }
        *ret = p;
        return 0;
}

void mntns_prefetch_free(MntnsPrefetch *p)
{
        if (!p)
                return;
        if (p->started)
                (void) pthread_join(p->thread, NULL);
        mntns_scan_done(&p->scan);
        free(p);
}

/* The scan of /proc asked ahead, joined, for leaks_find() to take over (once); NULL when proc
 * is another directory, when there is none, or when it failed: then leaks_find() scans. */
static MntnsScan *prefetched_scan(const CollectOptions *co, const char *proc)
{
        MntnsPrefetch *p = co ? co->ns_prefetch : NULL;

        if (proc || !p || !p->started)
                return NULL;
        (void) pthread_join(p->thread, NULL);
        p->started = false;
        return p->r >= 0 ? &p->scan : NULL;
}

/* The leaks naming by id a container that was not among those asked for (exited, created, or
 * removed): asked for by id, so that the report names them as the whole list would have. A
 * daemon that cannot say leaves them unnamed, and the report incomplete. */
static int attribute_by_id(const CollectOptions *co, const char *sock, LeakReport *rep)
{
        _cleanup_strv_free_ char **ids = NULL;
        _cleanup_(docker_container_list_done) DockerContainerList l = {};
        _cleanup_free_ char *conn = NULL, *err = NULL;
        int r;

        r = leak_report_unmatched_ids(rep, &ids);
        if (r < 0 || strv_isempty(ids))
                return r;
        if (collect_host_socket(co, sock, &conn) < 0)
                return -ENOMEM;
        r = docker_api_containers_by_id_until(
                conn, co ? co->deadline_usec : 0, (const char *const *) ids, strv_length(ids), &l, &err);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return strv_consume(
                               &rep->problems, strdupf("%zu container id%s named by leaked mounts could not "
                                                       "be looked up: %s",
                                                       strv_length(ids), strv_length(ids) == 1 ? "" : "s",
                                                       err ? err : strerror(-r))) < 0
                               ? -ENOMEM
                               : 0;
        return leak_report_attribute(rep, l.v, l.n);
}

/* The running containers' inspects, asked only when the leak finder needs them. */
typedef struct Resolver {
        const CollectOptions *co;
        const char *sock;
        DockerContainerList *l;
} Resolver;

static int containers_complete(
        const CollectOptions *co, const char *sock, DockerContainerList *l, char **ret_error)
{
        _cleanup_free_ char *conn = NULL;

        if (collect_host_socket(co, sock, &conn) < 0)
                return -ENOMEM;
        return docker_api_containers_inspect_until(conn, co ? co->deadline_usec : 0, l, ret_error);
}

static int resolve_containers(void *userdata, const DockerContainer **ret, size_t *ret_n, char **ret_error)
{
        Resolver *x = userdata;
        int r = containers_complete(x->co, x->sock, x->l, ret_error);

        *ret = x->l->v;
        *ret_n = x->l->n;
        return r;
}

/* The leaks, with the containers in *l (completed when they matter). */
static int find_leaks(const CollectOptions *co, const Facts *f, const char *proc, DockerContainerList *l,
        LeakReport *ret, char **ret_error)
{
        const Fact *root = facts_get(f, "docker.root_dir"), *sock = facts_get(f, "docker.socket");
        const Fact *pid = facts_get(f, "unit.main_pid");
        Resolver x = {.co = co, .sock = sock->str, .l = l};
        int r;

        if (!root || !root->known)
                return error_setf(ret_error, -ENODATA, "Docker's root dir is unknown: %s",
                        root ? strempty(root->reason) : "not collected");
        if (!pid || !pid->known || pid->num <= 0 || pid->num > INT32_MAX)
                return error_setf(ret_error, -ESRCH, "dockerd's pid is unknown: %s",
                        !pid         ? "not collected"
                        : pid->known ? "not running"
                                     : strempty(pid->reason));
        r = leaks_find(&(LeakOptions){.proc = proc,
                               .root_dir = root->str,
                               .dockerd_pid = (pid_t) pid->num,
                               .containers = l->v,
                               .n_containers = l->n,
                               .resolve_containers = resolve_containers,
                               .userdata = &x,
                               .scan = prefetched_scan(co, proc)},
                ret, ret_error);
        if (r >= 0 && (r = attribute_by_id(co, sock->str, ret)) < 0)
                leak_report_done(ret);
        return r;
}

int leaks_from_facts(const CollectOptions *co, const Facts *f, const char *proc, LeakReport *ret,
        DockerContainerList *ret_containers, char **ret_error)
{
        const Fact *sock = facts_get(f, "docker.socket");
        DockerContainerList l = {};
        int r;

        *ret_containers = (DockerContainerList){};
        if (!sock || !sock->known)
                return error_setf(ret_error, -ENODATA, "the Docker API socket is unknown: %s",
                        sock ? strempty(sock->reason) : "not collected");
        r = collect_docker_containers(co, sock->str, &l, ret_error);
        if (r < 0) {
                docker_container_list_done(&l);
                return r;
        }
        r = find_leaks(co, f, proc, &l, ret, ret_error);
        /* The container list is handed back even when the scan cannot be done. */
        *ret_containers = l;
        return r;
}

/* "pid comm (unit)"; bytes that are not UTF-8 (a process names itself) as \\xNN. */
static char *holder_text(const LeakHolder *h)
{
        _cleanup_free_ char *comm = leaks_escape(h->comm, false), *unit = leaks_escape(h->unit, false);

        if (!comm || (h->unit && !unit))
                return NULL;
        return unit ? strdupf("%ld %s (%s)", (long) h->pid, comm, unit)
                    : strdupf("%ld %s", (long) h->pid, comm);
}

static int set_leak_facts(Facts *f, const LeakReport *rep)
{
        _cleanup_strv_free_ char **ids = calloc(1, sizeof(char *)), **holders = calloc(1, sizeof(char *));
        _cleanup_strv_free_ char **dead_holders = calloc(1, sizeof(char *));
        _cleanup_free_ bool *seen = calloc(rep->n_namespaces + 1, sizeof(bool));
        _cleanup_free_ char *src = strdupf("/proc/*/ns/mnt, /proc/*/mountinfo under %s", rep->root_dir);
        int r;

        if (!ids || !holders || !dead_holders || !seen || !src)
                return -ENOMEM;
        for (size_t i = 0; i < rep->n_leaks; i++) {
                const Leak *l = &rep->leaks[i];
                const LeakNamespace *ns = &rep->namespaces[l->ns];
                _cleanup_free_ char *id = l->container_id
                                                  ? strdupf("%s %s", l->container_id, l->container_name)
                                                  : strdupf("%s (%s)", l->key, l->kind);

                if (!id)
                        return -ENOMEM;
                if (!strv_contains(ids, id) && strv_extend(&ids, id) < 0)
                        return -ENOMEM;
                if (!seen[l->ns]) {
                        seen[l->ns] = true;
                        for (size_t k = 0; k < ns->n_holders; k++)
                                if (strv_consume(&holders, holder_text(&ns->holders[k])) < 0)
                                        return -ENOMEM;
                }
                if (l->container_state && streq(l->container_state, "dead"))
                        for (size_t k = 0; k < ns->n_holders; k++) {
                                _cleanup_free_ char *h = holder_text(&ns->holders[k]);
                                char *t = h ? strdupf("%s: %s", l->container_name, h) : NULL;

                                if (!t)
                                        return -ENOMEM;
                                if (strv_contains(dead_holders, t))
                                        free(t);
                                else if (strv_consume(&dead_holders, t) < 0)
                                        return -ENOMEM;
                        }
        }
        if ((r = facts_set_number(f, "leaks.count", (long long) rep->n_leaks, src)) < 0 ||
                (r = facts_set_list(f, "leaks.containers", ids, src)) < 0 ||
                (r = facts_set_list(f, "leaks.holders", holders, src)) < 0 ||
                (r = facts_set_list(f, "leaks.dead_holders", dead_holders, src)) < 0)
                return r;
        return 0;
}

/* From the list as asked (its source names the request: filtered, or whole when the daemon
 * refused the filter). */
static int set_container_facts(
        Facts *f, const CollectOptions *o, const char *sock, const DockerContainerList *l)
{
        _cleanup_strv_free_ char **dead = calloc(1, sizeof(char *));
        _cleanup_free_ char *src =
                strdupf("docker-api:%s %s", sock, l->query ? l->query : DOCKER_API_LIST_ALL);
        const DockerContainer *c = l->v;
        size_t n = l->n;
        long long running = 0;
        int r;

        if (!dead || !src)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                if (collect_is_own_container(o, &c[i]))
                        continue; /* container mode: the audit itself */
                if (streq(c[i].state, "running") || streq(c[i].state, "paused") ||
                        streq(c[i].state, "restarting"))
                        running++;
                if (docker_container_is_dead(&c[i]) &&
                        strv_consume(&dead, strdupf("%s %s", c[i].id, c[i].name)) < 0)
                        return -ENOMEM;
        }
        if ((r = facts_set_list(f, "docker.dead_containers", dead, src)) < 0 ||
                (r = facts_set_number(f, "docker.running_containers_count", running, src)) < 0)
                return r;
        return 0;
}

int collect_leaks(Facts *f, const CollectOptions *o)
{
        const Fact *sock = facts_get(f, "docker.socket"), *running = facts_get(f, "docker.running");
        _cleanup_free_ char *err = NULL;
        _cleanup_(docker_container_list_done) DockerContainerList c = {};
        _cleanup_(leak_report_done) LeakReport rep = {};
        int r;

        if (o && o->root)
                return facts_set_unknown_all(f, leak_facts, ELEMENTSOF(leak_facts), "offline (--root)") <
                                               0 ||
                                       facts_set_unknown_all(f, container_facts, ELEMENTSOF(container_facts),
                                               "offline (--root): the Docker API is not asked") < 0
                               ? -ENOMEM
                               : 0;
        if (!running || !running->known || !running->b) {
                const char *why = !running         ? "the Docker API was not asked"
                                  : running->known ? "the Docker API does not answer"
                                                   : strempty(running->reason);

                r = facts_set_unknown_all(f, container_facts, ELEMENTSOF(container_facts), why);
                return r < 0 ? r : facts_set_unknown_all(f, leak_facts, ELEMENTSOF(leak_facts), why);
        }
        r = leaks_from_facts(o, f, NULL, &rep, &c, &err);
        if (r == -ENOMEM)
                return r;
        /* Container mode: the audit's own container is told by its pid. */
        if (c.v && o && o->files_root) {
                _cleanup_free_ char *why = NULL;
                int k = containers_complete(o, sock->str, &c, &why);

                if (k == -ENOMEM)
                        return k;
                if (k < 0) {
                        docker_container_list_done(&c);
                        if (r >= 0) {
                                r = k;
                                free(err);
                                err = TAKE_PTR(why);
                        }
                }
        }
        if (c.v || r >= 0) {
                int k = set_container_facts(f, o, sock && sock->known ? sock->str : "?", &c);

                if (k < 0)
                        return k;
        }
        if (r < 0) {
                const char *why = err ? err : strerror(-r);

                r = facts_set_unknown_all(f, leak_facts, ELEMENTSOF(leak_facts), why);
                if (r >= 0 && !c.v)
                        r = facts_set_unknown_all(f, container_facts, ELEMENTSOF(container_facts), why);
                return r;
        }
        /* A namespace not read in time, or not judged: the audit is not complete. */
        for (char **p = rep.problems; p && *p; p++)
                if ((r = facts_add_problem(f, "leaks: %s", *p)) < 0)
                        return r;
        return set_leak_facts(f, &rep);
}
