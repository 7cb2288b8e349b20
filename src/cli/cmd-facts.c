/* SPDX-License-Identifier: MIT */
/* dockaudit facts: what was collected, with where each value came from. */
#include <getopt.h>

#include "cli/cmd.h"
#include "collect/collect.h"
#include "formats/json-util.h"
#include "report/report.h"
#include "rules/facts-json.h"

typedef struct FactsArgs {
        bool json; /* --format json */
} FactsArgs;

static int help(FILE *f)
{
        fprintf(f, "Usage: dockaudit facts [--format text|json]\n");
        return 0;
}

static int parse_argv(int argc, char **argv, FactsArgs *a)
{
        static const struct option opts[] = {
                {"format", required_argument, NULL, 'f'},
                {"help", no_argument, NULL, 'h'},
                {},
        };
        int c;

        /* getopt_long() itself names an unknown option or a missing value (see main.c). */
        while ((c = getopt_long(argc, argv, "h", opts, NULL)) >= 0)
                switch (c) {
                case 'f':
                        if (!streq(optarg, "text") && !streq(optarg, "json"))
                                return log_errorf_errno(
                                        -EINVAL, "--format: expected text or json, not '%s'", optarg);
                        a->json = streq(optarg, "json");
                        break;
                case 'h':
                        return help(stdout);
                default:
                        return log_errorf_errno(-EINVAL, "see dockaudit facts --help");
                }
        if (optind < argc)
                return log_errorf_errno(
                        -EINVAL, "unexpected argument '%s' (see dockaudit facts --help)", argv[optind]);
        return 1;
}

static int facts_text(const Facts *f, FILE *out)
{
        size_t width = 0;

        for (size_t i = 0; i < f->n; i++)
                if (strlen(f->v[i].name) > width)
                        width = strlen(f->v[i].name);
        for (size_t i = 0; i < f->n; i++) {
                const Fact *x = &f->v[i];
                _cleanup_free_ char *v = fact_value_to_string(x);

                if (!v)
                        return -ENOMEM;
                if (x->known)
                        fprintf(out, "%-*s  %s%s%s%s\n", (int) width, x->name, *v ? v : "\"\"",
                                x->source ? "  (" : "", strempty(x->source), x->source ? ")" : "");
                else
                        fprintf(out, "%-*s  %s\n", (int) width, x->name, v);
        }
        return 0;
}

static int facts_json(const Facts *f, FILE *out)
{
        _cleanup_json_ json_t *doc =
                json_pack("{s:s, s:o*}", "schema", FACTS_SCHEMA, "facts", facts_to_json(f));

        if (!doc)
                return -ENOMEM;
        if (json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
                return -EIO;
        fputc('\n', out);
        return 0;
}

int cmd_facts(int argc, char **argv, const GlobalOptions *g)
{
        _cleanup_facts_ Facts facts = {};
        FactsArgs a = {};
        int r;

        r = parse_argv(argc, argv, &a);
        if (r <= 0)
                return r;
        r = collect_all(&facts,
                &(CollectOptions){
                        .unit = g->unit, .user = g->user, .root = g->root, .timeout_usec = g->timeout_usec});
        if (r < 0)
                return log_errorf_errno(r, "collecting facts failed: %m");
        r = a.json ? facts_json(&facts, stdout) : facts_text(&facts, stdout);
        if (r >= 0 && fflush(stdout) != 0)
                r = errno > 0 ? -errno : -EIO;
        if (r < 0)
                return log_errorf_errno(r, "writing the facts: %m");
        return 0;
}
