/* SPDX-License-Identifier: MIT */
/* dockerd.*, daemon_json.* and docker.* facts: dockerd's effective options from every source
 * (the unit's ExecStart= as the manager loaded it, its environment, daemon.json), then the
 * Engine API it listens on. */
#include "collect/collect-dockerd.h"
#include "basic/env-util.h"
#include "basic/fileio.h"
#include "basic/root-file.h"
#include "formats/daemon-json.h"
#include "formats/dockerd-options.h"
#include "systemd/unit-provenance.h"

static const char *const dockerd_fact_names[] = {
        "dockerd.argv",
        "dockerd.flags",
        "dockerd.live_restore",
        "dockerd.conflicting_options",
        "dockerd.environment_warnings",
        "dockerd.hosts",
        "dockerd.containerd",
        "dockerd.log_driver",
        "dockerd.log_opts",
        "dockerd.log_max_size",
        "dockerd.log_max_file",
        "dockerd.cgroup_driver",
        "dockerd.validate_message",
};

int collect_dockerd_unknown(Facts *f, const char *reason)
{
        return facts_set_unknown_all(f, dockerd_fact_names, ELEMENTSOF(dockerd_fact_names), reason);
}

/* One EnvironmentFile= as systemd's exec_context_load_environment() (v252) loads it: a file
 * that cannot be read, or that load_env_file() rejects (invalid UTF-8), fails the start of the
 * service ("Failed to load environment files") unless the path has "-", which skips the file
 * whole. That is the audit's problem (exit 2). Lines with invalid names are logged and
 * ignored by systemd: they go to *warnings. */
static int load_environment_file(
        Facts *f, const UnitInfo *u, const EnvFileRef *ef, const char *root, EnvBlock *env, char ***warnings)
{
        _cleanup_free_ char *data = NULL, *err = NULL;
        size_t size;
        int r;

        r = root_read_file(root, ef->path, &data, &size);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return ef->ignore_missing
                               ? 0
                               : facts_add_problem(f,
                                         "%s: EnvironmentFile= of %s cannot be read: %s (systemd "
                                         "refuses to start the service: \"Failed to load environment "
                                         "files\")",
                                         ef->path, u->name, read_strerror(r));
        r = env_file_parse(ef->path, data, size, env, warnings, &err);
        if (r == -ENOMEM)
                return r;
        if (r < 0 && !ef->ignore_missing)
                return facts_add_problem(f,
                        "%s (systemd refuses to start %s with this EnvironmentFile=: \"Failed to load "
                        "environment files\")",
                        err ? err : ef->path, u->name);
        return 0;
}

/* The environment dockerd's ExecStart= is expanded with: Environment= (file:line from our
 * parse when it agrees with the loaded value), then each EnvironmentFile= in order. */
static int build_environment(Facts *f, const UnitInfo *u, const UnitSettings *s, const char *root,
        EnvBlock *env, char ***warnings)
{
        int r;

        for (char **e = u->environment; e && *e; e++) {
                _cleanup_free_ char *name = NULL;
                const char *value;
                const EnvVar *v;

                r = unit_settings_env_lookup(s, *e, &name, &value, &v);
                if (r < 0)
                        return r;
                if (r == 0)
                        continue;
                if (v)
                        r = env_block_set(env, name, value, v->file, v->line);
                else
                        r = env_block_set(env, name, value, UNIT_SRC(u, "Service.Environment"), 0);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < u->n_environment_files; i++)
                if ((r = load_environment_file(f, u, &u->environment_files[i], root, env, warnings)) < 0)
                        return r;
        return 0;
}

/* The command that runs dockerd: the one whose program or arguments name dockerd/docker,
 * else the first. Returns the index into u->exec_start. */
static size_t pick_dockerd_command(const UnitInfo *u)
{
        for (size_t i = 0; i < u->n_exec_start; i++)
                for (char **a = u->exec_start[i].argv; a && *a; a++)
                        if (strstr(*a, "dockerd") || strstr(*a, "docker daemon"))
                                return i;
        return 0;
}

static int words_to_strv(const ExpandedArgv *a, char ***ret)
{
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));
        size_t n = 0;

        if (!l)
                return -ENOMEM;
        for (size_t i = 0; i < a->n; i++)
                if (strv_consume_at(&l, &n, strdup(a->v[i].text)) < 0)
                        return -ENOMEM;
        *ret = TAKE_PTR(l);
        return 0;
}

/* dockerd's default daemon.json: /etc/docker for the system daemon; for the rootless one, under
 * the user's config home (with neither $XDG_CONFIG_HOME nor $HOME, where an empty $HOME puts it). */
/* dockerd's default config file: rootless, $XDG_CONFIG_HOME/docker or ~/.config/docker of the
 * environment dockerd runs with (the user manager's). */
static char *default_daemon_json(const CollectOptions *o)
{
        _cleanup_free_ char *config = NULL;

        if (!o->user)
                return strdup("/etc/docker/daemon.json");
        if (env_user_config_home(o->manager_env, &config) < 0)
                return NULL;
        return strdupf("%s/docker/daemon.json", config ? config : "/.config");
}

/* Reads and judges the file as dockerd of version (NULL: unknown) does (parse, then
 * dockerd_config_check()). Returns 0 with *ret loaded, -ENOENT, -EINVAL (refused, *ret_error
 * says why; *ret is loaded when the file parsed and dockerd_config_check() refused it),
 * another negative errno when it cannot be read (*ret_error: "PATH: why"), or -ENOMEM. */
static int daemon_json_read(
        const char *root, const char *path, const char *version, DaemonJson *ret, char **ret_error)
{
        _cleanup_(daemon_json_done) DaemonJson d = {};
        _cleanup_free_ char *data = NULL;
        size_t size = 0;
        int r;

        /* Read inside --root (links cannot leave it); messages name the path dockerd would use. */
        r = root_read_file(root, path, &data, &size);
        if (r == -ENOENT || r == -ENOMEM)
                return r;
        if (r == -EFBIG)
                return error_setf(
                        ret_error, r, "%s: larger than %u MiB, not read", path, READ_FULL_MAX >> 20);
        if (r < 0)
                return error_setf(ret_error, r, "%s: cannot be read: %s", path, read_strerror(r));
        if ((r = daemon_json_parse(path, data, size, &d, ret_error)) < 0)
                return r;
        r = dockerd_config_check(&d, version, ret_error);
        if (r < 0 && r != -EINVAL)
                return r;
        *ret = TAKE_STRUCT(d);
        return r;
}

/* daemon_json.unknown_keys: the keys (nested objects flattened as dockerd does) that dockerd of
 * version does not know; with the version unknown, those no dockerd version knows. */
static int unknown_keys_fact(Facts *f, const DaemonJson *d, const char *version)
{
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *src = NULL;
        int r;

        if ((r = dockerd_config_unknown_keys(d, version, &l)) < 0)
                return r;
        if (version)
                src = strdupf("%s against the options of dockerd %s", d->path, version);
        else
                src = strdupf("%s against the options of every dockerd version (dockerd.version unknown)",
                        d->path);
        return src ? facts_set_list(f, "daemon_json.unknown_keys", l, src) : -ENOMEM;
}

static int daemon_json_set_unknown(Facts *f, const char *why)
{
        static const char *const names[] = {"daemon_json.present", "daemon_json.valid", "daemon_json.error",
                "daemon_json.keys", "daemon_json.unknown_keys"};

        return facts_set_unknown_all(f, names, ELEMENTSOF(names), why);
}

/* daemon_json.* facts. required: the path came from --config-file, which dockerd refuses to
 * start without (the default path may be missing). A file that cannot be read, or a missing
 * required one, is the audit's problem (exit 2): dockerd would not start, and we cannot judge
 * what it would read. Returns a DaemonJsonState (*ret is loaded for DJ_LOADED) or -ENOMEM. */
static int daemon_json_facts(Facts *f, const char *root, const char *path, const char *path_source,
        bool required, DaemonJson *ret)
{
        const char *version = facts_get_string(f, "dockerd.version");
        _cleanup_free_ char *err = NULL;
        _cleanup_strv_free_ char **keys = NULL;
        int r;

        if ((r = facts_set_string(f, "daemon_json.path", path, path_source)) < 0)
                return r;
        r = daemon_json_read(root, path, version, ret, &err);
        if (r == -ENOENT && required) {
                if ((r = daemon_json_set_unknown(f, "--config-file names a file that does not exist")) < 0 ||
                        (r = facts_add_problem(f,
                                 "%s: does not exist, and dockerd's --config-file (%s) names it: dockerd "
                                 "refuses to start without it",
                                 path, path_source)) < 0)
                        return r;
                return DJ_BROKEN;
        }
        if (r == -ENOENT) {
                if ((r = facts_set_bool(f, "daemon_json.present", false, path)) < 0 ||
                        (r = facts_set_list(f, "daemon_json.unknown_keys", (char *[]){NULL}, path)) < 0 ||
                        (r = facts_set_unknown(f, "daemon_json.valid", "%s does not exist", path)) < 0 ||
                        (r = facts_set_unknown(f, "daemon_json.error", "%s does not exist", path)) < 0)
                        return r;
                char *empty[] = {NULL};
                return facts_set_list(f, "daemon_json.keys", empty, path) < 0 ? -ENOMEM : DJ_ABSENT;
        }
        if (r == -ENOMEM)
                return r;
        if (r == -EINVAL) {
                if ((r = facts_set_bool(f, "daemon_json.present", true, path)) < 0 ||
                        (r = facts_set_bool(f, "daemon_json.valid", false, path)) < 0 ||
                        (r = facts_set_string(f, "daemon_json.error", err ? err : "invalid", path)) < 0 ||
                        (r = facts_set_unknown(f, "daemon_json.keys", "%s", err ? err : "invalid")) < 0)
                        return r;
                if (ret->root)
                        r = unknown_keys_fact(f, ret, version);
                else
                        r = facts_set_unknown(f, "daemon_json.unknown_keys", "%s", err ? err : "invalid");
                return r < 0 ? r : DJ_BROKEN;
        }
        if (r < 0) {
                if ((r = daemon_json_set_unknown(f, err ? err : path)) < 0 ||
                        (r = facts_add_problem(
                                 f, "%s (dockerd would not start with it)", err ? err : path)) < 0)
                        return r;
                return DJ_BROKEN;
        }
        if ((r = daemon_json_keys(ret, &keys)) < 0 ||
                (r = facts_set_bool(f, "daemon_json.present", true, path)) < 0 ||
                (r = facts_set_bool(f, "daemon_json.valid", true, path)) < 0 ||
                (r = facts_set_string(f, "daemon_json.error", "", path)) < 0 ||
                (r = facts_set_list(f, "daemon_json.keys", keys, path)) < 0 ||
                (r = unknown_keys_fact(f, ret, version)) < 0)
                return r;
        return DJ_LOADED;
}

/* live-restore as dockerd will run it: the flag wins (both together make dockerd refuse to
 * start, which option-set-twice reports), then daemon.json, then the default (off). */
static int live_restore_fact(
        Facts *f, const DockerdOptions *opts, const DaemonJson *dj, bool have_dj, const char *dj_path)
{
        const DockerdOption *o = dockerd_options_find(opts, "live-restore");
        _cleanup_free_ char *src = NULL, *err = NULL;
        bool v = false;
        int r;

        if (o) {
                if (dockerd_option_bool(o, &v) < 0)
                        return facts_set_unknown(f, "dockerd.live_restore",
                                "%s:%u: --live-restore=%s is not a boolean", strempty(o->file), o->line,
                                strempty(o->value));
                src = o->file ? origin_string(o->file, o->line) : strdup("dockerd command line");
                return src ? facts_set_bool(f, "dockerd.live_restore", v, src) : -ENOMEM;
        }
        if (have_dj) {
                r = daemon_json_get_bool(dj, "live-restore", &v, &err);
                if (r == -EINVAL)
                        return facts_set_unknown(f, "dockerd.live_restore", "%s", strempty(err));
                if (r < 0)
                        return r;
                if (r > 0) {
                        src = origin_string(dj->path, daemon_json_key_line(dj, "live-restore"));
                        return src ? facts_set_bool(f, "dockerd.live_restore", v, src) : -ENOMEM;
                }
        }
        src = strdupf("dockerd default: no --live-restore flag and no \"live-restore\" in %s", dj_path);
        return src ? facts_set_bool(f, "dockerd.live_restore", false, src) : -ENOMEM;
}

/* The Engine API's unix socket: the first -H unix://PATH, else NULL (the collector then
 * uses DOCKER_HOST or the default). */
static const DockerdOption *api_socket_option(const DockerdOptions *opts)
{
        for (size_t i = 0; i < opts->n; i++) {
                const char *v = opts->v[i].value, *p;
                if (!streq(opts->v[i].json_key, "hosts") || !v)
                        continue;
                if ((p = startswith(v, "unix://")) && *p)
                        return &opts->v[i];
        }
        return NULL;
}

/* The loaded command that runs dockerd, with the flags and file:line of our parse when that
 * matches what is loaded (else the loaded unit is the source). Points into u and s. */
static ExecCommand dockerd_command(const UnitInfo *u, const UnitSettings *s)
{
        size_t idx = pick_dockerd_command(u);
        const ExecCommand *parsed = NULL;

        if (idx < s->n_exec_start &&
                strv_length(s->exec_start[idx].argv) == strv_length(u->exec_start[idx].argv)) {
                bool same = true;
                for (size_t i = 0; s->exec_start[idx].argv[i]; i++)
                        same = same && streq(s->exec_start[idx].argv[i], u->exec_start[idx].argv[i]);
                if (same)
                        parsed = &s->exec_start[idx];
        }
        return (ExecCommand){
                .path = u->exec_start[idx].path,
                .argv = u->exec_start[idx].argv,
                .flags = parsed ? parsed->flags : 0,
                .file = parsed ? parsed->file : (char *) UNIT_SRC(u, "Service.ExecStart"),
                .line = parsed ? parsed->line : 0,
        };
}

/* dockerd.argv: cmd expanded with the unit's environment as systemd would, shell wrappers
 * unwrapped; then its options, parsed into *ret. Returns 0, 1 when the command could not be
 * seen through (shells nested too deep: the audit's problem, the dockerd.* facts other than
 * dockerd.environment_warnings are left unset), or -ENOMEM. */
static int dockerd_argv_fact(Facts *f, const CollectOptions *o, const UnitInfo *u, const UnitSettings *s,
        const ExecCommand *cmd, const char *cmd_src, DockerdOptions *ret)
{
        _cleanup_(env_block_done) EnvBlock env = {};
        _cleanup_(expanded_argv_done) ExpandedArgv words = {}, unwrapped = {};
        _cleanup_strv_free_ char **warnings = NULL, **argv = NULL;
        const ExpandedArgv *effective;
        int r;

        if ((r = build_environment(f, u, s, collect_files_root(o), &env, &warnings)) < 0)
                return r;
        if (!warnings && !(warnings = calloc(1, sizeof(char *))))
                return -ENOMEM;
        if ((r = facts_set_list(f, "dockerd.environment_warnings", warnings,
                     UNIT_SRC(u, "Service.EnvironmentFiles"))) < 0 ||
                (r = exec_expand(cmd, &env, &words)) < 0)
                return r;
        r = exec_unwrap_shell(&words, &env, &unwrapped);
        if (r == -ELOOP) {
                if ((r = facts_add_problem(f,
                             "%s: ExecStart= nests shells (sh -c) more than %u levels deep: the command "
                             "that runs dockerd is unknown",
                             cmd_src, EXEC_SHELL_MAX_DEPTH)) < 0)
                        return r;
                return 1;
        }
        if (r < 0)
                return r;
        effective = r > 0 ? &unwrapped : &words;
        if ((r = words_to_strv(effective, &argv)) < 0 ||
                (r = facts_set_list(f, "dockerd.argv", argv, cmd_src)) < 0)
                return r;
        return dockerd_options_parse(effective, ret);
}

/* dockerd.flags: the daemon.json key of each flag given, once each. */
static int dockerd_flags_fact(Facts *f, const DockerdOptions *opts, const char *cmd_src)
{
        _cleanup_strv_free_ char **flags = calloc(1, sizeof(char *));

        if (!flags)
                return -ENOMEM;
        for (size_t i = 0; i < opts->n; i++)
                if (!strv_contains(flags, opts->v[i].json_key) &&
                        strv_extend(&flags, opts->v[i].json_key) < 0)
                        return -ENOMEM;
        return facts_set_list(f, "dockerd.flags", flags, cmd_src);
}

/* daemon_json.* of --config-file's file, else of dockerd's default. Returns a DaemonJsonState
 * (with *ret_path, and *dj for DJ_LOADED) or -ENOMEM. */
static int dockerd_daemon_json(Facts *f, const CollectOptions *o, const DockerdOptions *opts,
        const char *cmd_src, DaemonJson *dj, char **ret_path)
{
        const char *config_file = dockerd_options_config_file(opts);
        _cleanup_free_ char *path = NULL, *src = NULL;
        int r;

        if (config_file) {
                const DockerdOption *cf = dockerd_options_find(opts, "config-file");
                src = cf && cf->file ? origin_string(cf->file, cf->line) : strdup(cmd_src);
                path = strdup(config_file);
        } else {
                src = strdup("dockerd default (no --config-file)");
                path = default_daemon_json(o);
        }
        if (!path || !src)
                return -ENOMEM;
        r = daemon_json_facts(f, collect_files_root(o), path, src, config_file != NULL, dj);
        if (r >= 0)
                *ret_path = TAKE_PTR(path);
        return r;
}

/* dockerd.conflicting_options and dockerd.live_restore: the flags against daemon.json. */
static int dockerd_conflict_facts(Facts *f, const DockerdOptions *opts, const DaemonJson *dj, int dj_state,
        const char *dj_path, const char *cmd_src)
{
        _cleanup_strv_free_ char **conflicts = NULL;
        int r;

        switch (dj_state) {
        case DJ_LOADED: {
                _cleanup_free_ char *src = strdupf("%s vs %s", cmd_src, dj_path);
                if (!src || (r = dockerd_options_conflicts(opts, dj->root, &conflicts, NULL)) < 0)
                        return src ? r : -ENOMEM;
                if (!conflicts && !(conflicts = calloc(1, sizeof(char *))))
                        return -ENOMEM;
                if ((r = facts_set_list(f, "dockerd.conflicting_options", conflicts, src)) < 0)
                        return r;
                return live_restore_fact(f, opts, dj, true, dj_path);
        }
        case DJ_ABSENT: {
                char *empty[] = {NULL};
                if ((r = facts_set_list(f, "dockerd.conflicting_options", empty, dj_path)) < 0)
                        return r;
                return live_restore_fact(f, opts, dj, false, dj_path);
        }
        default:
                if ((r = facts_set_unknown(
                             f, "dockerd.conflicting_options", "%s is unreadable or invalid", dj_path)) < 0)
                        return r;
                /* The flag still says what dockerd was asked for; without it the file decides. */
                if (dockerd_options_find(opts, "live-restore"))
                        return live_restore_fact(f, opts, dj, false, dj_path);
                return facts_set_unknown(f, "dockerd.live_restore", "%s is unreadable or invalid", dj_path);
        }
}

/* docker.*: the Engine API on the first -H unix://PATH, else on the default socket. */
static int dockerd_api_facts(
        Facts *f, const CollectOptions *o, const DockerdOptions *opts, const char *cmd_src)
{
        const DockerdOption *h = api_socket_option(opts);
        _cleanup_free_ char *hsrc =
                h ? origin_string(h->file ? h->file : cmd_src, h->file ? h->line : 0) : NULL;

        if (h && !hsrc)
                return -ENOMEM;
        return collect_docker_api(f, o, h ? h->value + strlen("unix://") : NULL, hsrc);
}

int collect_dockerd(Facts *f, const CollectOptions *o, const UnitInfo *u, const UnitSettings *s)
{
        _cleanup_(dockerd_options_done) DockerdOptions opts = {};
        _cleanup_(daemon_json_done) DaemonJson dj = {};
        _cleanup_free_ char *dj_path = NULL, *cmd_src = NULL;
        ExecCommand cmd;
        int r, dj_state;

        if (u->n_exec_start == 0) {
                _cleanup_free_ char *why = strdupf("%s has no ExecStart=", u->name);
                if (!why)
                        return -ENOMEM;
                if ((r = collect_dockerd_unknown(f, why)) < 0 ||
                        (r = collect_docker_api(f, o, NULL, NULL)) < 0 ||
                        (r = dockerd_version_fact(f, o, NULL)) < 0)
                        return r;
                return dockerd_storage_facts(f, o, NULL, NULL, NULL, why);
        }
        cmd = dockerd_command(u, s);
        cmd_src = origin_string(cmd.file, cmd.line);
        if (!cmd_src)
                return -ENOMEM;
        r = dockerd_argv_fact(f, o, u, s, &cmd, cmd_src, &opts);
        if (r < 0)
                return r;
        if (r > 0) {
                static const char *const rest[] = {"dockerd.argv", "dockerd.flags", "dockerd.live_restore",
                        "dockerd.conflicting_options", "dockerd.hosts", "dockerd.containerd",
                        "dockerd.log_driver", "dockerd.log_opts", "dockerd.log_max_size",
                        "dockerd.log_max_file", "dockerd.cgroup_driver", "dockerd.validate_message"};

                if ((r = facts_set_unknown_all(
                             f, rest, ELEMENTSOF(rest), "the command that runs dockerd is unknown")) < 0)
                        return r;
                return collect_dockerd_without_unit(f, o);
        }
        /* The Engine API first: its ServerVersion is dockerd.version's last resort, and the
         * version says which daemon.json keys dockerd knows. */
        if ((r = dockerd_flags_fact(f, &opts, cmd_src)) < 0 ||
                (r = dockerd_api_facts(f, o, &opts, cmd_src)) < 0 ||
                (r = dockerd_version_fact(f, o, facts_get(f, "dockerd.argv")->list[0])) < 0)
                return r;
        dj_state = dockerd_daemon_json(f, o, &opts, cmd_src, &dj, &dj_path);
        if (dj_state < 0)
                return dj_state;
        if ((r = dockerd_conflict_facts(f, &opts, &dj, dj_state, dj_path, cmd_src)) < 0 ||
                (r = dockerd_config_facts(f, &opts, &dj, (DaemonJsonState) dj_state, dj_path)) < 0 ||
                (r = dockerd_storage_facts(f, o, &opts, cmd_src, dj_state == DJ_LOADED ? &dj : NULL, NULL)) <
                        0)
                return r;
        return dockerd_validate_facts(f, o, facts_get(f, "dockerd.argv")->list);
}

int collect_dockerd_without_unit(Facts *f, const CollectOptions *o)
{
        _cleanup_(daemon_json_done) DaemonJson dj = {};
        _cleanup_free_ char *p = default_daemon_json(o);
        const Fact *argv;
        int r, state;

        if (!p)
                return -ENOMEM;
        if ((r = collect_docker_api(f, o, NULL, NULL)) < 0 || (r = dockerd_version_fact(f, o, NULL)) < 0)
                return r;
        state = daemon_json_facts(f, collect_files_root(o), p, "dockerd default", false, &dj);
        if (state < 0)
                return state;
        /* dockerd.argv is unknown (the caller said why): daemon.json alone tells */
        argv = facts_get(f, "dockerd.argv");
        if (state == DJ_LOADED && (r = dockerd_cgroup_driver_json_fact(f, &dj)) < 0)
                return r;
        return dockerd_storage_facts(f, o, NULL, NULL, state == DJ_LOADED ? &dj : NULL,
                argv ? argv->reason : "dockerd's command line was not collected");
}
