/* SPDX-License-Identifier: MIT */
/* dockaudit facts: what was collected, with where each value came from. */
#include <getopt.h>

#include "cli/cmd.h"
#include "collect/collect.h"
#include "rules/facts-json.h"
#include "report/report.h"

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

int cmd_facts(int argc, char **argv, const GlobalOptions *g)
{
        static const struct option opts[] = {
                { "format", required_argument, NULL, 'f' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        _cleanup_facts_ Facts facts = {};
        bool json = false;
        int c, r;

        while ((c = getopt_long(argc, argv, "h", opts, NULL)) >= 0)
                switch (c) {
                case 'f':
                        if (!streq(optarg, "text") && !streq(optarg, "json")) {
                                fprintf(stderr, "dockaudit: --format: expected text or json, not '%s'\n", optarg);
                                return EXIT_TROUBLE;
                        }
                        json = streq(optarg, "json");
                        break;
                case 'h':
                        printf("Usage: dockaudit facts [--format text|json]\n");
                        return 0;
                default:
                        fprintf(stderr, "Usage: dockaudit facts [--format text|json]\n");
                        return EXIT_TROUBLE;
                }
        if (optind < argc) {
                fprintf(stderr, "dockaudit facts: unexpected argument '%s'\n", argv[optind]);
                return EXIT_TROUBLE;
        }

        r = collect_all(&facts, &(CollectOptions){ .unit = g->unit, .user = g->user, .root = g->root });
        if (r < 0) {
                fprintf(stderr, "dockaudit: collecting facts failed: %s\n", strerror(-r));
                return EXIT_TROUBLE;
        }
        if (json) {
                json_t *doc = json_pack("{s:s, s:o*}", "schema", FACTS_SCHEMA, "facts", facts_to_json(&facts));

                if (!doc || json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0) {
                        json_decref(doc);
                        return EXIT_TROUBLE;
                }
                json_decref(doc);
                putchar('\n');
        } else if (facts_text(&facts, stdout) < 0)
                return EXIT_TROUBLE;
        return fflush(stdout) == 0 ? 0 : EXIT_TROUBLE;
}
