/* SPDX-License-Identifier: MIT */
/* dockaudit leaks [--format text|json] [--release [--yes] [--remove-dead]]
 *                 [--docker-root DIR [--dockerd-pid PID]] */
#include <getopt.h>
#include <jansson.h>
#include <limits.h>

#include "cli/cmd.h"
#include "cli/prompt.h"
#include "collect/collect.h"
#include "leaks/leaks.h"

#define MAX_HOLDERS_SHOWN 5

typedef struct LeaksArgs {
        bool json, release, yes, remove_dead;
        const char *docker_root;
        pid_t dockerd_pid;
} LeaksArgs;

static void leaks_usage(FILE *f)
{
        fprintf(f,
                "Usage: dockaudit leaks [--format text|json] [--release [--yes] [--remove-dead]]\n"
                "                       [--docker-root DIR [--dockerd-pid PID]]\n"
                "\n"
                "Finds container mounts (under Docker's root dir) held in mount namespaces other than\n"
                "dockerd's, with the processes holding them.\n"
                "  --release        detach them (umount2 MNT_DETACH inside each holder namespace)\n"
                "  --remove-dead    then remove containers in state Dead (docker rm -f, via the API)\n"
                "  --yes            do not ask (required when stdin is not a terminal)\n"
                "  --docker-root    scan for mounts under DIR without asking D-Bus or the Docker API\n"
                "  --dockerd-pid    with --docker-root: the namespace of PID is dockerd's (default: ours)\n"
                "Exit status: 0 no leak (or all released), 1 leaks found or some release failed, 2 "
                "trouble.\n");
}

static int parse_args(int argc, char **argv, LeaksArgs *a)
{
        enum { ARG_FORMAT = 0x100, ARG_RELEASE, ARG_YES, ARG_REMOVE_DEAD, ARG_DOCKER_ROOT, ARG_DOCKERD_PID };
        static const struct option opts[] = {
                {"format", required_argument, NULL, ARG_FORMAT},
                {"release", no_argument, NULL, ARG_RELEASE},
                {"yes", no_argument, NULL, ARG_YES},
                {"remove-dead", no_argument, NULL, ARG_REMOVE_DEAD},
                {"docker-root", required_argument, NULL, ARG_DOCKER_ROOT},
                {"dockerd-pid", required_argument, NULL, ARG_DOCKERD_PID},
                {"help", no_argument, NULL, 'h'},
                {},
        };
        int c;

        optind = 0;
        while ((c = getopt_long(argc, argv, "hy", opts, NULL)) >= 0)
                switch (c) {
                case ARG_FORMAT:
                        if (streq(optarg, "json"))
                                a->json = true;
                        else if (!streq(optarg, "text")) {
                                fprintf(stderr, "dockaudit leaks: unknown format \"%s\" (text, json)\n",
                                        optarg);
                                return -EINVAL;
                        }
                        break;
                case ARG_RELEASE:
                        a->release = true;
                        break;
                case 'y':
                case ARG_YES:
                        a->yes = true;
                        break;
                case ARG_REMOVE_DEAD:
                        a->remove_dead = true;
                        break;
                case ARG_DOCKER_ROOT:
                        a->docker_root = optarg;
                        break;
                case ARG_DOCKERD_PID: {
                        long long v;

                        if (safe_atoi64(optarg, &v) < 0 || v <= 0 || v > INT32_MAX) {
                                fprintf(stderr, "dockaudit leaks: bad pid \"%s\"\n", optarg);
                                return -EINVAL;
                        }
                        a->dockerd_pid = (pid_t) v;
                        break;
                }
                case 'h':
                        leaks_usage(stdout);
                        return 0;
                default:
                        leaks_usage(stderr);
                        return -EINVAL;
                }
        if (optind < argc) {
                fprintf(stderr, "dockaudit leaks: unexpected argument \"%s\"\n", argv[optind]);
                return -EINVAL;
        }
        if (a->dockerd_pid && !a->docker_root) {
                fprintf(stderr, "dockaudit leaks: --dockerd-pid goes with --docker-root\n");
                return -EINVAL;
        }
        if (a->remove_dead && a->docker_root) {
                fprintf(stderr,
                        "dockaudit leaks: --remove-dead needs the Docker API (not with --docker-root)\n");
                return -EINVAL;
        }
        return 1;
}

static char *ns_name(const LeakNamespace *ns)
{
        return strdupf("mnt:[%lu]", (unsigned long) ns->ino);
}

static int holders_text(const LeakNamespace *ns, StrBuf *b)
{
        for (size_t k = 0; k < ns->n_holders && k < MAX_HOLDERS_SHOWN; k++) {
                const LeakHolder *h = &ns->holders[k];

                if (sb_printf(b, "%s%ld %s", k ? ", " : "", (long) h->pid, h->comm) < 0 ||
                        (h->unit && sb_printf(b, " (%s)", h->unit) < 0))
                        return -ENOMEM;
        }
        if (ns->n_holders > MAX_HOLDERS_SHOWN &&
                sb_printf(b, " and %zu more", ns->n_holders - MAX_HOLDERS_SHOWN) < 0)
                return -ENOMEM;
        return 0;
}

static bool same_group(const Leak *a, const Leak *b)
{
        if (a->container_id || b->container_id)
                return streq_ptr(a->container_id, b->container_id);
        return streq(a->key, b->key);
}

static int print_text(const LeakReport *rep)
{
        size_t n_groups = 0;

        for (size_t i = 0; i < rep->n_leaks;) {
                const Leak *first = &rep->leaks[i];
                size_t j = i;

                n_groups++;
                if (first->container_id)
                        printf("%s (%.12s, %s)\n", first->container_name, first->container_id,
                                first->container_state);
                else
                        printf("%s %s (no container known)\n",
                                streq(first->kind, "volume") ? "volume" : "id", first->key);
                while (j < rep->n_leaks && same_group(first, &rep->leaks[j])) {
                        const Leak *l = &rep->leaks[j];
                        const LeakNamespace *ns = &rep->namespaces[l->ns];
                        _cleanup_sb_ StrBuf b = {};
                        _cleanup_free_ char *name = ns_name(ns);

                        if (!name || holders_text(ns, &b) < 0)
                                return -ENOMEM;
                        printf("  %-15s %s\n  %-15s held in %s by %s\n", l->kind, l->mount_point, "", name,
                                b.buf ? b.buf : "");
                        j++;
                }
                i = j;
        }
        if (rep->n_leaks == 0)
                printf("No leaked container mounts under %s", rep->root_dir);
        else
                printf("%zu leaked mount%s of %zu container%s or layer%s in %zu namespace%s", rep->n_leaks,
                        rep->n_leaks == 1 ? "" : "s", n_groups, n_groups == 1 ? "" : "s",
                        n_groups == 1 ? "" : "s", rep->n_namespaces, rep->n_namespaces == 1 ? "" : "s");
        printf(" (%zu processes, %zu mount namespaces scanned", rep->n_processes, rep->n_scanned_namespaces);
        if (rep->n_inaccessible > 0)
                printf("; %zu processes not readable: run as root", rep->n_inaccessible);
        printf(").\n");
        return 0;
}

static json_t *holders_json(const LeakNamespace *ns)
{
        json_t *a = json_array();

        for (size_t k = 0; a && k < ns->n_holders; k++) {
                const LeakHolder *h = &ns->holders[k];
                json_t *o = json_pack(
                        "{s:I,s:s,s:s?}", "pid", (json_int_t) h->pid, "comm", h->comm, "unit", h->unit);

                if (!o || json_array_append_new(a, o) < 0) {
                        json_decref(a);
                        return NULL;
                }
        }
        return a;
}

static json_t *report_json(const LeakReport *rep)
{
        json_t *root = json_pack("{s:s,s:s,s:{s:I,s:I,s:I},s:[],s:[]}", "schema", "dockaudit-leaks/1",
                "root_dir", rep->root_dir, "scanned", "processes", (json_int_t) rep->n_processes,
                "namespaces", (json_int_t) rep->n_scanned_namespaces, "inaccessible",
                (json_int_t) rep->n_inaccessible, "containers", "namespaces");
        json_t *groups, *nss;
        char buf[64];

        if (!root)
                return NULL;
        (void) snprintf(buf, sizeof buf, "mnt:[%lu]", (unsigned long) rep->ref_ino);
        json_object_set_new(root, "dockerd_namespace", json_string(buf));
        groups = json_object_get(root, "containers");
        nss = json_object_get(root, "namespaces");
        for (size_t i = 0; i < rep->n_leaks;) {
                const Leak *first = &rep->leaks[i];
                json_t *g = json_pack("{s:s?,s:s?,s:s?,s:s,s:[]}", "id", first->container_id, "name",
                        first->container_name, "state", first->container_state, "key", first->key, "mounts");
                size_t j = i;

                if (!g || json_array_append_new(groups, g) < 0)
                        goto oom;
                while (j < rep->n_leaks && same_group(first, &rep->leaks[j])) {
                        const Leak *l = &rep->leaks[j];
                        json_t *m;

                        (void) snprintf(
                                buf, sizeof buf, "mnt:[%lu]", (unsigned long) rep->namespaces[l->ns].ino);
                        m = json_pack("{s:s,s:s,s:s,s:s}", "mount_point", l->mount_point, "kind", l->kind,
                                "fstype", l->fstype, "namespace", buf);
                        if (!m || json_array_append_new(json_object_get(g, "mounts"), m) < 0)
                                goto oom;
                        j++;
                }
                i = j;
        }
        for (size_t i = 0; i < rep->n_namespaces; i++) {
                json_t *h = holders_json(&rep->namespaces[i]), *o;

                (void) snprintf(buf, sizeof buf, "mnt:[%lu]", (unsigned long) rep->namespaces[i].ino);
                o = h ? json_pack("{s:s,s:o}", "namespace", buf, "holders", h) : NULL;
                if (!o || json_array_append_new(nss, o) < 0)
                        goto oom;
        }
        return root;
oom:
        json_decref(root);
        return NULL;
}

/* Releases the leaks of one namespace; appends results to out (JSON) and prints them. */
static int release_namespace(const LeakReport *rep, size_t nsi, bool json, json_t *out, size_t *n_failed)
{
        const LeakNamespace *ns = &rep->namespaces[nsi];
        _cleanup_free_ char **mps = calloc(rep->n_leaks + 1, sizeof(char *));
        _cleanup_free_ int *res = calloc(rep->n_leaks + 1, sizeof(int));
        _cleanup_free_ char *name = ns_name(ns), *err = NULL;
        size_t n = 0;
        int r = -ESRCH;

        if (!mps || !res || !name)
                return -ENOMEM;
        for (size_t i = 0; i < rep->n_leaks; i++)
                if (rep->leaks[i].ns == nsi)
                        mps[n++] = rep->leaks[i].mount_point;
        /* Enter through the first holder still alive. */
        for (size_t k = 0; k < ns->n_holders && (r == -ESRCH || r == -ENOENT); k++) {
                free(err);
                err = NULL;
                r = leaks_release(NULL, ns->holders[k].pid, ns->dev, ns->ino, rep->root_dir, mps, res, &err);
        }
        if (r == -ENOMEM)
                return r;
        for (size_t i = 0; i < n; i++) {
                const char *why = r < 0 ? (err ? err : strerror(-r)) : res[i] < 0 ? strerror(-res[i]) : NULL;
                json_t *o;

                if (why)
                        (*n_failed)++;
                if (!json)
                        printf("%s %s in %s%s%s\n", why ? "failed" : "released", mps[i], name,
                                why ? ": " : "", why ? why : "");
                o = json_pack("{s:s,s:s,s:s,s:s?}", "namespace", name, "mount_point", mps[i], "result",
                        why ? "failed" : "released", "error", why);
                if (!o || json_array_append_new(out, o) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int remove_dead(const char *sock, const DockerContainer *c, size_t n, const LeaksArgs *a, bool *all,
        bool json, json_t *out, size_t *n_failed)
{
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *err = NULL;
                json_t *o;
                int r;

                if (!streq(c[i].state, "dead"))
                        continue;
                if (!a->yes && !*all) {
                        _cleanup_free_ char *q =
                                strdupf("Remove Dead container %s (%.12s)?", c[i].name, c[i].id);
                        Answer ans;

                        if (!q)
                                return -ENOMEM;
                        ans = prompt_ask(q, "remove this container (forced)", "keep it");
                        if (ans == ANSWER_QUIT)
                                return 1;
                        if (ans == ANSWER_NO)
                                continue;
                        if (ans == ANSWER_ALL)
                                *all = true;
                }
                r = docker_api_remove_container(sock, c[i].id, &err);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        (*n_failed)++;
                if (!json)
                        printf("%s Dead container %s (%.12s)%s%s\n", r < 0 ? "could not remove" : "removed",
                                c[i].name, c[i].id, r < 0 ? ": " : "",
                                r < 0 ? (err ? err : strerror(-r)) : "");
                o = json_pack("{s:s,s:s,s:s,s:s?}", "id", c[i].id, "name", c[i].name, "result",
                        r < 0 ? "failed" : "removed", "error", r < 0 ? (err ? err : strerror(-r)) : NULL);
                if (!o || json_array_append_new(out, o) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int run(const LeaksArgs *a, const GlobalOptions *g)
{
        _cleanup_facts_ Facts f = {};
        _cleanup_free_ char *err = NULL, *root = NULL;
        LeakReport rep = {};
        DockerContainer *c = NULL;
        size_t n = 0, n_failed = 0;
        json_t *doc = NULL, *released = NULL, *removed = NULL;
        const char *sock = NULL;
        bool all = false, quit = false;
        int r, ret = EXIT_TROUBLE;

        if (a->docker_root) {
                LeakOptions o = {.dockerd_pid = a->dockerd_pid};

                root = realpath(a->docker_root, NULL);
                if (!root) {
                        fprintf(stderr, "dockaudit leaks: %s: %s\n", a->docker_root, strerror(errno));
                        return EXIT_TROUBLE;
                }
                o.root_dir = root;
                r = leaks_find(&o, &rep, &err);
        } else {
                CollectOptions co = {.unit = g->unit, .user = g->user};
                const Fact *s;

                r = collect_unit_and_dockerd(&f, &co);
                if (r >= 0)
                        r = leaks_from_facts(&f, NULL, &rep, &c, &n, &err);
                s = facts_get(&f, "docker.socket");
                sock = s && s->known ? s->str : NULL;
        }
        if (r < 0) {
                fprintf(stderr, "dockaudit leaks: %s\n", err ? err : strerror(-r));
                goto finish;
        }

        if (a->json) {
                doc = report_json(&rep);
                if (!doc)
                        goto oom;
        } else if (print_text(&rep) < 0)
                goto oom;

        if (a->release || a->remove_dead) {
                released = json_array();
                removed = json_array();
                if (!released || !removed)
                        goto oom;
        }
        if (a->release)
                for (size_t i = 0; i < rep.n_namespaces && !quit; i++) {
                        if (!a->yes && !all) {
                                _cleanup_sb_ StrBuf b = {};
                                _cleanup_free_ char *q = NULL, *name = ns_name(&rep.namespaces[i]);
                                size_t cnt = 0;
                                Answer ans;

                                for (size_t k = 0; k < rep.n_leaks; k++)
                                        cnt += rep.leaks[k].ns == i;
                                if (!name || holders_text(&rep.namespaces[i], &b) < 0 ||
                                        !(q = strdupf("Detach %zu mount%s in %s (held by %s)?", cnt,
                                                  cnt == 1 ? "" : "s", name, b.buf ? b.buf : "")))
                                        goto oom;
                                ans = prompt_ask(q, "detach these mounts in that namespace",
                                        "leave them");
                                if (ans == ANSWER_QUIT) {
                                        quit = true;
                                        break;
                                }
                                if (ans == ANSWER_NO) {
                                        n_failed++; /* left in place */
                                        continue;
                                }
                                if (ans == ANSWER_ALL)
                                        all = true;
                        }
                        r = release_namespace(&rep, i, a->json, released, &n_failed);
                        if (r < 0)
                                goto oom;
                }
        if (a->remove_dead && !quit) {
                if (!sock) {
                        fprintf(stderr, "dockaudit leaks: the Docker API socket is unknown\n");
                        goto finish;
                }
                r = remove_dead(sock, c, n, a, &all, a->json, removed, &n_failed);
                if (r < 0)
                        goto oom;
        }

        if (a->json) {
                if (released && json_object_set(doc, "released", released) < 0)
                        goto oom;
                if (removed && json_object_set(doc, "removed", removed) < 0)
                        goto oom;
                if (json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
                        goto oom;
                putchar('\n');
        }
        if (a->release || a->remove_dead)
                ret = n_failed > 0 || quit ? EXIT_FINDINGS : EXIT_COMPLIANT;
        else
                ret = rep.n_leaks > 0 ? EXIT_FINDINGS : EXIT_COMPLIANT;
        goto finish;
oom:
        fprintf(stderr, "dockaudit leaks: out of memory\n");
        ret = EXIT_TROUBLE;
finish:
        json_decref(doc);
        json_decref(released);
        json_decref(removed);
        leak_report_done(&rep);
        docker_containers_free(c, n);
        return ret;
}

int cmd_leaks(int argc, char **argv, const GlobalOptions *g)
{
        LeaksArgs a = {};
        int r = parse_args(argc, argv, &a);

        if (r <= 0)
                return r == 0 ? EXIT_COMPLIANT : EXIT_TROUBLE;
        if (g->root) {
                fprintf(stderr,
                        "dockaudit leaks: needs the live host, not --root (use --docker-root DIR)\n");
                return EXIT_TROUBLE;
        }
        /* The same rule as fix: never change the host unasked. */
        if ((a.release || a.remove_dead) && !a.yes && !isatty(STDIN_FILENO)) {
                fprintf(stderr,
                        "dockaudit leaks: stdin is not a terminal; pass --yes to %s without asking\n",
                        a.release ? "release mounts" : "remove Dead containers");
                return EXIT_TROUBLE;
        }
        return run(&a, g);
}
