/* SPDX-License-Identifier: MIT */
/* Test helper for the fidelity test: prints the properties dockaudit compares, as one JSON
 * object, read either from a running manager or offline from the files.
 *   unit-props --bus [--user] NAME
 *   unit-props --root DIR [--user] NAME
 * Keys: LoadState, FragmentPath, DropInPaths, MountFlags, ExecStart ([{path, argv}]),
 * Environment, EnvironmentFiles ([{path, ignore}]), LimitNOFILE, LimitNOFILESoft, TasksMax,
 * KillMode (null when not known: offline, a default the files do not tell), BindsTo, Requires,
 * Wants, After (sorted; offline only what the files name, the bus adds the implicit ones).
 * Exit 0, or 1 with a message. */
#include <getopt.h>
#include <jansson.h>

#include "systemd/manager.h"
#include "systemd/unit-bus.h"
#include "systemd/unit-offline.h"

static json_t *strv_json(char *const *l)
{
        json_t *a = json_array();
        for (; a && l && *l; l++)
                json_array_append_new(a, json_string(*l));
        return a;
}

static json_t *number_json(const UnitNumber *n)
{
        return n->set ? json_integer(n->v > (uint64_t) INT64_MAX ? INT64_MAX : (json_int_t) n->v)
                      : json_null();
}

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *) a, *(char *const *) b);
}

static json_t *sorted_json(char *const *l)
{
        _cleanup_strv_free_ char **c = l ? strv_copy(l) : NULL;

        if (c)
                qsort(c, strv_length(c), sizeof(char *), cmp_str);
        return strv_json(c);
}

static json_t *info_json(const UnitInfo *u)
{
        json_t *o = json_object(), *ex = json_array(), *ef = json_array();

        for (size_t i = 0; i < u->n_exec_start; i++)
                json_array_append_new(ex, json_pack("{s:s,s:o}", "path", u->exec_start[i].path, "argv",
                                                  strv_json(u->exec_start[i].argv)));
        for (size_t i = 0; i < u->n_environment_files; i++)
                json_array_append_new(ef, json_pack("{s:s,s:b}", "path", u->environment_files[i].path,
                                                  "ignore", u->environment_files[i].ignore_missing));
        json_object_set_new(o, "LoadState", json_string(u->load_state));
        json_object_set_new(o, "FragmentPath", json_string(u->fragment_path ? u->fragment_path : ""));
        json_object_set_new(o, "DropInPaths", strv_json(u->dropin_paths));
        json_object_set_new(o, "MountFlags", json_integer((json_int_t) u->mount_flags));
        json_object_set_new(o, "ExecStart", ex);
        json_object_set_new(o, "Environment", strv_json(u->environment));
        json_object_set_new(o, "EnvironmentFiles", ef);
        json_object_set_new(o, "LimitNOFILE", number_json(&u->limit_nofile));
        json_object_set_new(o, "LimitNOFILESoft", number_json(&u->limit_nofile_soft));
        json_object_set_new(o, "TasksMax", number_json(&u->tasks_max));
        json_object_set_new(o, "KillMode", u->kill_mode ? json_string(u->kill_mode) : json_null());
        for (UnitDepType t = 0; t < _UNIT_DEP_MAX; t++)
                json_object_set_new(o, unit_dep_type_to_string(t), sorted_json(u->deps[t]));
        return o;
}

int main(int argc, char **argv)
{
        static const struct option opts[] = {
                {"bus", no_argument, NULL, 'b'},
                {"root", required_argument, NULL, 'r'},
                {"user", no_argument, NULL, 'u'},
                {},
        };
        _cleanup_(unit_info_done) UnitInfo u = {};
        _cleanup_free_ char *err = NULL;
        const char *root = NULL;
        bool bus = false, user = false;
        json_t *o;
        int c, r;

        while ((c = getopt_long(argc, argv, "", opts, NULL)) >= 0)
                switch (c) {
                case 'b':
                        bus = true;
                        break;
                case 'r':
                        root = optarg;
                        break;
                case 'u':
                        user = true;
                        break;
                default:
                        return 2;
                }
        if (optind + 1 != argc || bus == !!root) {
                fprintf(stderr, "usage: unit-props --bus|--root DIR [--user] NAME\n");
                return 2;
        }
        if (bus) {
                _cleanup_(sd_bus_flush_close_unrefp) sd_bus *b = NULL;
                r = manager_bus_open(user, 0, &b, &err);
                if (r >= 0)
                        r = unit_info_read(b, user, argv[optind], true, 0, &u, &err);
        } else
                r = unit_info_read_offline(root, user, argv[optind], &u, &err);
        if (r < 0) {
                fprintf(stderr, "unit-props: %s\n", err ? err : strerror(-r));
                return 1;
        }
        o = info_json(&u);
        if (!o || json_dumpf(o, stdout, JSON_SORT_KEYS | JSON_COMPACT) < 0) {
                json_decref(o);
                return 1;
        }
        json_decref(o);
        putchar('\n');
        return 0;
}
