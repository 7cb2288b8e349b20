/* SPDX-License-Identifier: MIT */
/* dockaudit leaks [--format text|json] [--release [--yes] [--remove-dead]]
 *                 [--docker-root DIR [--dockerd-pid PID]]
 * The edge of the leaks stage: find the leaks (with the facts of collect, or under
 * --docker-root alone), print them (report/report-leaks.h), then ask and release them
 * (leaks/leaks-release.h). */
#include <getopt.h>
#include <limits.h>

#include "cli/cmd.h"
#include "cli/prompt.h"
#include "collect/collect.h"
#include "formats/json-util.h"
#include "leaks/leaks-release.h"
#include "report/report-leaks.h"

typedef struct LeaksArgs {
        bool json, release, yes, remove_dead;
        const char *docker_root;
        pid_t dockerd_pid;
} LeaksArgs;

/* What one run found and did. */
typedef struct LeaksState {
        Facts facts; /* from the service manager (not with --docker-root) */
        LeakReport report;
        DockerContainerList containers;
        const char *socket; /* the Engine API's (in facts), or NULL */
        json_t *released, *removed; /* the outcomes, for --format json */
        size_t n_failed; /* mounts left in place, containers not removed */
        bool all, quit; /* answered [a]ll, [q]uit */
        char *error; /* what made the run fail, for the JSON document */
} LeaksState;

/* Logs the error (as log_errorf_errno() does) and keeps its text in *error (the first one)
 * for --format json, which prints a JSON document on every path. Returns r. */
_printf_(3, 4) static int fail(char **error, int r, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;

        errno = r < 0 ? -r : r;
        va_start(ap, fmt);
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        va_end(ap);
        if (!msg)
                return log_oom();
        log_error("%s", msg);
        if (error && !*error)
                *error = TAKE_PTR(msg);
        return r;
}

static void leaks_state_done(LeaksState *s)
{
        facts_done(&s->facts);
        leak_report_done(&s->report);
        docker_container_list_done(&s->containers);
        json_decref(s->released);
        json_decref(s->removed);
        free(s->error);
        *s = (LeaksState){};
}

static int help(FILE *f)
{
        fprintf(f, "Usage: dockaudit leaks [--format text|json] [--release [--yes] [--remove-dead]]\n"
                   "                       [--docker-root DIR [--dockerd-pid PID]]\n"
                   "\n"
                   "Finds container mounts (under Docker's root dir) held in mount namespaces other than\n"
                   "dockerd's, with the processes holding them.\n"
                   "  --format FORMAT  text (default) or json (schema dockaudit-leaks/1)\n"
                   "  --release        detach them (umount2 MNT_DETACH inside each holder namespace)\n"
                   "  --remove-dead    then remove containers in state Dead (docker rm -f, via the API)\n"
                   "  -y, --yes        do not ask (required when stdin is not a terminal)\n"
                   "  --docker-root DIR\n"
                   "                   scan for mounts under DIR without asking D-Bus or the Docker API\n"
                   "  --dockerd-pid PID\n"
                   "                   with --docker-root: the namespace of PID is dockerd's (default: the\n"
                   "                   dockerd with files under DIR open; when that is not certain, the\n"
                   "                   scan says so and --release is refused)\n"
                   "  -h, --help       this help\n"
                   "dockerd's namespace, a container's or another dockerd's is never taken for a holder.\n"
                   "Exit status: 0 no leak (or all released), 1 leaks found, some release failed or [q]uit\n"
                   "left some, 2 trouble or an incomplete scan (a namespace not read, dockerd's namespace\n"
                   "not known).\n");
        return 0;
}

/* Options that only make sense together, or not at all. */
static int check_argv(const LeaksArgs *a, char **error)
{
        if (a->dockerd_pid && !a->docker_root)
                return fail(error, -EINVAL, "--dockerd-pid goes with --docker-root");
        if (a->remove_dead && a->docker_root)
                return fail(error, -EINVAL, "--remove-dead needs the Docker API (not with --docker-root)");
        return 1;
}

/* Whether --format json is asked for anywhere: an error in the arguments before it is
 * still printed as JSON. */
static bool wants_json(int argc, char **argv)
{
        for (int i = 1; i < argc; i++) {
                if (streq(argv[i], "--"))
                        break;
                if (streq(argv[i], "--format=json") ||
                        (streq(argv[i], "--format") && i + 1 < argc && streq(argv[i + 1], "json")))
                        return true;
        }
        return false;
}

static int parse_argv(int argc, char **argv, LeaksArgs *a, char **error)
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
        long long pid;
        int c;

        /* getopt_long() itself names an unknown option or a missing value (see main.c). */
        while ((c = getopt_long(argc, argv, "hy", opts, NULL)) >= 0)
                switch (c) {
                case ARG_FORMAT:
                        if (!streq(optarg, "text") && !streq(optarg, "json"))
                                return fail(
                                        error, -EINVAL, "--format: expected text or json, not '%s'", optarg);
                        a->json = streq(optarg, "json");
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
                case ARG_DOCKERD_PID:
                        if (safe_atoi64(optarg, &pid) < 0 || pid <= 0 || pid > INT32_MAX)
                                return fail(error, -EINVAL, "--dockerd-pid: expected a process id, not '%s'",
                                        optarg);
                        a->dockerd_pid = (pid_t) pid;
                        break;
                case 'h':
                        return help(stdout);
                default:
                        /* getopt_long() named the option; the JSON document names it too */
                        if (!*error && !(*error = strdupf("invalid option '%s' (see dockaudit leaks --help)",
                                                 argv[optind - 1 < argc ? optind - 1 : argc - 1])))
                                return log_oom();
                        return log_errorf_errno(-EINVAL, "see dockaudit leaks --help");
                }
        if (optind < argc)
                return fail(error, -EINVAL, "unexpected argument '%s' (see dockaudit leaks --help)",
                        argv[optind]);
        return check_argv(a, error);
}

/* The leaks under --docker-root DIR, from the mount tables alone. */
static int find_under_root(const LeaksArgs *a, LeaksState *s)
{
        _cleanup_free_ char *root = realpath(a->docker_root, NULL), *err = NULL;
        int r;

        if (!root)
                return fail(&s->error, -errno, "--docker-root '%s': %m", a->docker_root);
        r = leaks_find(&(LeakOptions){.root_dir = root, .dockerd_pid = a->dockerd_pid}, &s->report, &err);
        if (r < 0)
                return fail(&s->error, r, "%s", err ? err : strerror(-r));
        return 0;
}

/* The leaks of the audited unit's dockerd: its root dir, namespace and containers. */
static int find_for_unit(const GlobalOptions *g, LeaksState *s)
{
        _cleanup_free_ char *err = NULL;
        const Fact *sock;
        int r;

        r = collect_unit_and_dockerd(&s->facts, &(CollectOptions){.unit = g->unit, .user = g->user});
        if (r >= 0)
                r = leaks_from_facts(NULL, &s->facts, NULL, &s->report, &s->containers, &err);
        sock = facts_get(&s->facts, "docker.socket");
        s->socket = sock && sock->known ? sock->str : NULL;
        if (r < 0)
                return fail(&s->error, r, "%s", err ? err : strerror(-r));
        return 0;
}

/* [y]es, [a]ll (no more questions), [n]o (counted as a failure: the mounts stay) or [q]uit:
 * returns whether to release namespace i. */
static int ask_release(LeaksState *s, size_t i)
{
        const LeakNamespace *ns = &s->report.namespaces[i];
        _cleanup_sb_ StrBuf b = {};
        _cleanup_free_ char *q = NULL, *name = report_leaks_namespace_name(ns);
        size_t n = leak_report_count_in(&s->report, i);
        Answer ans;

        if (!name || report_leaks_holders(ns, &b) < 0 ||
                !(q = strdupf("Detach %zu mount%s in %s (held by %s)?", n, n == 1 ? "" : "s", name,
                          b.buf ? b.buf : "")))
                return log_oom();
        ans = prompt_ask(q, "detach these mounts in that namespace", "leave them");
        s->quit = ans == ANSWER_QUIT;
        s->all = ans == ANSWER_ALL;
        if (ans == ANSWER_NO)
                s->n_failed++;
        return ans == ANSWER_YES || ans == ANSWER_ALL;
}

static int release_namespace(const LeaksArgs *a, LeaksState *s, size_t i)
{
        _cleanup_(leak_release_done) LeakRelease rel = {};
        _cleanup_free_ char *name = report_leaks_namespace_name(&s->report.namespaces[i]);
        int r;

        if (!name)
                return log_oom();
        r = leaks_release_namespace(&s->report, NULL, i, &rel);
        if (r < 0)
                return log_oom();
        for (size_t k = 0; k < rel.n; k++)
                s->n_failed += leak_release_error(&rel, k) != NULL;
        if (!a->json)
                report_leaks_release_text(&rel, name, stdout);
        if (report_leaks_release_json(&rel, name, s->released) < 0)
                return log_oom();
        return 0;
}

static int release_all(const LeaksArgs *a, LeaksState *s)
{
        int r;

        for (size_t i = 0; i < s->report.n_namespaces; i++) {
                if (!a->yes && !s->all) {
                        r = ask_release(s, i);
                        if (r < 0)
                                return r;
                        if (s->quit)
                                return 0;
                        if (r == 0)
                                continue;
                }
                r = release_namespace(a, s, i);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Whether to remove Dead container c: the same four answers as ask_release(). */
static int ask_remove(const DockerContainer *c, bool *all, bool *quit)
{
        _cleanup_free_ char *q = strdupf("Remove Dead container %s (%.12s)?", c->name, c->id);
        Answer ans;

        if (!q)
                return log_oom();
        ans = prompt_ask(q, "remove this container (forced)", "keep it");
        *quit = ans == ANSWER_QUIT;
        *all = ans == ANSWER_ALL;
        return ans == ANSWER_YES || ans == ANSWER_ALL;
}

/* A [q]uit here ends the run, leaving Dead containers: exit 1, as one in release_all(). */
static int remove_dead_all(const LeaksArgs *a, LeaksState *s)
{
        bool quit = false;

        if (!s->socket)
                return fail(&s->error, -ENODATA, "the Docker API socket is unknown");
        for (size_t i = 0; i < s->containers.n; i++) {
                const DockerContainer *c = &s->containers.v[i];
                _cleanup_free_ char *err = NULL;
                const char *why;
                int r;

                if (!docker_container_is_dead(c))
                        continue;
                if (!a->yes && !s->all) {
                        r = ask_remove(c, &s->all, &quit);
                        s->quit = s->quit || quit;
                        if (r < 0 || quit)
                                return r < 0 ? r : 0;
                        if (r == 0)
                                continue;
                }
                r = leaks_remove_dead(s->socket, c, &err);
                if (r == -ENOMEM)
                        return log_oom();
                why = r < 0 ? (err ? err : strerror(-r)) : NULL;
                s->n_failed += r < 0;
                if (!a->json)
                        report_leaks_removal_text(c, why, stdout);
                if (report_leaks_removal_json(c, why, s->removed) < 0)
                        return log_oom();
        }
        return 0;
}

static int print_json(json_t *doc, const LeaksState *s)
{
        if ((s->released && json_object_set(doc, "released", s->released) < 0) ||
                (s->removed && json_object_set(doc, "removed", s->removed) < 0) ||
                report_leaks_json_update(doc, &s->report, s->error) < 0)
                return log_oom();
        if (json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
                return log_errorf_errno(-EIO, "writing the report failed");
        putchar('\n');
        return 0;
}

/* Refuses what cannot work here: --root (an image has no mount namespaces), and changes
 * without --yes when no question can be asked (the same rule as fix). */
static int check_context(const LeaksArgs *a, const GlobalOptions *g, char **error)
{
        if (g->root)
                return fail(error, -EINVAL, "leaks needs the live host, not --root (use --docker-root DIR)");
        if ((a->release || a->remove_dead) && !a->yes && !isatty(STDIN_FILENO))
                return fail(error, -EINVAL, "stdin is not a terminal; pass --yes to %s without asking",
                        a->release ? "release mounts" : "remove Dead containers");
        return 0;
}

/* --release needs to know which namespace is dockerd's, so as never to enter it. */
static int check_release(const LeaksArgs *a, LeaksState *s)
{
        if (!a->release || s->report.dockerd_known)
                return 0;
        if (strv_extend(&s->report.problems, "--release refused: dockerd's mount namespace is not known") <
                0)
                return log_oom();
        return fail(&s->error, -EPERM,
                "--release refused: dockerd's mount namespace is not known; pass --docker-root DIR "
                "--dockerd-pid PID (nothing released)");
}

/* Finds and prints the leaks; the JSON document waits in *ret_doc for the outcomes. */
static int find_and_report(const LeaksArgs *a, const GlobalOptions *g, LeaksState *s, json_t **ret_doc)
{
        int r = a->docker_root ? find_under_root(a, s) : find_for_unit(g, s);

        if (r < 0)
                return r;
        if (a->json) {
                *ret_doc = report_leaks_to_json(&s->report);
                if (!*ret_doc)
                        return log_oom();
        } else if (report_leaks_text(&s->report, stdout) < 0)
                return log_oom();
        return 0;
}

/* Releases and removes what was asked for; returns the exit status or a negative errno. */
static int act(const LeaksArgs *a, LeaksState *s)
{
        int r;

        if (a->release || a->remove_dead) {
                s->released = json_array();
                s->removed = json_array();
                if (!s->released || !s->removed)
                        return log_oom();
        }
        if (a->release && (r = release_all(a, s)) < 0)
                return r;
        if (a->remove_dead && !s->quit && (r = remove_dead_all(a, s)) < 0)
                return r;
        if (!leak_report_complete(&s->report))
                return EXIT_TROUBLE;
        if (a->release || a->remove_dead)
                return s->n_failed > 0 || s->quit ? EXIT_FINDINGS : EXIT_COMPLIANT;
        return s->report.n_leaks > 0 ? EXIT_FINDINGS : EXIT_COMPLIANT;
}

/* Everything but the JSON document of a failure: the exit status or a negative errno. */
static int run(int argc, char **argv, const GlobalOptions *g, LeaksArgs *a, LeaksState *s, json_t **doc)
{
        int r;

        r = parse_argv(argc, argv, a, &s->error);
        if (r <= 0)
                return r;
        r = check_context(a, g, &s->error);
        if (r < 0)
                return r;
        r = find_and_report(a, g, s, doc);
        if (r < 0)
                return r;
        r = check_release(a, s);
        if (r >= 0)
                r = act(a, s);
        /* the report is printed even when the release failed or was refused */
        if (a->json && *doc) {
                int k = print_json(*doc, s);

                if (k < 0)
                        return k;
        }
        return r;
}

int cmd_leaks(int argc, char **argv, const GlobalOptions *g)
{
        _cleanup_(leaks_state_done) LeaksState s = {};
        _cleanup_json_ json_t *doc = NULL, *err = NULL;
        LeaksArgs a = {};
        bool json = wants_json(argc, argv);
        int r = run(argc, argv, g, &a, &s, &doc);

        if (r >= 0 || doc || !(json || a.json))
                return r;
        err = report_leaks_error_json(s.error ? s.error : strerror(-r));
        if (!err)
                return log_oom();
        if (json_dumpf(err, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
                return log_errorf_errno(-EIO, "writing the report failed");
        putchar('\n');
        return r;
}
