/* SPDX-License-Identifier: MIT */
#include "formats/dockerd-options.h"

#include "basic/path-util.h"
#include "formats/json-util.h"

#define V true /* takes a value */
#define B false /* boolean */

/* Sorted by name (bsearch). See the header for the moby versions this was taken from. */
static const DockerdFlagDef flags[] = {
        {"add-registry", 0, V, "add-registry", false}, /* projectatomic */
        {"add-runtime", 0, V, "runtimes", true},
        {"allow-direct-routing", 0, B, "allow-direct-routing", false},
        {"allow-nondistributable-artifacts", 0, V, "allow-nondistributable-artifacts", true},
        {"api-cors-header", 0, V, "api-cors-header", false},
        {"api-enable-cors", 0, B, "api-enable-cors", false},
        {"authorization-plugin", 0, V, "authorization-plugins", true},
        {"bip", 0, V, "bip", false},
        {"bip6", 0, V, "bip6", false},
        {"block-registry", 0, V, "block-registry", false}, /* projectatomic */
        {"bridge", 'b', V, "bridge", false},
        {"bridge-accept-fwmark", 0, V, "bridge-accept-fwmark", false},
        {"cdi-spec-dir", 0, V, "cdi-spec-dirs", true},
        {"cgroup-parent", 0, V, "cgroup-parent", false},
        {"cluster-advertise", 0, V, "cluster-advertise", false},
        {"cluster-store", 0, V, "cluster-store", false},
        {"cluster-store-opt", 0, V, "cluster-store-opts", true},
        {"config-file", 0, V, "config-file", false},
        {"containerd", 0, V, "containerd", false},
        {"containerd-namespace", 0, V, "containerd-namespace", false},
        {"containerd-plugins-namespace", 0, V, "containerd-plugins-namespace", false},
        {"cpu-rt-period", 0, V, "cpu-rt-period", false},
        {"cpu-rt-runtime", 0, V, "cpu-rt-runtime", false},
        {"cri-containerd", 0, B, "cri-containerd", false},
        {"data-root", 0, V, "data-root", false},
        {"debug", 'D', B, "debug", false},
        {"default-address-pool", 0, V, "default-address-pools", true},
        {"default-cgroupns-mode", 0, V, "default-cgroupns-mode", false},
        {"default-gateway", 0, V, "default-gateway", false},
        {"default-gateway-v6", 0, V, "default-gateway-v6", false},
        {"default-ipc-mode", 0, V, "default-ipc-mode", false},
        {"default-network-opt", 0, V, "default-network-opts", true},
        {"default-runtime", 0, V, "default-runtime", false},
        {"default-shm-size", 0, V, "default-shm-size", false},
        {"default-stop-timeout", 0, V, "default-stop-timeout", false},
        {"default-ulimit", 0, V, "default-ulimits", true},
        {"deprecated-key-path", 0, V, "deprecated-key-path", false},
        {"disable-legacy-registry", 0, B, "disable-legacy-registry", false},
        {"dns", 0, V, "dns", true},
        {"dns-opt", 0, V, "dns-opts", true},
        {"dns-search", 0, V, "dns-search", false},
        {"enable-secrets", 0, B, "enable-secrets", false}, /* projectatomic */
        {"exec-opt", 0, V, "exec-opts", true},
        {"exec-root", 0, V, "exec-root", false},
        {"experimental", 0, B, "experimental", false},
        {"feature", 0, V, "features", true},
        {"firewall-backend", 0, V, "firewall-backend", false},
        {"fixed-cidr", 0, V, "fixed-cidr", false},
        {"fixed-cidr-v6", 0, V, "fixed-cidr-v6", false},
        {"graph", 'g', V, "graph", false},
        {"group", 'G', V, "group", false},
        {"help", 'h', B, "help", false},
        {"host", 'H', V, "hosts", true},
        {"host-gateway-ip", 0, V, "host-gateway-ips", true},
        {"http-proxy", 0, V, "http-proxy", false},
        {"https-proxy", 0, V, "https-proxy", false},
        {"icc", 0, B, "icc", false},
        {"init", 0, B, "init", false},
        {"init-path", 0, V, "init-path", false},
        {"insecure-registry", 0, V, "insecure-registries", true},
        {"ip", 0, V, "ip", false},
        {"ip-forward", 0, B, "ip-forward", false},
        {"ip-forward-no-drop", 0, B, "ip-forward-no-drop", false},
        {"ip-masq", 0, B, "ip-masq", false},
        {"ip6tables", 0, B, "ip6tables", false},
        {"iptables", 0, B, "iptables", false},
        {"ipv6", 0, B, "ipv6", false},
        {"label", 0, V, "labels", true},
        {"live-restore", 0, B, "live-restore", false},
        {"log-driver", 0, V, "log-driver", false},
        {"log-format", 0, V, "log-format", false},
        {"log-level", 'l', V, "log-level", false},
        {"log-opt", 0, V, "log-opts", true},
        {"max-concurrent-downloads", 0, V, "max-concurrent-downloads", false},
        {"max-concurrent-uploads", 0, V, "max-concurrent-uploads", false},
        {"max-download-attempts", 0, V, "max-download-attempts", false},
        {"metrics-addr", 0, V, "metrics-addr", false},
        {"mtu", 0, V, "mtu", false},
        {"network-control-plane-mtu", 0, V, "network-control-plane-mtu", false},
        {"network-diagnostic-port", 0, V, "network-diagnostic-port", false},
        {"no-new-privileges", 0, B, "no-new-privileges", false},
        {"no-proxy", 0, V, "no-proxy", false},
        {"node-generic-resource", 0, V, "node-generic-resources", true},
        {"nri-opts", 0, V, "nri-opts", true},
        {"oom-score-adjust", 0, V, "oom-score-adjust", false},
        {"pidfile", 'p', V, "pidfile", false},
        {"raw-logs", 0, B, "raw-logs", false},
        {"registry-mirror", 0, V, "registry-mirrors", true},
        {"restart", 'r', B, "restart", false},
        {"rootless", 0, B, "rootless", false},
        {"seccomp-profile", 0, V, "seccomp-profile", false},
        {"selinux-enabled", 0, B, "selinux-enabled", false},
        {"shutdown-timeout", 0, V, "shutdown-timeout", false},
        {"signature-verification", 0, B, "signature-verification", false}, /* projectatomic */
        {"storage-driver", 's', V, "storage-driver", false},
        {"storage-opt", 0, V, "storage-opts", true},
        {"swarm-default-advertise-addr", 0, V, "swarm-default-advertise-addr", false},
        {"tls", 0, B, "tls", false},
        {"tlscacert", 0, V, "tlscacert", false},
        {"tlscert", 0, V, "tlscert", false},
        {"tlskey", 0, V, "tlskey", false},
        {"tlsverify", 0, B, "tlsverify", false},
        {"userland-proxy", 0, B, "userland-proxy", false},
        {"userland-proxy-path", 0, V, "userland-proxy-path", false},
        {"userns-remap", 0, V, "userns-remap", false},
        {"validate", 0, B, "validate", false},
        {"version", 'v', B, "version", false},
};

#undef V
#undef B

/* daemon/config: keys never reported as unknown, keys never reported as duplicated, objects
 * not flattened, and keys renamed to a named option (old name -> new name). */
static const char *const skip_validate[] = {
        "features", "builder", "min-api-version", "deprecated-key-path", "allow-nondistributable-artifacts"};
static const char *const skip_duplicates[] = {"runtimes"};
static const char *const flat_options[] = {"cluster-store-opts", "default-network-opts", "log-opts",
        "runtimes", "default-ulimits", "features", "builder", "nri-opts"};
static const struct {
        const char *old_name, *new_name;
} migrated[] = {{"host-gateway-ip", "host-gateway-ips"}};

static bool in_list(const char *const *l, size_t n, const char *s)
{
        for (size_t i = 0; i < n; i++)
                if (streq(l[i], s))
                        return true;
        return false;
}
#define IN(l, s) in_list(l, ELEMENTSOF(l), s)

static int cmp_flag(const void *key, const void *elem)
{
        return strcmp(key, ((const DockerdFlagDef *) elem)->name);
}

const DockerdFlagDef *dockerd_flag_lookup(const char *name)
{
        return bsearch(name, flags, ELEMENTSOF(flags), sizeof flags[0], cmp_flag);
}

const DockerdFlagDef *dockerd_flag_lookup_short(char c)
{
        for (size_t i = 0; i < ELEMENTSOF(flags); i++)
                if (c && flags[i].shorthand == c)
                        return &flags[i];
        return NULL;
}

void dockerd_options_done(DockerdOptions *o)
{
        for (size_t i = 0; i < o->n; i++) {
                free(o->v[i].name);
                free(o->v[i].value);
                free(o->v[i].file);
        }
        free(o->v);
        strv_free(o->args);
        strv_free(o->errors);
        *o = (DockerdOptions){};
}

static int add_option(DockerdOptions *o, const DockerdFlagDef *def, const char *name, size_t name_len,
        const char *value, const ExpandedWord *w)
{
        DockerdOption *v = realloc(o->v, (o->n + 1) * sizeof *v), *x;

        if (!v)
                return -ENOMEM;
        o->v = v;
        x = &o->v[o->n];
        *x = (DockerdOption){.def = def, .line = w->line};
        x->name = def ? strdup(def->name) : strndup(name, name_len);
        x->value = strdup(value);
        x->file = w->file ? strdup(w->file) : NULL;
        if (!x->name || !x->value || (w->file && !x->file)) {
                free(x->name);
                free(x->value);
                free(x->file);
                return -ENOMEM;
        }
        x->json_key = def ? def->json_key : x->name;
        o->n++;
        return 0;
}

_printf_(3, 4) static int add_error(DockerdOptions *o, const ExpandedWord *w, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        char *s;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        s = w->file ? strdupf("%s:%u: %s", w->file, w->line, msg) : strdup(msg);
        return s ? strv_consume(&o->errors, s) : -ENOMEM;
}

static bool is_old_docker(const char *argv0)
{
        return streq(path_basename(argv0), "docker");
}

/* "--name[=value]" at a->v[*i]. */
static int parse_long(DockerdOptions *o, const ExpandedArgv *a, size_t *i)
{
        const ExpandedWord *w = &a->v[*i];
        const char *name = w->text + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t) (eq - name) : strlen(name);
        _cleanup_free_ char *n = strndup(name, len);
        const DockerdFlagDef *def;

        if (!n)
                return -ENOMEM;
        if (len == 0 || name[0] == '-' || name[0] == '=')
                return add_error(o, w, "bad flag syntax: %s", w->text);
        def = dockerd_flag_lookup(n);
        if (!def) {
                /* dockerd refuses it; keep it, with its value if written "=value". */
                int r = add_error(o, w, "unknown flag: --%s", n);
                return r < 0 ? r : add_option(o, NULL, name, len, eq ? eq + 1 : "", w);
        }
        if (eq)
                return add_option(o, def, name, len, eq + 1, w);
        if (!def->takes_value)
                return add_option(o, def, name, len, "true", w);
        if (*i + 1 >= a->n)
                return add_error(o, w, "flag needs an argument: --%s", n);
        (*i)++;
        return add_option(o, def, name, len, a->v[*i].text, w);
}

/* "-abc", "-Hvalue", "-H value", "-H=value" at a->v[*i]. */
static int parse_short(DockerdOptions *o, const ExpandedArgv *a, size_t *i)
{
        const ExpandedWord *w = &a->v[*i];
        const char *s = w->text + 1;
        int r;

        while (*s) {
                const DockerdFlagDef *def = dockerd_flag_lookup_short(*s);
                char c[2] = {*s, 0};

                if (*s == '=' || !def) {
                        r = add_error(o, w, "unknown shorthand flag: '%s' in %s", c, w->text);
                        if (r < 0)
                                return r;
                        r = add_option(o, NULL, c, 1, "", w);
                        return r;
                }
                if (s[1] == '=') /* "-H=value", also "-D=false" */
                        return add_option(o, def, NULL, 0, s + 2, w);
                if (!def->takes_value) {
                        r = add_option(o, def, NULL, 0, "true", w);
                        if (r < 0)
                                return r;
                        s++;
                        continue;
                }
                if (s[1])
                        return add_option(o, def, NULL, 0, s + 1, w);
                if (*i + 1 >= a->n)
                        return add_error(o, w, "flag needs an argument: '%s' in %s", c, w->text);
                (*i)++;
                return add_option(o, def, NULL, 0, a->v[*i].text, w);
        }
        return 0;
}

int dockerd_options_parse(const ExpandedArgv *a, DockerdOptions *ret)
{
        _cleanup_(dockerd_options_done) DockerdOptions o = {};
        size_t i = 1;
        bool old = a->n > 0 && is_old_docker(a->v[0].text), flags_done = false;
        int r = 0;

        o.args = calloc(1, sizeof(char *));
        o.errors = calloc(1, sizeof(char *));
        if (!o.args || !o.errors)
                return -ENOMEM;
        for (; i < a->n && r >= 0; i++) {
                const char *t = a->v[i].text;

                if (old && (streq(t, "-d") || streq(t, "--daemon") || streq(t, "daemon"))) {
                        old = false; /* only the first one selects the daemon */
                        continue;
                }
                if (flags_done || t[0] != '-' || streq(t, "-")) {
                        r = strv_extend(&o.args, t);
                        if (r >= 0 && !flags_done)
                                r = add_error(&o, &a->v[i], "dockerd accepts no arguments: \"%s\"", t);
                } else if (streq(t, "--"))
                        flags_done = true;
                else if (t[1] == '-')
                        r = parse_long(&o, a, &i);
                else
                        r = parse_short(&o, a, &i);
        }
        if (r < 0)
                return r;
        *ret = TAKE_STRUCT(o);
        return 0;
}

const DockerdOption *dockerd_options_find(const DockerdOptions *o, const char *json_key)
{
        for (size_t i = o->n; i > 0; i--)
                if (o->v[i - 1].def && streq(o->v[i - 1].json_key, json_key))
                        return &o->v[i - 1];
        return NULL;
}

int dockerd_option_bool(const DockerdOption *opt, bool *ret)
{
        static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
        static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};

        if (IN(yes, opt->value))
                *ret = true;
        else if (IN(no, opt->value))
                *ret = false;
        else
                return -EINVAL;
        return 0;
}

const char *dockerd_options_config_file(const DockerdOptions *o)
{
        const DockerdOption *x = dockerd_options_find(o, "config-file");

        return x ? x->value : NULL;
}

/* configValuesSet(): nested objects are merged into the top level unless "flat". */
static int flatten(const json_t *config, json_t **ret)
{
        _cleanup_json_ json_t *flat = json_object();
        json_t *v, *iv;
        const char *k, *ik;

        if (!flat)
                return -ENOMEM;
        json_object_foreach((json_t *) config, k, v)
        {
                if (json_is_object(v) && !IN(flat_options, k)) {
                        json_object_foreach(v, ik, iv)
                        {
                                if (json_object_set(flat, ik, iv) < 0)
                                        return -ENOMEM;
                        }
                        continue;
                }
                if (json_object_set(flat, k, v) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(flat);
        return 0;
}

static bool is_named_option(const char *key)
{
        for (size_t i = 0; i < ELEMENTSOF(flags); i++)
                if (flags[i].named && streq(flags[i].json_key, key))
                        return true;
        return false;
}

static bool flag_given(const DockerdOptions *o, const DockerdFlagDef *def)
{
        for (size_t i = 0; i < o->n; i++)
                if (o->v[i].def == def)
                        return true;
        return false;
}

int dockerd_options_conflicts(
        const DockerdOptions *o, const json_t *config, char ***ret_conflicts, char ***ret_unknown)
{
        _cleanup_strv_free_ char **conflicts = calloc(1, sizeof(char *)),
                                 **unknown = calloc(1, sizeof(char *));
        _cleanup_json_ json_t *flat = NULL;
        json_t *v;
        const char *k;

        if (!conflicts || !unknown || flatten(config, &flat) < 0)
                return -ENOMEM;

        /* 1, 2: keys that are neither a flag's name nor a named option's name. */
        json_object_foreach(flat, k, v)
        {
                if (!dockerd_flag_lookup(k) && !IN(skip_validate, k) && !is_named_option(k) &&
                        strv_extend(&unknown, k) < 0)
                        return -ENOMEM;
        }

        /* 3: flags given on the command line whose key is in the file; pflag visits flags sorted by
         * name, each once. */
        for (size_t i = 0; i < ELEMENTSOF(flags); i++) {
                const DockerdFlagDef *def = &flags[i];

                if (!flag_given(o, def))
                        continue;
                if (def->named) {
                        if (json_object_get(flat, def->json_key) && !IN(skip_duplicates, def->json_key) &&
                                strv_extend(&conflicts, def->json_key) < 0)
                                return -ENOMEM;
                } else {
                        char sh[2] = {def->shorthand, 0};
                        const char *names[] = {def->name, def->shorthand ? sh : NULL};

                        for (size_t j = 0; j < ELEMENTSOF(names) && names[j]; j++)
                                if (json_object_get(flat, names[j]) && !IN(skip_duplicates, names[j])) {
                                        if (strv_extend(&conflicts, names[j]) < 0)
                                                return -ENOMEM;
                                        break;
                                }
                }
        }

        /* 4: an old key of a migrated option together with its flag. */
        for (size_t i = 0; i < ELEMENTSOF(migrated); i++) {
                const DockerdFlagDef *def = dockerd_flag_lookup(migrated[i].old_name);

                if (json_object_get(flat, migrated[i].old_name) && def && flag_given(o, def) &&
                        strv_extend(&conflicts, migrated[i].old_name) < 0)
                        return -ENOMEM;
        }

        if (ret_conflicts)
                *ret_conflicts = TAKE_PTR(conflicts);
        if (ret_unknown)
                *ret_unknown = TAKE_PTR(unknown);
        return 0;
}
