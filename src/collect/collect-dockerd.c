/* SPDX-License-Identifier: MIT */
/* unit.*, systemd.*, dockerd.*, daemon_json.*, docker.* and ns.* facts: the unit as the
 * manager loaded it (D-Bus is the truth), the files only to name the line that set a value,
 * then dockerd's effective options from every source. */
#include "systemd/manager.h"
#include "systemd/unit-bus.h"
#include "collect/collect.h"
#include "formats/daemon-json.h"
#include "formats/dockerd-options.h"
#include "basic/root-file.h"
#include "systemd/unit-offline.h"
#include "systemd/unit-provenance.h"

#define DBUS_SRC(prop) "dbus:org.freedesktop.systemd1." prop
/* Where a unit property came from: the loaded unit over D-Bus, or (--root) the unit files. */
#define UNIT_SRC(u, prop) ((u)->offline ? "unit files (offline, --root): " prop : DBUS_SRC(prop))

static const char *const unit_facts[] = {
        "unit.load_state", "unit.load_error", "unit.active_state", "unit.fragment_path", "unit.dropin_paths",
        "unit.need_daemon_reload", "unit.changed_on_disk", "unit.main_pid", "unit.mount_flags", "unit.exec_start",
        "unit.environment", "unit.environment_files", "systemd.version",
};
static const char *const service_facts[] = {
        "unit.mount_flags", "unit.exec_start", "unit.environment", "unit.environment_files", "unit.main_pid",
        "unit.changed_on_disk",
};
static const char *const dockerd_fact_names[] = {
        "dockerd.argv", "dockerd.flags", "dockerd.live_restore", "dockerd.conflicting_options",
};

static int set_unknown_all(Facts *f, const char *const *names, size_t n, const char *reason)
{
        for (size_t i = 0; i < n; i++) {
                int r = facts_set_unknown(f, names[i], "%s", reason);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* "252.39-1~deb12u1" -> "252.39": the upstream part is what versions compare on. */
static char *manager_upstream_version(const char *v)
{
        size_t n = strspn(v, "0123456789.");
        return strndup(v, n ? n : strlen(v));
}

static int unit_basic_facts(Facts *f, const UnitInfo *u)
{
        _cleanup_free_ char *ver = u->manager_version ? manager_upstream_version(u->manager_version) : NULL;
        int r;

        if ((r = facts_set_string(f, "unit.load_state", u->load_state, UNIT_SRC(u, "Unit.LoadState"))) < 0 ||
                (r = facts_set_string(f, "unit.load_error", strempty(u->load_error), UNIT_SRC(u, "Unit.LoadError"))) <
                        0 ||
                (r = facts_set_string(f, "unit.active_state", u->active_state, UNIT_SRC(u, "Unit.ActiveState"))) < 0 ||
                (r = facts_set_string(f, "unit.fragment_path", u->fragment_path, UNIT_SRC(u, "Unit.FragmentPath"))) <
                        0 ||
                (r = facts_set_list(f, "unit.dropin_paths", u->dropin_paths, UNIT_SRC(u, "Unit.DropInPaths"))) < 0 ||
                (r = facts_set_bool(f, "unit.need_daemon_reload", u->need_daemon_reload,
                         UNIT_SRC(u, "Unit.NeedDaemonReload"))) < 0)
                return r;
        if (ver)
                r = facts_set_version(f, "systemd.version", ver, UNIT_SRC(u, "Manager.Version"));
        else
                r = facts_set_unknown(f, "systemd.version", "%s",
                        u->offline ? "no systemd package found in the root (dpkg status, libsystemd-shared-N.so)"
                                   : "the manager did not report its Version");
        return r;
}

/* The source of MountFlags: the line that set it, or where the default comes from. */
static char *mount_flags_source(const UnitSettings *s, const UnitInfo *u, bool changed)
{
        if (changed)
                return strdup(DBUS_SRC("Service.MountFlags") " (the files on disk differ: reload pending)");
        if (s->mount_flags_file)
                return origin_string(s->mount_flags_file, s->mount_flags_line);
        return strdupf("default: not set in %s%s", *u->fragment_path ? u->fragment_path : "the unit",
                strv_isempty(u->dropin_paths) ? "" : " or its drop-ins");
}

static int service_facts_set(Facts *f, const UnitInfo *u, const UnitSettings *s, bool changed,
        const char *changed_what)
{
        _cleanup_free_ char *mf_src = mount_flags_source(s, u, changed);
        _cleanup_strv_free_ char **envfiles = calloc(1, sizeof(char *));
        const char *mf = mount_flags_to_string(u->mount_flags);
        char *const *argv0 = u->n_exec_start > 0 ? u->exec_start[0].argv : NULL;
        int r;

        if (!mf_src || !envfiles)
                return -ENOMEM;
        for (size_t i = 0; i < u->n_environment_files; i++)
                if (strv_consume(&envfiles, strdupf("%s%s", u->environment_files[i].ignore_missing ? "-" : "",
                                                    u->environment_files[i].path)) < 0)
                        return -ENOMEM;

        if (mf)
                r = facts_set_string(f, "unit.mount_flags", mf, mf_src);
        else
                r = facts_set_unknown(f, "unit.mount_flags", "MountFlags has an unexpected value %llu",
                        u->mount_flags);
        if (r < 0)
                return r;
        if (argv0)
                r = facts_set_list(f, "unit.exec_start", argv0, UNIT_SRC(u, "Service.ExecStart"));
        else
                r = facts_set_unknown(f, "unit.exec_start", "%s has no ExecStart=", u->name);
        if (r < 0 ||
                (r = facts_set_list(f, "unit.environment", u->environment, UNIT_SRC(u, "Service.Environment"))) < 0 ||
                (r = facts_set_list(f, "unit.environment_files", envfiles, UNIT_SRC(u, "Service.EnvironmentFiles"))) <
                        0 ||
                (r = facts_set_number(f, "unit.main_pid", u->main_pid, UNIT_SRC(u, "Service.MainPID"))) < 0)
                return r;
        if (changed) {
                _cleanup_free_ char *src = strdupf("unit files on disk vs the loaded unit: %s", changed_what);
                return src ? facts_set_bool(f, "unit.changed_on_disk", true, src) : -ENOMEM;
        }
        return facts_set_bool(f, "unit.changed_on_disk", false, "unit files on disk vs the loaded unit");
}

/* The environment dockerd's ExecStart= is expanded with: Environment= (file:line from our
 * parse when it agrees with the loaded value), then each EnvironmentFile= in order. */
static int build_environment(const UnitInfo *u, const UnitSettings *s, const char *root, EnvBlock *env,
        char ***warnings)
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
        for (size_t i = 0; i < u->n_environment_files; i++) {
                const EnvFileRef *ef = &u->environment_files[i];
                _cleanup_free_ char *data = NULL, *err = NULL;
                size_t size;

                r = root_read_file(root, ef->path, &data, &size);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        if (!ef->ignore_missing &&
                                strv_consume(warnings, strdupf("%s: cannot read EnvironmentFile: %s (dockerd will "
                                                               "not start)",
                                                               ef->path, strerror(-r))) < 0)
                                return -ENOMEM;
                        continue;
                }
                r = env_file_parse(ef->path, data, size, env, NULL, &err);
                if (r == -ENOMEM)
                        return r;
                if (r < 0 && strv_consume(warnings, strdupf("%s", err ? err : ef->path)) < 0)
                        return -ENOMEM;
        }
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

        if (!l)
                return -ENOMEM;
        for (size_t i = 0; i < a->n; i++)
                if (strv_extend(&l, a->v[i].text) < 0)
                        return -ENOMEM;
        *ret = TAKE_PTR(l);
        return 0;
}

static char *default_daemon_json(bool user)
{
        const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

        if (!user)
                return strdup("/etc/docker/daemon.json");
        if (xdg && *xdg)
                return strdupf("%s/docker/daemon.json", xdg);
        return strdupf("%s/.config/docker/daemon.json", home ? home : "");
}

typedef enum DaemonJsonState {
        DJ_ABSENT,
        DJ_LOADED,
        DJ_BROKEN, /* unreadable or invalid: dockerd would refuse to start */
} DaemonJsonState;

/* daemon_json.* facts. Returns a DaemonJsonState (*ret is loaded for DJ_LOADED) or -ENOMEM. */
static int daemon_json_facts(Facts *f, const char *root, const char *path, const char *path_source,
        DaemonJson *ret)
{
        _cleanup_free_ char *err = NULL, *data = NULL;
        size_t size = 0;
        _cleanup_strv_free_ char **keys = NULL;
        int r;

        if ((r = facts_set_string(f, "daemon_json.path", path, path_source)) < 0)
                return r;
        /* Read inside --root (links cannot leave it); messages name the path dockerd would use. */
        r = root_read_file(root, path, &data, &size);
        if (r < 0 && r != -ENOENT && r != -ENOMEM)
                r = error_setf(&err, r, "%s: %s", path, strerror(-r));
        else if (r >= 0)
                r = daemon_json_parse(path, data, size, ret, &err);
        if (r == -ENOENT) {
                if ((r = facts_set_bool(f, "daemon_json.present", false, path)) < 0 ||
                        (r = facts_set_unknown(f, "daemon_json.valid", "%s does not exist", path)) < 0 ||
                        (r = facts_set_unknown(f, "daemon_json.error", "%s does not exist", path)) < 0)
                        return r;
                char *empty[] = { NULL };
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
                return DJ_BROKEN;
        }
        if (r < 0) {
                if ((r = facts_set_unknown(f, "daemon_json.present", "%s", err ? err : path)) < 0 ||
                        (r = facts_set_unknown(f, "daemon_json.valid", "%s", err ? err : path)) < 0 ||
                        (r = facts_set_unknown(f, "daemon_json.error", "%s", err ? err : path)) < 0 ||
                        (r = facts_set_unknown(f, "daemon_json.keys", "%s", err ? err : path)) < 0)
                        return r;
                return DJ_BROKEN;
        }
        if ((r = daemon_json_keys(ret, &keys)) < 0 || (r = facts_set_bool(f, "daemon_json.present", true, path)) < 0 ||
                (r = facts_set_bool(f, "daemon_json.valid", true, path)) < 0 ||
                (r = facts_set_string(f, "daemon_json.error", "", path)) < 0 ||
                (r = facts_set_list(f, "daemon_json.keys", keys, path)) < 0)
                return r;
        return DJ_LOADED;
}

/* live-restore as dockerd will run it: the flag wins (both together make dockerd refuse to
 * start, which option-set-twice reports), then daemon.json, then the default (off). */
static int live_restore_fact(Facts *f, const DockerdOptions *opts, const DaemonJson *dj, bool have_dj,
        const char *dj_path)
{
        const DockerdOption *o = dockerd_options_find(opts, "live-restore");
        _cleanup_free_ char *src = NULL, *err = NULL;
        bool v = false;
        int r;

        if (o) {
                if (dockerd_option_bool(o, &v) < 0)
                        return facts_set_unknown(f, "dockerd.live_restore", "%s:%u: --live-restore=%s is not a boolean",
                                strempty(o->file), o->line, strempty(o->value));
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

static int dockerd_facts(Facts *f, const CollectOptions *o, const UnitInfo *u, const UnitSettings *s)
{
        _cleanup_(env_block_done) EnvBlock env = {};
        _cleanup_(expanded_argv_done) ExpandedArgv words = {}, unwrapped = {};
        _cleanup_(dockerd_options_done) DockerdOptions opts = {};
        _cleanup_(daemon_json_done) DaemonJson dj = {};
        _cleanup_strv_free_ char **warnings = NULL, **argv = NULL, **flags = NULL, **conflicts = NULL;
        _cleanup_free_ char *dj_path = NULL, *cmd_src = NULL;
        const ExpandedArgv *effective;
        const ExecCommand *parsed = NULL;
        ExecCommand cmd = {};
        size_t idx;
        int r, have_dj;

        if (u->n_exec_start == 0) {
                _cleanup_free_ char *why = strdupf("%s has no ExecStart=", u->name);
                if (!why)
                        return -ENOMEM;
                if ((r = set_unknown_all(f, dockerd_fact_names, ELEMENTSOF(dockerd_fact_names), why)) < 0)
                        return r;
                return collect_docker_api(f, o, NULL, NULL);
        }
        idx = pick_dockerd_command(u);
        /* Flags and the file:line come from our parse when it matches what is loaded. */
        if (idx < s->n_exec_start && strv_length(s->exec_start[idx].argv) == strv_length(u->exec_start[idx].argv)) {
                bool same = true;
                for (size_t i = 0; s->exec_start[idx].argv[i]; i++)
                        same = same && streq(s->exec_start[idx].argv[i], u->exec_start[idx].argv[i]);
                if (same)
                        parsed = &s->exec_start[idx];
        }
        cmd = (ExecCommand){
                .path = u->exec_start[idx].path,
                .argv = u->exec_start[idx].argv,
                .flags = parsed ? parsed->flags : 0,
                .file = parsed ? parsed->file : (char *) UNIT_SRC(u, "Service.ExecStart"),
                .line = parsed ? parsed->line : 0,
        };
        cmd_src = origin_string(cmd.file, cmd.line);
        if (!cmd_src)
                return -ENOMEM;

        if ((r = build_environment(u, s, o->root, &env, &warnings)) < 0 || (r = exec_expand(&cmd, &env, &words)) < 0)
                return r;
        r = exec_unwrap_shell(&words, &env, &unwrapped);
        if (r < 0)
                return r;
        effective = r > 0 ? &unwrapped : &words;
        if ((r = words_to_strv(effective, &argv)) < 0 || (r = facts_set_list(f, "dockerd.argv", argv, cmd_src)) < 0)
                return r;

        if ((r = dockerd_options_parse(effective, &opts)) < 0)
                return r;
        flags = calloc(1, sizeof(char *));
        if (!flags)
                return -ENOMEM;
        for (size_t i = 0; i < opts.n; i++)
                if (!strv_contains(flags, opts.v[i].json_key) && strv_extend(&flags, opts.v[i].json_key) < 0)
                        return -ENOMEM;
        if ((r = facts_set_list(f, "dockerd.flags", flags, cmd_src)) < 0)
                return r;

        if (dockerd_options_config_file(&opts)) {
                const DockerdOption *cf = dockerd_options_find(&opts, "config-file");
                _cleanup_free_ char *src = cf && cf->file ? origin_string(cf->file, cf->line) : strdup(cmd_src);
                dj_path = strdup(dockerd_options_config_file(&opts));
                if (!dj_path || !src)
                        return -ENOMEM;
                have_dj = daemon_json_facts(f, o->root, dj_path, src, &dj);
        } else {
                dj_path = default_daemon_json(o->user);
                if (!dj_path)
                        return -ENOMEM;
                have_dj = daemon_json_facts(f, o->root, dj_path, "dockerd default (no --config-file)", &dj);
        }
        if (have_dj < 0)
                return have_dj;

        switch (have_dj) {
        case DJ_LOADED: {
                _cleanup_free_ char *src = strdupf("%s vs %s", cmd_src, dj_path);
                if (!src || (r = dockerd_options_conflicts(&opts, dj.root, &conflicts, NULL)) < 0)
                        return src ? r : -ENOMEM;
                if (!conflicts && !(conflicts = calloc(1, sizeof(char *))))
                        return -ENOMEM;
                if ((r = facts_set_list(f, "dockerd.conflicting_options", conflicts, src)) < 0 ||
                        (r = live_restore_fact(f, &opts, &dj, true, dj_path)) < 0)
                        return r;
                break;
        }
        case DJ_ABSENT: {
                char *empty[] = { NULL };
                if ((r = facts_set_list(f, "dockerd.conflicting_options", empty, dj_path)) < 0 ||
                        (r = live_restore_fact(f, &opts, &dj, false, dj_path)) < 0)
                        return r;
                break;
        }
        default:
                if ((r = facts_set_unknown(f, "dockerd.conflicting_options", "%s is unreadable or invalid",
                             dj_path)) < 0)
                        return r;
                /* The flag still says what dockerd was asked for; without it the file decides. */
                if (dockerd_options_find(&opts, "live-restore"))
                        r = live_restore_fact(f, &opts, &dj, false, dj_path);
                else
                        r = facts_set_unknown(f, "dockerd.live_restore", "%s is unreadable or invalid", dj_path);
                if (r < 0)
                        return r;
        }

        {
                const DockerdOption *h = api_socket_option(&opts);
                _cleanup_free_ char *hsrc = h ? origin_string(h->file ? h->file : cmd_src, h->file ? h->line : 0)
                                             : NULL;
                if (h && !hsrc)
                        return -ENOMEM;
                return collect_docker_api(f, o, h ? h->value + strlen("unix://") : NULL, hsrc);
        }
}

/* Without the unit's ExecStart, dockerd's own sources still say something: the default
 * daemon.json and the default Engine API socket. */
static int dockerd_sources_without_unit(Facts *f, const CollectOptions *o)
{
        _cleanup_(daemon_json_done) DaemonJson dj = {};
        _cleanup_free_ char *p = default_daemon_json(o->user);
        int r;

        if (!p)
                return -ENOMEM;
        if ((r = daemon_json_facts(f, o->root, p, "dockerd default", &dj)) < 0)
                return r;
        return collect_docker_api(f, o, NULL, NULL);
}

int collect_unit_and_dockerd(Facts *f, const CollectOptions *o)
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(unit_info_done) UnitInfo u = {};
        _cleanup_(unit_settings_done) UnitSettings s = {};
        _cleanup_free_ char *err = NULL, *what = NULL, *why = NULL;
        const char *runtime = getenv("XDG_RUNTIME_DIR"), *home = getenv("HOME");
        bool changed = false;
        int r;

        if ((r = facts_set_string(f, "unit.name", o->unit, "--unit")) < 0 ||
                (r = facts_set_string(f, "systemd.scope", o->user ? "user" : "system", o->user ? "--user" : "default")) <
                        0)
                return r;

        if (o->root) {
                /* Never the bus in --root mode: the files are the whole truth. */
                r = unit_info_read_offline_env(o->root, o->user, o->unit, NULL, &u, &s, &err);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        why = strdup(err ? err : strerror(-r));
        } else {
                r = manager_bus_open(o->user, &bus, &err);
                if (r == -ENOMEM)
                        return r;
                if (r >= 0) {
                        r = unit_info_read(bus, o->user, o->unit, &u, &err);
                        if (r == -ENOMEM)
                                return r;
                }
                if (r < 0)
                        why = strdupf("%s (to read the unit files instead, use --root /)", err ? err : strerror(-r));
        }
        if (why) {
                /* The whole story once, on unit.load_state (it becomes the audit's problem);
                 * a short reason on everything that depends on it. */
                const char *short_why = o->root ? "the unit files could not be read"
                                                : "the service manager is unreachable";
                if ((r = set_unknown_all(f, unit_facts, ELEMENTSOF(unit_facts), short_why)) < 0 ||
                        (r = facts_set_unknown(f, "unit.load_state", "%s", why)) < 0 ||
                        (r = set_unknown_all(f, dockerd_fact_names, ELEMENTSOF(dockerd_fact_names), short_why)) < 0 ||
                        (r = facts_set_unknown(f, "ns.dockerd_private", "%s", short_why)) < 0)
                        return r;
                return dockerd_sources_without_unit(f, o);
        }

        if ((r = unit_basic_facts(f, &u)) < 0)
                return r;
        if (streq(u.load_state, "not-found") || streq(u.load_state, "masked")) {
                _cleanup_free_ char *reason = strdupf("%s is %s", o->unit, u.load_state);

                if (!reason)
                        return -ENOMEM;
                if ((r = set_unknown_all(f, service_facts, ELEMENTSOF(service_facts), reason)) < 0 ||
                        (r = set_unknown_all(f, dockerd_fact_names, ELEMENTSOF(dockerd_fact_names), reason)) < 0 ||
                        (r = collect_namespaces(f, u.manager_pid, 0)) < 0)
                        return r;
                return dockerd_sources_without_unit(f, o);
        }

        /* Offline, s was filled with u (same files); online, parse the files the manager names. */
        if (!o->root) {
                unit_settings_init(&s, &(SpecifierContext){
                                               .unit_name = o->unit,
                                               .user = o->user,
                                               .runtime_dir = o->user ? runtime : "/run",
                                               .home = o->user ? home : "/root",
                                       });
                if ((r = unit_settings_load_paths(&s, u.fragment_path, u.dropin_paths)) < 0)
                        return r;
        }
        r = unit_settings_differ(&s, &u, &changed, &what);
        /* Live only: a drop-in added or removed since the last reload. */
        if (r >= 0 && !changed && !o->root)
                r = unit_files_moved(&u, o->user, &changed, &what);
        if (r < 0 || (r = service_facts_set(f, &u, &s, changed, what)) < 0 ||
                (r = collect_namespaces(f, u.manager_pid, u.main_pid)) < 0)
                return r;
        return dockerd_facts(f, o, &u, &s);
}
