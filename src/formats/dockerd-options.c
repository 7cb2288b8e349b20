/* SPDX-License-Identifier: MIT */
#include "formats/dockerd-options.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <strings.h>

#include "basic/alloc-util.h"
#include "basic/path-util.h"
#include "basic/vercmp.h"
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

const DockerdFlagDef *dockerd_flag_by_json_key(const char *json_key)
{
        for (size_t i = 0; i < ELEMENTSOF(flags); i++)
                if (streq(flags[i].json_key, json_key))
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
        DockerdOption *x;

        if (!greedy_realloc((void **) &o->v, o->n + 1, sizeof(DockerdOption)))
                return -ENOMEM;
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

int dockerd_exec_opt_cgroup_driver(const char *opt, char **ret)
{
        _cleanup_free_ char *s = strdup(opt);
        char *eq;

        if (!s)
                return -ENOMEM;
        eq = strchr(s, '=');
        if (!eq)
                return 0;
        *eq = 0;
        if (strcasecmp(strstrip(s), "native.cgroupdriver") != 0)
                return 0;
        *ret = strdup(strstrip(eq + 1));
        return *ret ? 1 : -ENOMEM;
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

static bool key_is_known(const char *key, const char *version);

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
                if (!key_is_known(k, NULL) && strv_extend(&unknown, k) < 0)
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

/* The JSON types dockerd 20.10's Config struct decodes its keys into (moby v20.10.24:
 * daemon/config/config.go CommonConfig, LogConfig, DNSConfig, NetworkConfig, CommonTLSOptions,
 * config_unix.go Config and BridgeConfig, config_common_unix.go, registry/config.go
 * ServiceOptions). Keys of later versions are not typed (dockerd 20.10 refuses them as unknown,
 * later versions we do not model the types of). */
typedef enum ConfigType {
        CT_BOOL,
        CT_STRING,
        CT_INT, /* Go int/int64: an integer literal, no fraction or exponent */
        CT_STRV, /* []string */
        CT_MAP_STRING, /* map[string]string */
        CT_MAP_BOOL, /* map[string]bool */
        CT_OBJECT, /* a struct: an object, contents not checked */
        CT_MAP_OBJECT, /* a map of structs: an object of objects, their contents not checked */
        CT_ARRAY, /* a slice of structs: an array, contents not checked */
        CT_IP, /* net.IP: a string that parses as an address, or "" */
        CT_MEMBYTES, /* opts.MemBytes: a string such as "64M"; its UnmarshalJSON refuses null */
} ConfigType;

static const struct {
        const char *key;
        ConfigType type;
} config_types[] = {
        {"allow-nondistributable-artifacts", CT_STRV},
        {"api-cors-header", CT_STRING},
        {"authorization-plugins", CT_STRV},
        {"bip", CT_STRING},
        {"bridge", CT_STRING},
        {"builder", CT_OBJECT},
        {"cgroup-parent", CT_STRING},
        {"cluster-advertise", CT_STRING},
        {"cluster-store", CT_STRING},
        {"cluster-store-opts", CT_MAP_STRING},
        {"containerd", CT_STRING},
        {"containerd-namespace", CT_STRING},
        {"cpu-rt-period", CT_INT},
        {"cpu-rt-runtime", CT_INT},
        {"cri-containerd", CT_BOOL},
        {"data-root", CT_STRING},
        {"debug", CT_BOOL},
        {"default-address-pools", CT_ARRAY},
        {"default-cgroupns-mode", CT_STRING},
        {"default-gateway", CT_IP},
        {"default-gateway-v6", CT_IP},
        {"default-ipc-mode", CT_STRING},
        {"default-runtime", CT_STRING},
        {"default-shm-size", CT_MEMBYTES},
        {"default-ulimits", CT_MAP_OBJECT},
        {"deprecated-key-path", CT_STRING},
        {"dns", CT_STRV},
        {"dns-opts", CT_STRV},
        {"dns-search", CT_STRV},
        {"exec-opts", CT_STRV},
        {"exec-root", CT_STRING},
        {"experimental", CT_BOOL},
        {"features", CT_MAP_BOOL},
        {"fixed-cidr", CT_STRING},
        {"fixed-cidr-v6", CT_STRING},
        {"graph", CT_STRING},
        {"group", CT_STRING},
        {"host-gateway-ip", CT_IP},
        {"hosts", CT_STRV},
        {"icc", CT_BOOL},
        {"init", CT_BOOL},
        {"init-path", CT_STRING},
        {"insecure-registries", CT_STRV},
        {"ip", CT_IP},
        {"ip-forward", CT_BOOL},
        {"ip-masq", CT_BOOL},
        {"ip6tables", CT_BOOL},
        {"iptables", CT_BOOL},
        {"ipv6", CT_BOOL},
        {"labels", CT_STRV},
        {"live-restore", CT_BOOL},
        {"log-driver", CT_STRING},
        {"log-level", CT_STRING},
        {"log-opts", CT_MAP_STRING},
        {"max-concurrent-downloads", CT_INT},
        {"max-concurrent-uploads", CT_INT},
        {"max-download-attempts", CT_INT},
        {"metrics-addr", CT_STRING},
        {"mtu", CT_INT},
        {"network-control-plane-mtu", CT_INT},
        {"network-diagnostic-port", CT_INT},
        {"no-new-privileges", CT_BOOL},
        {"node-generic-resources", CT_STRV},
        {"oom-score-adjust", CT_INT},
        {"pidfile", CT_STRING},
        {"raw-logs", CT_BOOL},
        {"registry-mirrors", CT_STRV},
        {"rootless", CT_BOOL},
        {"runtimes", CT_MAP_OBJECT},
        {"seccomp-profile", CT_STRING},
        {"selinux-enabled", CT_BOOL},
        {"shutdown-timeout", CT_INT},
        {"storage-driver", CT_STRING},
        {"storage-opts", CT_STRV},
        {"swarm-default-advertise-addr", CT_STRING},
        {"tls", CT_BOOL},
        {"tlscacert", CT_STRING},
        {"tlscert", CT_STRING},
        {"tlskey", CT_STRING},
        {"tlsverify", CT_BOOL},
        {"userland-proxy", CT_BOOL},
        {"userland-proxy-path", CT_STRING},
        {"userns-remap", CT_STRING},
};

static bool ip_is_valid(const char *s)
{
        unsigned char buf[sizeof(struct in6_addr)];

        return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* go-units RAMInBytes(): ^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$ */
static bool membytes_is_valid(const char *s)
{
        if (!isdigit((unsigned char) *s))
                return false;
        while (isdigit((unsigned char) *s) || (*s == '.' && isdigit((unsigned char) s[1])))
                s++;
        if (*s == ' ')
                s++;
        if (*s && strchr("kKmMgGtTpP", *s))
                s++;
        if (*s == 'i' || *s == 'I')
                s++;
        if (*s == 'b' || *s == 'B')
                s++;
        return *s == 0;
}

/* An element of a CT_STRV array or a CT_MAP_* object fits the type (null always does). */
static bool element_fits(ConfigType t, const json_t *x)
{
        switch (t) {
        case CT_STRV:
        case CT_MAP_STRING:
                return json_is_null(x) || json_is_string(x);
        case CT_MAP_BOOL:
                return json_is_null(x) || json_is_boolean(x);
        case CT_MAP_OBJECT:
                return json_is_null(x) || json_is_object(x);
        default:
                return true;
        }
}

/* The first element of the array or object v that does not fit t, NULL when all do; its
 * index or key in *ret_index / *ret_key. */
static const json_t *first_misfit(ConfigType t, const json_t *v, size_t *ret_index, const char **ret_key)
{
        const char *k;
        json_t *x;
        size_t i;

        if (json_is_array(v)) {
                json_array_foreach(v, i, x)
                {
                        if (!element_fits(t, x)) {
                                *ret_index = i;
                                return x;
                        }
                }
                return NULL;
        }
        json_object_foreach((json_t *) v, k, x)
        {
                if (!element_fits(t, x)) {
                        *ret_key = k;
                        return x;
                }
        }
        return NULL;
}

/* What a mismatching value is, for messages: a string quoted; a container of the right kind
 * by its first element that does not fit ("an object whose "max-file" is an integer"). */
static char *describe_value(ConfigType t, const json_t *v)
{
        const char *key = NULL;
        size_t index = 0;
        const json_t *x;

        if (json_is_string(v))
                return json_dumps(v, JSON_ENCODE_ANY);
        /* Only a container of the kind the type wants: its elements are what is wrong. */
        if ((json_is_array(v) ? t == CT_STRV : json_is_object(v) && t != CT_STRV) &&
                (x = first_misfit(t, v, &index, &key)))
                return key ? strdupf("an object whose \"%s\" is %s", key, json_kind(x))
                           : strdupf("an array whose item %zu is %s", index, json_kind(x));
        return strdup(json_kind(v));
}

/* What the type demands, for messages; NULL when v fits. */
static const char *type_mismatch(ConfigType t, const json_t *v)
{
        const char *key = NULL;
        size_t index = 0;

        if (json_is_null(v))
                return t == CT_MEMBYTES ? "a size string such as \"64M\"" : NULL;
        switch (t) {
        case CT_BOOL:
                return json_is_boolean(v) ? NULL : "true or false";
        case CT_STRING:
                return json_is_string(v) ? NULL : "a string";
        case CT_INT:
                return json_is_integer(v) ? NULL : "an integer";
        case CT_STRV:
                return json_is_array(v) && !first_misfit(t, v, &index, &key) ? NULL : "an array of strings";
        case CT_MAP_STRING:
                return json_is_object(v) && !first_misfit(t, v, &index, &key) ? NULL
                                                                              : "an object of strings";
        case CT_MAP_BOOL:
                return json_is_object(v) && !first_misfit(t, v, &index, &key)
                               ? NULL
                               : "an object of true/false values";
        case CT_OBJECT:
                return json_is_object(v) ? NULL : "an object";
        case CT_MAP_OBJECT:
                return json_is_object(v) && !first_misfit(t, v, &index, &key) ? NULL
                                                                              : "an object of objects";
        case CT_ARRAY:
                return json_is_array(v) ? NULL : "an array";
        case CT_IP:
                return json_is_string(v) && (!*json_string_value(v) || ip_is_valid(json_string_value(v)))
                               ? NULL
                               : "an IP address";
        case CT_MEMBYTES:
                return json_is_string(v) && membytes_is_valid(json_string_value(v))
                               ? NULL
                               : "a size string such as \"64M\"";
        }
        return NULL;
}

static int config_type_of(const char *key)
{
        for (size_t i = 0; i < ELEMENTSOF(config_types); i++)
                if (streq(config_types[i].key, key))
                        return (int) config_types[i].type;
        return -1;
}

/* When dockerd learnt or dropped a name (a flag's long name, which findConfigurationConflicts()
 * accepts as a daemon.json key, or a key of its own): known by versions >= since and < until
 * (NULL: no bound). Read off moby's tags v1.13.1 to docker-v29.1.0 and master b985e2313a
 * (cmd/dockerd, daemon/config, daemon/command, registry/config.go: the flags defined,
 * NewNamed*Opts names, skipValidateOptions). "until" is the first version that refuses the name:
 * 23.0 still defines --graph and --cluster-* but refuses them ("the \"graph\" config file option is
 * deprecated", "... options have been removed"). Names only on master are given 29.2, the release
 * after the last tag read. Names not listed are known by every version from 1.13 on. */
static const struct {
        const char *name, *since, *until;
} name_versions[] = {
        {"add-registry", NULL, "17.03"}, /* projectatomic docker 1.13.1 */
        {"allow-direct-routing", "28.2", NULL},
        {"allow-nondistributable-artifacts", "17.06", NULL}, /* a skipValidateOptions key from 29.0 */
        {"api-cors-header", NULL, "29.0"},
        {"api-enable-cors", NULL, "17.09"},
        {"bip6", "28.0", NULL},
        {"block-registry", NULL, "17.03"}, /* projectatomic */
        {"bridge-accept-fwmark", "29.0", NULL},
        {"builder", "18.09", NULL},
        {"cdi-spec-dir", "25.0", NULL},
        {"cdi-spec-dirs", "25.0", NULL},
        {"cluster-advertise", NULL, "23.0"},
        {"cluster-store", NULL, "23.0"},
        {"cluster-store-opt", NULL, "23.0"},
        {"cluster-store-opts", NULL, "23.0"},
        {"containerd-namespace", "19.03", NULL},
        {"containerd-plugins-namespace", "19.03", NULL},
        {"cri-containerd", "18.09", NULL},
        {"data-root", "17.05", NULL},
        {"default-address-pool", "18.06", NULL},
        {"default-address-pools", "18.06", NULL},
        {"default-cgroupns-mode", "20.10", NULL},
        {"default-ipc-mode", "17.09", NULL},
        {"default-network-opt", "24.0", NULL},
        {"default-network-opts", "24.0", NULL},
        {"default-shm-size", "17.04", NULL},
        {"default-stop-timeout", "29.2", NULL},
        {"deprecated-key-path", "17.06", NULL}, /* a flag to 18.09, a skipValidateOptions key from 19.03 */
        {"disable-legacy-registry", NULL, "19.03"},
        {"enable-secrets", NULL, "17.03"}, /* projectatomic */
        {"feature", "27.3", NULL},
        {"features", "18.09", NULL},
        {"firewall-backend", "29.0", NULL},
        {"graph", NULL, "23.0"},
        {"host-gateway-ip", "20.10", NULL}, /* migrated to host-gateway-ips in 28.0, still accepted */
        {"host-gateway-ips", "28.0", NULL},
        {"http-proxy", "23.0", NULL},
        {"https-proxy", "23.0", NULL},
        {"ip-forward-no-drop", "28.0", NULL},
        {"ip6tables", "20.10", NULL},
        {"log-format", "25.0", NULL},
        {"max-download-attempts", "20.10", NULL},
        {"min-api-version", "29.0", NULL},
        {"network-control-plane-mtu", "17.09", NULL},
        {"network-diagnostic-port", "17.12", NULL},
        {"no-new-privileges", "17.06", NULL},
        {"no-proxy", "23.0", NULL},
        {"node-generic-resource", "17.12", NULL},
        {"node-generic-resources", "17.12", NULL},
        {"nri-opts", "29.2", NULL},
        {"oom-score-adjust", NULL, "26.0"},
        {"rootless", "19.03", NULL},
        {"signature-verification", NULL, "17.03"}, /* projectatomic */
        {"validate", "23.0", NULL},
};

/* Known by dockerd of version; version NULL: by some version. *ret_since and *ret_until (may be
 * NULL) get the bounds when it is not. */
static bool name_known(const char *name, const char *version, const char **ret_since, const char **ret_until)
{
        if (!version)
                return true;
        for (size_t i = 0; i < ELEMENTSOF(name_versions); i++) {
                const char *since = name_versions[i].since, *until = name_versions[i].until;

                if (!streq(name_versions[i].name, name))
                        continue;
                if ((since && rpmvercmp(version, since) < 0) || (until && rpmvercmp(version, until) >= 0)) {
                        if (ret_since)
                                *ret_since = since;
                        if (ret_until)
                                *ret_until = until;
                        return false;
                }
                return true;
        }
        return true;
}

/* One definition of "a key dockerd knows" (findConfigurationConflicts() steps 1 and 2): a flag's
 * name, a named option's name or a skipValidateOptions key, of the version (NULL: of any). */
static bool key_is_known(const char *key, const char *version)
{
        return (dockerd_flag_lookup(key) || IN(skip_validate, key) || is_named_option(key)) &&
               name_known(key, version, NULL, NULL);
}

/* Why key is unknown, for messages: "(added in 23.0)", "(removed in 23.0)", or "". */
static char *unknown_why(const char *key, const char *version)
{
        const char *since = NULL, *until = NULL;

        if (!version || !(dockerd_flag_lookup(key) || IN(skip_validate, key) || is_named_option(key)))
                return strdup("");
        (void) name_known(key, version, &since, &until);
        if (since && rpmvercmp(version, since) < 0)
                return strdupf(" (dockerd %s added it)", since);
        return until ? strdupf(" (dockerd %s removed it)", until) : strdup("");
}

/* Calls cb for each key configValuesSet() gives findConfigurationConflicts(): top-level keys, and
 * the keys of a nested object that is not a "flat" one (with parent set). Stops at cb's first
 * nonzero return. */
typedef int (*flat_key_cb)(const char *key, const char *parent, void *userdata);
static int foreach_flat_key(const json_t *root, flat_key_cb cb, void *userdata)
{
        const char *k, *ik;
        json_t *v, *iv;
        int r;

        json_object_foreach((json_t *) root, k, v)
        {
                if (!json_is_object(v) || IN(flat_options, k)) {
                        if ((r = cb(k, NULL, userdata)) != 0)
                                return r;
                        continue;
                }
                json_object_foreach(v, ik, iv)
                {
                        if ((r = cb(ik, k, userdata)) != 0)
                                return r;
                }
        }
        return 0;
}

typedef struct UnknownKeys {
        const DaemonJson *d;
        const char *version;
        char ***list; /* collect every one, or */
        char **error; /* stop at the first with a message */
} UnknownKeys;

static int unknown_key_cb(const char *key, const char *parent, void *userdata)
{
        UnknownKeys *u = userdata;
        _cleanup_free_ char *why = NULL, *who = NULL;

        if (key_is_known(key, u->version))
                return 0;
        if (u->list)
                return strv_contains(*u->list, key) || strv_extend(u->list, key) >= 0 ? 0 : -ENOMEM;
        why = unknown_why(key, u->version);
        who = u->version ? strdupf("an option of dockerd %s", u->version) : strdup("a dockerd option");
        if (!why || !who)
                return -ENOMEM;
        if (parent)
                return error_setf(u->error, -EINVAL,
                        "%s:%u: \"%s\" (inside \"%s\", which dockerd reads as top-level options) is not "
                        "%s%s",
                        u->d->path, daemon_json_key_line(u->d, parent), key, parent, who, why);
        return error_setf(u->error, -EINVAL, "%s:%u: \"%s\" is not %s%s", u->d->path,
                daemon_json_key_line(u->d, key), key, who,
                *why ? why : " (keys match exactly, case included)");
}

int dockerd_config_unknown_keys(const DaemonJson *d, const char *version, char ***ret)
{
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));
        UnknownKeys u = {d, version, &l, NULL};
        int r;

        if (!l)
                return -ENOMEM;
        if ((r = foreach_flat_key(d->root, unknown_key_cb, &u)) < 0)
                return r;
        *ret = TAKE_PTR(l);
        return 0;
}

static int check_unknown_keys(const DaemonJson *d, const char *version, char **ret_error)
{
        return foreach_flat_key(d->root, unknown_key_cb, &(UnknownKeys){d, version, NULL, ret_error});
}

typedef struct TypeCheck {
        const DaemonJson *d;
        char **error;
} TypeCheck;

/* One member against its type: 0, or -EINVAL with the message. line 0: look it up. */
static int check_member(const char *k, json_t *v, unsigned line, void *userdata)
{
        const TypeCheck *c = userdata;
        int t = config_type_of(k);
        const char *want = t < 0 ? NULL : type_mismatch((ConfigType) t, v);
        _cleanup_free_ char *got = NULL;

        if (!want)
                return 0;
        if (!(got = describe_value((ConfigType) t, v)))
                return -ENOMEM;
        return error_setf(c->error, -EINVAL, "%s:%u: \"%s\" must be %s, not %s", c->d->path,
                line ? line : daemon_json_key_line(c->d, k), k, want, got);
}

/* The decode into dockerd's Config struct: every member of a known type, each occurrence of a
 * key given twice (Go decodes both into the field); when the text cannot be walked member by
 * member, the parsed object (the last occurrences). */
static int check_types(const DaemonJson *d, char **ret_error)
{
        TypeCheck c = {d, ret_error};
        _cleanup_free_ char *walk_error = NULL;
        const char *k;
        json_t *v;
        int r;

        r = daemon_json_foreach_member(d, check_member, &(TypeCheck){d, &walk_error});
        if (r == -EINVAL && walk_error)
                return error_setf(ret_error, r, "%s", walk_error);
        if (r != -EINVAL)
                return r;
        json_object_foreach(d->root, k, v)
        {
                if ((r = check_member(k, v, 0, &c)) < 0)
                        return r;
        }
        return 0;
}

static const char *string_of(const DaemonJson *d, const char *key)
{
        json_t *v = json_object_get(d->root, key);

        return json_is_string(v) ? json_string_value(v) : "";
}

_printf_(4, 5) static int refuse(
        const DaemonJson *d, const char *key, char **ret_error, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        return error_setf(
                ret_error, -EINVAL, "%s:%u: \"%s\": %s", d->path, daemon_json_key_line(d, key), key, msg);
}

/* Validate()'s list checks: dns entries are IP addresses (after trimming spaces), labels are
 * key=value outside the reserved namespaces. */
static int check_lists(const DaemonJson *d, char **ret_error)
{
        static const char *const reserved[] = {"com.docker.", "io.docker.", "org.dockerproject."};
        json_t *x;
        size_t i;

        json_array_foreach(json_object_get(d->root, "dns"), i, x)
        {
                _cleanup_free_ char *s = strdup(json_string_value(x) ? json_string_value(x) : "");
                if (!s)
                        return -ENOMEM;
                if (!ip_is_valid(strstrip(s)))
                        return refuse(d, "dns", ret_error, "%s is not an ip address",
                                strempty(json_string_value(x)));
        }
        json_array_foreach(json_object_get(d->root, "labels"), i, x)
        {
                const char *l = json_string_value(x) ? json_string_value(x) : "";
                if (!strchr(l, '='))
                        return refuse(d, "labels", ret_error, "bad attribute format: %s", l);
                for (size_t j = 0; j < ELEMENTSOF(reserved); j++)
                        if (strncasecmp(l, reserved[j], strlen(reserved[j])) == 0)
                                return refuse(d, "labels", ret_error,
                                        "label %s is not allowed: the namespace %s* is reserved", l,
                                        reserved[j]);
        }
        return 0;
}

/* Validate()'s number and runtime checks, ValidatePlatformConfig() and configureDaemonLogs(). */
static int check_values(const DaemonJson *d, char **ret_error)
{
        static const char *const builtin_runtimes[] = {
                "runc", "io.containerd.runtime.v1.linux", "io.containerd.runc.v2"};
        static const char *const log_levels[] = {
                "panic", "fatal", "error", "warn", "warning", "info", "debug", "trace"};
        static const char *const counts[] = {"max-concurrent-downloads", "max-concurrent-uploads"};
        json_t *runtimes = json_object_get(d->root, "runtimes");
        const char *s;
        int r;

        if ((r = check_lists(d, ret_error)) < 0)
                return r;
        for (size_t i = 0; i < ELEMENTSOF(counts); i++)
                if (json_integer_value(json_object_get(d->root, counts[i])) < 0)
                        return refuse(d, counts[i], ret_error, "must not be negative");
        if (json_is_integer(json_object_get(d->root, "max-download-attempts")) &&
                json_integer_value(json_object_get(d->root, "max-download-attempts")) <= 0)
                return refuse(d, "max-download-attempts", ret_error, "must be at least 1");
        if (json_object_get(runtimes, "runc"))
                return refuse(d, "runtimes", ret_error, "runtime name 'runc' is reserved");
        s = string_of(d, "default-runtime");
        if (*s && !IN(builtin_runtimes, s) && !json_object_get(runtimes, s))
                return refuse(
                        d, "default-runtime", ret_error, "specified default runtime '%s' does not exist", s);
        s = string_of(d, "default-ipc-mode");
        if (*s && !streq(s, "private") && !streq(s, "shareable"))
                return refuse(d, "default-ipc-mode", ret_error,
                        "'%s' is invalid; use \"shareable\" or \"private\"", s);
        s = string_of(d, "default-cgroupns-mode");
        if (*s && !streq(s, "private") && !streq(s, "host"))
                return refuse(d, "default-cgroupns-mode", ret_error,
                        "'%s' is invalid; use \"host\" or \"private\"", s);
        s = string_of(d, "log-level");
        for (size_t i = 0; *s && i < ELEMENTSOF(log_levels); i++)
                if (strcasecmp(s, log_levels[i]) == 0)
                        s = "";
        if (*s)
                return refuse(d, "log-level", ret_error, "unable to parse logging level: %s", s);
        return 0;
}

int dockerd_config_check(const DaemonJson *d, const char *version, char **ret_error)
{
        int r;

        if (d->bom)
                return error_setf(ret_error, -EINVAL,
                        "%s:1:1: a UTF-8 byte order mark starts the file (dockerd before 23.0 refuses it: "
                        "\"invalid character 'ï' looking for beginning of value\")",
                        d->path);
        if (d->empty)
                return error_setf(ret_error, -EINVAL,
                        "%s: the file is empty (dockerd before 23.0 refuses it: \"EOF\"; write {} instead)",
                        d->path);
        if ((r = check_unknown_keys(d, version, ret_error)) < 0 || (r = check_types(d, ret_error)) < 0)
                return r;
        if (*string_of(d, "graph") && *string_of(d, "data-root"))
                return refuse(d, "graph", ret_error, "cannot specify both \"graph\" and \"data-root\"");
        return check_values(d, ret_error);
}
