/* SPDX-License-Identifier: MIT */
/* dockaudit facts: what was collected, with where each value came from. */
#include <getopt.h>

#include <time.h>

#include "cli/cmd.h"
#include "collect/collect.h"
#include "formats/json-util.h"
#include "report/report.h"
#include "rules/fact-catalog.h"
#include "rules/facts-json.h"

/* The schema of `facts --catalog --format json`. */
#define FACT_CATALOG_SCHEMA "dockaudit-fact-catalog/1"

typedef struct FactsArgs {
        bool json; /* --format json */
        bool catalog; /* --catalog: the names rules may use, not this host's values */
        char *error; /* the first bad argument: parsing goes on, so that --format is known */
} FactsArgs;

static void facts_args_done(FactsArgs *a)
{
        free(a->error);
}

static int help(FILE *f)
{
        fprintf(f, "Usage: dockaudit facts [--format text|json] [--catalog]\n"
                   "\n"
                   "Prints every fact collected from this host (or the --root image): name, value and\n"
                   "where the value came from, or why it is unknown.\n"
                   "  --format FORMAT  text (default) or json (schema " FACTS_SCHEMA ")\n"
                   "  --catalog        the catalog instead: every fact a rule may use, with its type and\n"
                   "                   meaning; nothing is collected (json: " FACT_CATALOG_SCHEMA ")\n"
                   "  -h, --help       this help\n"
                   "Global options (--user, --unit, --root, --timeout, ...): see dockaudit --help.\n");
        return 0;
}

/* Keeps the first error of the command line. 0 or -ENOMEM. */
static int args_error(FactsArgs *a, char *msg)
{
        if (!msg)
                return -ENOMEM;
        if (a->error)
                free(msg);
        else
                a->error = msg;
        return 0;
}

static int parse_option(int c, char **argv, FactsArgs *a)
{
        switch (c) {
        case 'f':
                if (!streq(optarg, "text") && !streq(optarg, "json"))
                        return args_error(a, strdupf("--format: expected text or json, not '%s'", optarg));
                a->json = streq(optarg, "json");
                return 0;
        case 'C':
                a->catalog = true;
                return 0;
        default:
                if (optopt == 'f')
                        return args_error(
                                a, strdupf("option '%s' needs a value (see dockaudit facts --help)",
                                           argv[optind - 1]));
                if (optopt != 0)
                        return args_error(
                                a, strdupf("unknown option '-%c' (see dockaudit facts --help)", optopt));
                return args_error(
                        a, strdupf("unknown option '%s' (see dockaudit facts --help)", argv[optind - 1]));
        }
}

static int parse_argv(int argc, char **argv, FactsArgs *a)
{
        static const struct option opts[] = {
                {"format", required_argument, NULL, 'f'},
                {"catalog", no_argument, NULL, 'C'},
                {"help", no_argument, NULL, 'h'},
                {},
        };
        int c;

        /* The whole line is read first (opterr off): `--bogus --format json` still gets JSON. */
        opterr = 0;
        while ((c = getopt_long(argc, argv, "h", opts, NULL)) >= 0) {
                if (c == 'h')
                        return help(stdout);
                if (parse_option(c, argv, a) < 0)
                        return log_oom();
        }
        if (optind < argc && args_error(a, strdupf("unexpected argument '%s' (see dockaudit facts --help)",
                                                   argv[optind])) < 0)
                return log_oom();
        if (a->error)
                return log_errorf_errno(-EINVAL, "%s", a->error);
        return 1;
}

/* Every string from the host escaped (utf8_escape_non_printable): a fact must not reach the
 * terminal as an escape sequence. */
static int facts_text(const Facts *f, FILE *out)
{
        size_t width = 0;

        for (size_t i = 0; i < f->n; i++)
                if (strlen(f->v[i].name) > width)
                        width = strlen(f->v[i].name);
        for (size_t i = 0; i < f->n; i++) {
                const Fact *x = &f->v[i];
                _cleanup_free_ char *v = fact_value_to_string(x),
                                    *ev = v ? utf8_escape_non_printable(v) : NULL,
                                    *name = utf8_escape_non_printable(x->name),
                                    *src = utf8_escape_non_printable(strempty(x->source));

                if (!ev || !name || !src)
                        return -ENOMEM;
                if (x->known)
                        fprintf(out, "%-*s  %s%s%s%s\n", (int) width, name, *ev ? ev : "\"\"",
                                x->source ? "  (" : "", src, x->source ? ")" : "");
                else
                        fprintf(out, "%-*s  %s\n", (int) width, name, ev);
        }
        return 0;
}

/* {"schema": FACTS_SCHEMA, "tool": {...}, "host": {...}, "facts": {...}}, and "problems": [...]
 * when it could not collect. host NULL: every field unknown ("not collected"). */
static int facts_json(const Facts *f, const HostIdentity *host, const char *problem, FILE *out)
{
        _cleanup_(host_identity_done) HostIdentity none = {};
        _cleanup_json_ json_t *doc = NULL;

        if (!host && host_identity_fill_unknown(&none, "not collected") < 0)
                return -ENOMEM;
        doc = json_pack("{s:s, s:{s:s, s:s}, s:o, s:o}", "schema", FACTS_SCHEMA, "tool", "name",
                PACKAGE_NAME, "version", PACKAGE_VERSION, "host", host_identity_to_json(host ? host : &none),
                "facts", facts_to_json(f));

        if (!doc)
                return -ENOMEM;
        if (problem && json_object_set_new(doc, "problems", json_pack("[o]", json_string_any(problem))) < 0)
                return -ENOMEM;
        if (json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
                return -EIO;
        fputc('\n', out);
        return 0;
}

/* The catalog (rules/fact-catalog.c, the one list rules are validated against), in name
 * order: "NAME  TYPE  DESCRIPTION" columns under a header, or a JSON document. The man page's
 * catalog section is generated from the text form (doc/fact-catalog.awk). */
static int catalog_print(bool json, FILE *out)
{
        size_t n, width = strlen("NAME");
        const FactDef *defs = fact_catalog_all(&n);
        _cleanup_json_ json_t *doc = NULL, *list = json_array();

        if (!json) {
                for (size_t i = 0; i < n; i++)
                        width = strlen(defs[i].name) > width ? strlen(defs[i].name) : width;
                fprintf(out, "%-*s  %-7s  %s\n", (int) width, "NAME", "TYPE", "DESCRIPTION");
                for (size_t i = 0; i < n; i++)
                        fprintf(out, "%-*s  %-7s  %s\n", (int) width, defs[i].name,
                                fact_type_to_string(defs[i].type), defs[i].description);
                return 0;
        }
        if (!list)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                if (json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "name", defs[i].name, "type",
                                                        fact_type_to_string(defs[i].type), "description",
                                                        defs[i].description)) < 0)
                        return -ENOMEM;
        doc = json_pack("{s:s, s:O}", "schema", FACT_CATALOG_SCHEMA, "facts", list);
        if (!doc)
                return -ENOMEM;
        if (json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
                return -EIO;
        fputc('\n', out);
        return 0;
}

static int catalog_run(const FactsArgs *a)
{
        int r = catalog_print(a->json, stdout);

        if (r >= 0 && fflush(stdout) != 0)
                r = errno > 0 ? -errno : -EIO;
        if (r < 0)
                return log_errorf_errno(r, "writing the fact catalog: %m");
        return 0;
}

static int facts_print(const FactsArgs *a, const Facts *facts, const HostIdentity *host, const char *problem)
{
        int r = a->json ? facts_json(facts, host, problem, stdout) : facts_text(facts, stdout);

        if (r >= 0 && fflush(stdout) != 0)
                r = errno > 0 ? -errno : -EIO;
        if (r < 0)
                return log_errorf_errno(r, "writing the facts: %m");
        return 0;
}

int cmd_facts(int argc, char **argv, const GlobalOptions *g)
{
        _cleanup_facts_ Facts facts = {};
        _cleanup_(facts_args_done) FactsArgs a = {};
        _cleanup_(host_identity_done) HostIdentity host = {};
        _cleanup_free_ char *problem = NULL;
        int r;

        r = parse_argv(argc, argv, &a);
        if (r == 0)
                return 0;
        /* --format json prints a document on every path: with no facts and the problem. */
        if (r < 0) {
                if (a.json)
                        (void) facts_print(&a, &facts, NULL, a.error);
                return EXIT_TROUBLE;
        }
        /* The catalog is the code's, not the host's: --root and --unit do not change it. */
        if (a.catalog)
                return catalog_run(&a);
        if (g->root_error) {
                log_error("%s", g->root_error);
                if (a.json)
                        (void) facts_print(&a, &facts, NULL, g->root_error);
                return EXIT_TROUBLE;
        }
        const CollectOptions co = {.unit = g->unit,
                .user = g->user,
                .root = g->root,
                .timeout_usec = g->timeout_usec,
                .files_root = g->host_root,
                .sos = g->sos};

        r = collect_host_identity(&co, time(NULL), &host);
        if (r >= 0)
                r = collect_all(&facts, &co);
        if (r < 0) {
                problem = strdupf("collecting facts failed: %s", strerror(-r));
                log_error("%s", problem ? problem : strerror(-r));
                if (a.json) {
                        facts_done(&facts);
                        (void) facts_print(&a, &facts, NULL, problem);
                }
                return EXIT_TROUBLE;
        }
        r = facts_print(&a, &facts, &host, NULL);
        return r < 0 ? r : 0;
}
