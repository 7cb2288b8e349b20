/* SPDX-License-Identifier: MIT */
/* kubelet.* facts: kubelet.service read from its files as the system manager would load it
 * (unit-offline.h, inside --root or "/", $SYSTEMD_UNIT_PATH honoured), its command line after
 * systemd's $VAR expansion (kubeadm's 10-kubeadm.conf passes $KUBELET_KUBEADM_ARGS from
 * /var/lib/kubelet/kubeadm-flags.env and $KUBELET_EXTRA_ARGS from /etc/default/kubelet or
 * /etc/sysconfig/kubelet), then the --config file. A flag wins over the config file, as in
 * kubelet; neither: kubelet's default, cgroupfs. The files are read, not the running kubelet:
 * a kubelet started before they changed is not seen. */
#include "basic/fileio.h"
#include "basic/root-file.h"
#include "collect/collect.h"
#include "formats/kubelet-config.h"
#include "systemd/envfile.h"
#include "systemd/unit-lookup.h"
#include "systemd/unit-offline.h"
#include "systemd/unit-provenance.h"

#define KUBELET_UNIT "kubelet.service"

static const char *const kubelet_facts[] = {"kubelet.cgroup_driver", "kubelet.config_path"};

/* A flag of kubelet's command line ("--name=value" or "--name value"; pflag), the last one. */
typedef struct KubeletFlag {
        const char *value; /* points into the words */
        char *source;
} KubeletFlag;

static void kubelet_flag_done(KubeletFlag *k)
{
        free(k->source);
        *k = (KubeletFlag){};
}

static int find_flag(const ExpandedArgv *a, const char *name, const char *cmd_src, KubeletFlag *ret)
{
        size_t n = strlen(name);

        for (size_t i = 1; i < a->n; i++) {
                const char *w = a->v[i].text, *v = NULL;

                if (streq(w, "--"))
                        break;
                if (strncmp(w, "--", 2) != 0 || strncmp(w + 2, name, n) != 0)
                        continue;
                if (w[2 + n] == '=')
                        v = w + 3 + n;
                else if (w[2 + n] == 0 && i + 1 < a->n)
                        v = a->v[++i].text;
                else
                        continue;
                free(ret->source);
                ret->source = a->v[i].file ? origin_string(a->v[i].file, a->v[i].line) : strdup(cmd_src);
                if (!ret->source)
                        return -ENOMEM;
                ret->value = v;
        }
        return 0;
}

/* Environment= then each EnvironmentFile= into s->environment, as systemd builds the exec
 * environment. A required file that cannot be read: *ret_why (systemd would not start it). */
static int kubelet_environment(const char *root, UnitSettings *s, char **ret_why)
{
        for (size_t i = 0; i < s->n_environment_files; i++) {
                const EnvFileRef *ef = &s->environment_files[i];
                _cleanup_free_ char *data = NULL, *err = NULL;
                _cleanup_strv_free_ char **warnings = NULL;
                size_t size;
                int r;

                r = root_read_file(root, ef->path, &data, &size);
                if (r == -ENOMEM)
                        return r;
                if (r >= 0)
                        r = env_file_parse(ef->path, data, size, &s->environment, &warnings, &err);
                if (r == -ENOMEM)
                        return r;
                if (r < 0 && !ef->ignore_missing) {
                        *ret_why = strdupf("%s: EnvironmentFile= of " KUBELET_UNIT " cannot be read: %s "
                                           "(systemd would not start kubelet)",
                                ef->path, err ? err : read_strerror(r));
                        return *ret_why ? 0 : -ENOMEM;
                }
        }
        return 0;
}

/* kubelet.config_path and the config file's cgroupDriver (*ret NULL when absent or empty).
 * A config file that cannot be read: kubelet.cgroup_driver unknown (*ret_why). */
static int config_file(
        Facts *f, const char *root, const KubeletFlag *config, char **ret, char **ret_src, char **ret_why)
{
        _cleanup_free_ char *data = NULL, *err = NULL, *v = NULL;
        unsigned line = 0;
        size_t size;
        int r;

        if (!config->value)
                return facts_set_string(f, "kubelet.config_path", "", "kubelet: no --config flag");
        if ((r = facts_set_string(f, "kubelet.config_path", config->value, config->source)) < 0)
                return r;
        r = root_read_file(root, config->value, &data, &size);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                *ret_why = strdupf("%s (kubelet's --config, %s) cannot be read: %s", config->value,
                        config->source, read_strerror(r));
                return *ret_why ? 0 : -ENOMEM;
        }
        r = kubelet_config_get(config->value, data, size, "cgroupDriver", &v, &line, &err);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                *ret_why = strdupf("%s (kubelet would refuse it or this reader cannot tell)", strempty(err));
                return *ret_why ? 0 : -ENOMEM;
        }
        if (r > 0 && *v) {
                if (!(*ret_src = origin_string(config->value, line)))
                        return -ENOMEM;
                *ret = TAKE_PTR(v);
        }
        return 0;
}

/* kubelet's flags and config file, from the loaded settings of kubelet.service. */
static int kubelet_driver(Facts *f, const char *root, UnitSettings *s)
{
        _cleanup_(expanded_argv_done) ExpandedArgv words = {}, unwrapped = {};
        _cleanup_free_ char *why = NULL, *cmd_src = NULL, *cfg = NULL, *cfg_src = NULL, *def = NULL;
        _cleanup_(kubelet_flag_done) KubeletFlag flag = {}, config = {};
        const ExpandedArgv *a;
        int r;

        if (s->n_exec_start == 0)
                return facts_set_unknown_all(
                        f, kubelet_facts, ELEMENTSOF(kubelet_facts), KUBELET_UNIT " has no ExecStart=");
        if ((r = kubelet_environment(root, s, &why)) < 0)
                return r;
        if (why)
                return facts_set_unknown_all(f, kubelet_facts, ELEMENTSOF(kubelet_facts), why);
        if (!(cmd_src = origin_string(s->exec_start[0].file, s->exec_start[0].line)) ||
                (r = exec_expand(&s->exec_start[0], &s->environment, &words)) < 0)
                return cmd_src ? r : -ENOMEM;
        r = exec_unwrap_shell(&words, &s->environment, &unwrapped);
        if (r == -ENOMEM)
                return r;
        a = r > 0 ? &unwrapped : &words;
        if ((r = find_flag(a, "cgroup-driver", cmd_src, &flag)) < 0 ||
                (r = find_flag(a, "config", cmd_src, &config)) < 0 ||
                (r = config_file(f, root, &config, &cfg, &cfg_src, &why)) < 0)
                return r;
        if (flag.value)
                return facts_set_string(f, "kubelet.cgroup_driver", flag.value, flag.source);
        if (why)
                return facts_set_unknown(f, "kubelet.cgroup_driver", "%s", why);
        if (cfg)
                return facts_set_string(f, "kubelet.cgroup_driver", cfg, cfg_src);
        def = strdupf("kubelet default: no --cgroup-driver flag (%s) and no cgroupDriver in %s", cmd_src,
                config.value ? config.value : "a --config file");
        return def ? facts_set_string(f, "kubelet.cgroup_driver", "cgroupfs", def) : -ENOMEM;
}

/* kubelet.* when kubelet.service is not found: present false, the others unknown. */
static int kubelet_absent(Facts *f, const char *fragment_path, bool masked)
{
        _cleanup_free_ char *src =
                masked ? strdupf("%s (masked)", fragment_path)
                       : strdup(KUBELET_UNIT ": not in the system manager's unit search path");
        int r;

        if (!src || (r = facts_set_bool(f, "kubelet.present", false, src)) < 0)
                return src ? r : -ENOMEM;
        return facts_set_unknown_all(f, kubelet_facts, ELEMENTSOF(kubelet_facts),
                masked ? "no kubelet on this host (kubelet.service is masked)"
                       : "no kubelet on this host (kubelet.service not found)");
}

/* 0 when no search directory of the system manager has a kubelet.service: the common
 * Docker-only host, told with an lstat() per directory instead of a whole offline load. */
static int kubelet_may_exist(const char *root)
{
        _cleanup_(unit_lookup_done) UnitLookup l = {};
        int r = unit_lookup_init(&l, root, false, NULL);

        return r < 0 ? r : unit_lookup_may_exist(&l, KUBELET_UNIT);
}

int collect_kubelet(Facts *f, const CollectOptions *o)
{
        _cleanup_(unit_info_done) UnitInfo u = {};
        _cleanup_(unit_settings_done) UnitSettings s = {};
        _cleanup_free_ char *err = NULL;
        const char *root = collect_files_root(o) ? collect_files_root(o) : "/";
        int r;

        r = kubelet_may_exist(root);
        if (r == -ENOMEM)
                return r;
        if (r == 0)
                return kubelet_absent(f, NULL, false);
        r = unit_info_read_offline_env(root, false, KUBELET_UNIT, NULL, &u, &s, &err);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return facts_set_unknown(f, "kubelet.present", "%s", err ? err : strerror(-r)) < 0 ||
                                       facts_set_unknown_all(f, kubelet_facts, ELEMENTSOF(kubelet_facts),
                                               "kubelet.service could not be read") < 0
                               ? -ENOMEM
                               : 0;
        if (streq(u.load_state, "not-found") || streq(u.load_state, "masked"))
                return kubelet_absent(f, u.fragment_path, streq(u.load_state, "masked"));
        if ((r = facts_set_bool(f, "kubelet.present", true, u.fragment_path)) < 0)
                return r;
        return kubelet_driver(f, root, &s);
}
