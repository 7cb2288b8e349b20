/* SPDX-License-Identifier: MIT */
/* dockerd.hosts, dockerd.containerd, dockerd.log_driver, dockerd.log_opts, dockerd.log_max_size,
 * dockerd.log_max_file, dockerd.cgroup_driver: what dockerd runs with, from its flags (the unit's ExecStart=
 * after expansion, $OPTIONS of an EnvironmentFile= included) and daemon.json, each with the file and line it
 * came from. An option given both ways makes dockerd refuse to start (option-set-twice): list facts then
 * hold both, flags first. */
#include "collect/collect-dockerd.h"
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
 * cgroup v2 host run by systemd). */
static int cgroup_driver_fact(Facts *f, const ConfigSource *c)
{
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *src = NULL;
        int r = gather_list(c, "exec-opts", "native.cgroupdriver not configured", &l, &src);

        if (r == -ENODATA)
                return broken(f, c, "dockerd.cgroup_driver");
        if (r < 0)
                return r;
        for (char **p = l; *p; p++) {
                _cleanup_free_ char *cd = NULL;

                if ((r = dockerd_exec_opt_cgroup_driver(*p, &cd)) != 0)
                        return r < 0 ? r : facts_set_string(f, "dockerd.cgroup_driver", cd, src);
        }
        return facts_set_string(f, "dockerd.cgroup_driver", "", src);
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
