/* SPDX-License-Identifier: MIT */
/* dockerd.hosts, dockerd.containerd, dockerd.log_driver, dockerd.log_opts, dockerd.log_max_size,
 * dockerd.log_max_file, dockerd.cgroup_driver, dockerd.data_root, dockerd.storage_driver: what dockerd runs
 * with, from its flags (the unit's ExecStart= after expansion, $OPTIONS of an EnvironmentFile= included) and
 * daemon.json, each with the file and line it came from. An option given both ways makes dockerd refuse to
 * start (option-set-twice): list facts then hold both, flags first. */
#include "collect/collect-dockerd.h"

#include "basic/env-util.h"
#include "formats/json-util.h"
#include "systemd/unit-provenance.h"

typedef struct ConfigSource {
        const DockerdOptions *opts;
        const DaemonJson *dj; /* loaded (DJ_LOADED), else NULL */
        DaemonJsonState state;
        const char *dj_path;
} ConfigSource;

static char *option_source(const DockerdOption *o)
{
        return o->file ? origin_string(o->file, o->line) : strdup("dockerd command line");
}

static char *json_source(const ConfigSource *c, const char *key)
{
        return origin_string(c->dj->path, daemon_json_key_line(c->dj, key));
}

static const char *flag_name(const char *key)
{
        const DockerdFlagDef *d = dockerd_flag_by_json_key(key);

        return d ? d->name : key;
}

/* A refused or unreadable file: dockerd does not start, and what it would read is unknown. */
static int broken(Facts *f, const ConfigSource *c, const char *name)
{
        return facts_set_unknown(f, name, "%s is unreadable or refused by dockerd", c->dj_path);
}

/* A string option: the last flag (pflag's last assignment wins), else daemon.json's value, else
 * def ("dockerd default: ..."). A flag is known even when the file is refused. */
static int scalar_fact(Facts *f, const ConfigSource *c, const char *name, const char *key, const char *def)
{
        const DockerdOption *o = dockerd_options_find(c->opts, key);
        _cleanup_free_ char *src = NULL;
        json_t *v;

        if (o) {
                src = option_source(o);
                return src ? facts_set_string(f, name, o->value, src) : -ENOMEM;
        }
        if (c->state == DJ_BROKEN)
                return broken(f, c, name);
        if (c->dj && json_is_string(v = json_object_get(c->dj->root, key))) {
                src = json_source(c, key);
                return src ? facts_set_string(f, name, json_string_value(v), src) : -ENOMEM;
        }
        src = strdupf("dockerd default: no --%s flag and no \"%s\" in %s", flag_name(key), key, c->dj_path);
        return src ? facts_set_string(f, name, def, src) : -ENOMEM;
}

/* daemon.json's array of strings (hosts, exec-opts) or object of strings as "k=v" (log-opts),
 * appended to *l in file order. 1 when the key is there, 0 when not. */
static int json_values(const ConfigSource *c, const char *key, char ***l)
{
        json_t *v = c->dj ? json_object_get(c->dj->root, key) : NULL, *x;
        const char *k;
        size_t i;

        if (!v)
                return 0;
        if (json_is_array(v))
                json_array_foreach(v, i, x)
                {
                        if (json_is_string(x) && strv_extend(l, json_string_value(x)) < 0)
                                return -ENOMEM;
                }
        if (json_is_object(v))
                json_object_foreach(v, k, x)
                {
                        if (json_is_string(x) &&
                                strv_consume(l, strdupf("%s=%s", k, json_string_value(x))) < 0)
                                return -ENOMEM;
                }
        return 1;
}

/* A list option from the flags (command-line order), then daemon.json; *ret_src names each
 * place that gave some, or the default (what dockerd does then: none). -ENODATA: the file is
 * refused or unreadable. */
static int gather_list(const ConfigSource *c, const char *key, const char *none, char ***ret, char **ret_src)
{
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *)), **srcs = NULL;
        _cleanup_free_ char *fsrc = NULL, *jsrc = NULL, *src = NULL;
        int r;

        if (!l)
                return -ENOMEM;
        if (c->state == DJ_BROKEN)
                return -ENODATA;
        for (size_t i = 0; i < c->opts->n; i++) {
                const DockerdOption *o = &c->opts->v[i];
                _cleanup_free_ char *os = NULL;

                if (!o->def || !streq(o->json_key, key))
                        continue;
                if (strv_extend(&l, o->value) < 0 || !(os = option_source(o)) ||
                        (!strv_contains(srcs, os) && strv_extend(&srcs, os) < 0))
                        return -ENOMEM;
        }
        if (srcs && !(fsrc = strv_join(srcs, ", ")))
                return -ENOMEM;
        if ((r = json_values(c, key, &l)) < 0)
                return r;
        if (r > 0 && !(jsrc = json_source(c, key)))
                return -ENOMEM;
        if (fsrc && jsrc)
                src = strdupf("%s and %s", fsrc, jsrc);
        else if (fsrc || jsrc)
                src = strdup(fsrc ? fsrc : jsrc);
        else
                src = strdupf("dockerd default: no --%s flag and no \"%s\" in %s (%s)", flag_name(key), key,
                        c->dj_path, none);
        if (!src)
                return -ENOMEM;
        *ret = TAKE_PTR(l);
        *ret_src = TAKE_PTR(src);
        return 0;
}

static int list_fact(Facts *f, const ConfigSource *c, const char *name, const char *key, const char *none)
{
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *src = NULL;
        int r = gather_list(c, key, none, &l, &src);

        if (r == -ENODATA)
                return broken(f, c, name);
        return r < 0 ? r : facts_set_list(f, name, l, src);
}

/* dockerd.log_max_size and dockerd.log_max_file: the last max-size / max-file among the
 * daemon-wide log options (the file's object holds each once; flags: pflag's map, last wins),
 * "" when none. */
static int log_limit_facts(Facts *f, const ConfigSource *c)
{
        static const char *const names[][2] = {
                {"max-size=", "dockerd.log_max_size"}, {"max-file=", "dockerd.log_max_file"}};
        const Fact *lo = facts_get(f, "dockerd.log_opts");
        int r;

        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                const char *v = "";

                if (!lo || !lo->known) {
                        if ((r = broken(f, c, names[i][1])) < 0)
                                return r;
                        continue;
                }
                for (char *const *p = lo->list; p && *p; p++)
                        if (startswith(*p, names[i][0]))
                                v = *p + strlen(names[i][0]);
                if ((r = facts_set_string(f, names[i][1], v, lo->source)) < 0)
                        return r;
        }
        return 0;
}

/* dockerd.cgroup_driver: the first exec-opt that sets native.cgroupdriver (getCD(): see
 * dockerd_exec_opt_cgroup_driver()); "" when none (dockerd then picks cgroupfs, or systemd on a
 * cgroup v2 host run by systemd). With a refused file, a flag that sets it still says it (the
 * flags come first), as for the string options. */
/* The driver the first of l that sets one gives (getCD()): 1 with *ret, 0 when none does, -ENOMEM. */
static int first_cgroup_driver(char *const *l, char **ret)
{
        int r = 0;

        for (char *const *p = l; p && *p && r == 0; p++)
                r = dockerd_exec_opt_cgroup_driver(*p, ret);
        return r;
}

/* A refused daemon.json: the flags come first in getCD()'s order, so one that sets the driver still
 * says it (as a string option's flag does); else unknown. */
static int broken_cgroup_driver_fact(Facts *f, const ConfigSource *c)
{
        for (size_t i = 0; i < c->opts->n; i++) {
                const DockerdOption *o = &c->opts->v[i];
                _cleanup_free_ char *cd = NULL, *src = NULL;
                int r;

                if (!o->def || !streq(o->json_key, "exec-opts") ||
                        (r = dockerd_exec_opt_cgroup_driver(o->value, &cd)) == 0)
                        continue;
                if (r < 0 || !(src = option_source(o)))
                        return -ENOMEM;
                return facts_set_string(f, "dockerd.cgroup_driver", cd, src);
        }
        return broken(f, c, "dockerd.cgroup_driver");
}

static int cgroup_driver_fact(Facts *f, const ConfigSource *c)
{
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *src = NULL, *cd = NULL;
        int r = gather_list(c, "exec-opts", "native.cgroupdriver not configured", &l, &src);

        if (r == -ENODATA)
                return broken_cgroup_driver_fact(f, c);
        if (r < 0)
                return r;
        if ((r = first_cgroup_driver(l, &cd)) != 0)
                return r < 0 ? r : facts_set_string(f, "dockerd.cgroup_driver", cd, src);
        return facts_set_string(f, "dockerd.cgroup_driver", "", src);
}

int dockerd_cgroup_driver_json_fact(Facts *f, const DaemonJson *dj)
{
        const DockerdOptions none = {};
        ConfigSource c = {&none, dj, DJ_LOADED, dj->path};
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *src = NULL, *cd = NULL;
        int r = gather_list(&c, "exec-opts", "native.cgroupdriver not configured", &l, &src);

        if (r < 0 || (r = first_cgroup_driver(l, &cd)) <= 0)
                return r;
        return facts_set_string(f, "dockerd.cgroup_driver", cd, src);
}

int dockerd_config_facts(Facts *f, const DockerdOptions *opts, const DaemonJson *dj, DaemonJsonState state,
        const char *dj_path)
{
        ConfigSource c = {opts, state == DJ_LOADED ? dj : NULL, state, dj_path};
        int r;

        if ((r = list_fact(f, &c, "dockerd.hosts", "hosts", "dockerd listens on its default unix socket")) <
                        0 ||
                (r = scalar_fact(f, &c, "dockerd.containerd", "containerd", "")) < 0 ||
                (r = scalar_fact(f, &c, "dockerd.log_driver", "log-driver", "json-file")) < 0 ||
                (r = list_fact(f, &c, "dockerd.log_opts", "log-opts", "no log options")) < 0 ||
                (r = log_limit_facts(f, &c)) < 0)
                return r;
        return cgroup_driver_fact(f, &c);
}

/* The last flag with a value of key or alias ("graph", data-root's old name): pflag's last
 * assignment wins. NULL when none (or opts is NULL). */
static const DockerdOption *last_flag(const DockerdOptions *opts, const char *key, const char *alias)
{
        const DockerdOption *found = NULL;

        for (size_t i = 0; opts && i < opts->n; i++) {
                const DockerdOption *o = &opts->v[i];

                if (o->value && (streq(o->json_key, key) || (alias && streq(o->json_key, alias))))
                        found = o;
        }
        return found;
}

/* A storage option: its last flag (source: cmd_src, dockerd's command line), else daemon.json's
 * string under key, else under alias ("PATH:LINE"). 1 with *ret_value (borrowed) and *ret_src
 * set, 0 when neither says, -ENOMEM. */
static int storage_option(const DockerdOptions *opts, const char *cmd_src, const DaemonJson *dj,
        const char *key, const char *alias, const char **ret_value, char **ret_src)
{
        const DockerdOption *o = last_flag(opts, key, alias);
        const char *keys[] = {key, alias};

        if (o) {
                *ret_value = o->value;
                *ret_src = strdup(cmd_src);
                return *ret_src ? 1 : -ENOMEM;
        }
        for (size_t i = 0; dj && i < ELEMENTSOF(keys) && keys[i]; i++) {
                const char *s = json_string_value(json_object_get(dj->root, keys[i]));

                if (s) {
                        *ret_value = s;
                        *ret_src = strdupf("%s:%u", dj->path, daemon_json_key_line(dj, keys[i]));
                        return *ret_src ? 1 : -ENOMEM;
                }
        }
        return 0;
}

/* dockerd's default data root: /var/lib/docker; rootless, $XDG_DATA_HOME/docker, else
 * ~/.local/share/docker (of our environment: the user manager's is not kept this far). 1 with
 * *ret, 0 when neither variable is set, -ENOMEM. */
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

int dockerd_storage_facts(Facts *f, const CollectOptions *o, const DockerdOptions *opts, const char *cmd_src,
        const DaemonJson *dj, const char *why)
{
        _cleanup_free_ char *src = NULL, *def = NULL;
        const char *dj_name = dj ? dj->path : "daemon.json", *value = NULL;
        int r;

        if ((r = storage_option(opts, cmd_src, dj, "data-root", "graph", &value, &src)) < 0)
                return r;
        if (r > 0)
                r = facts_set_string(f, "dockerd.data_root", value, src);
        else if (!opts)
                r = facts_set_unknown(f, "dockerd.data_root", "%s", strempty(why));
        else if ((r = default_data_root(o, &def)) < 0)
                return r;
        else if (r == 0)
                r = facts_set_unknown(
                        f, "dockerd.data_root", "rootless default: neither $XDG_DATA_HOME nor $HOME is set");
        else {
                if (!(src = strdupf(
                              "dockerd default: no --data-root flag and no \"data-root\" in %s", dj_name)))
                        return -ENOMEM;
                r = facts_set_string(f, "dockerd.data_root", def, src);
        }
        if (r < 0)
                return r;
        free(src);
        src = NULL;
        if ((r = storage_option(opts, cmd_src, dj, "storage-driver", NULL, &value, &src)) != 0)
                return r < 0 ? r : facts_set_string(f, "dockerd.storage_driver", value, src);
        if (!opts)
                return facts_set_unknown(f, "dockerd.storage_driver", "%s", strempty(why));
        if (!(src = strdupf("dockerd default: no --storage-driver flag and no \"storage-driver\" in %s "
                            "(dockerd picks one)",
                      dj_name)))
                return -ENOMEM;
        return facts_set_string(f, "dockerd.storage_driver", "", src);
}
