/* SPDX-License-Identifier: MIT */
/* unit.*, systemd.* and ns.* facts: the unit as the manager loaded it (D-Bus is the truth),
 * the files only to name the line that set a value; then dockerd's facts from it. */
#include "basic/env-util.h"
#include "collect/collect-dockerd.h"
#include "collect/collect-units.h"
#include "systemd/bus-util.h"
#include "systemd/manager.h"
#include "systemd/unit-bus.h"
#include "systemd/unit-offline.h"
#include "systemd/unit-provenance.h"

static const char *const unit_facts[] = {
        "unit.load_state",
        "unit.load_error",
        "unit.active_state",
        "unit.fragment_path",
        "unit.dropin_paths",
        "unit.need_daemon_reload",
        "unit.changed_on_disk",
        "unit.main_pid",
        "unit.mount_flags",
        "unit.exec_start",
        "unit.environment",
        "unit.environment_files",
        "systemd.version",
};
static const char *const service_facts[] = {
        "unit.mount_flags",
        "unit.exec_start",
        "unit.environment",
        "unit.environment_files",
        "unit.main_pid",
        "unit.changed_on_disk",
};

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
                (r = facts_set_string(f, "unit.load_error", strempty(u->load_error),
                         UNIT_SRC(u, "Unit.LoadError"))) < 0 ||
                (r = facts_set_string(
                         f, "unit.active_state", u->active_state, UNIT_SRC(u, "Unit.ActiveState"))) < 0 ||
                (r = facts_set_string(
                         f, "unit.fragment_path", u->fragment_path, UNIT_SRC(u, "Unit.FragmentPath"))) < 0 ||
                (r = facts_set_list(
                         f, "unit.dropin_paths", u->dropin_paths, UNIT_SRC(u, "Unit.DropInPaths"))) < 0 ||
                (r = facts_set_bool(f, "unit.need_daemon_reload", u->need_daemon_reload,
                         UNIT_SRC(u, "Unit.NeedDaemonReload"))) < 0)
                return r;
        if (ver)
                r = facts_set_version(f, "systemd.version", ver, UNIT_SRC(u, "Manager.Version"));
        else
                r = facts_set_unknown(f, "systemd.version", "%s",
                        u->offline ? "no systemd package found in the root (dpkg status, "
                                     "libsystemd-shared-N.so)"
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

static int service_facts_set(
        Facts *f, const UnitInfo *u, const UnitSettings *s, bool changed, const char *changed_what)
{
        _cleanup_free_ char *mf_src = mount_flags_source(s, u, changed);
        _cleanup_strv_free_ char **envfiles = calloc(1, sizeof(char *));
        const char *mf = mount_flags_to_string(u->mount_flags);
        char *const *argv0 = u->n_exec_start > 0 ? u->exec_start[0].argv : NULL;
        int r;

        if (!mf_src || !envfiles)
                return -ENOMEM;
        for (size_t i = 0; i < u->n_environment_files; i++)
                if (strv_consume(
                            &envfiles, strdupf("%s%s", u->environment_files[i].ignore_missing ? "-" : "",
                                               u->environment_files[i].path)) < 0)
                        return -ENOMEM;

        if (mf)
                r = facts_set_string(f, "unit.mount_flags", mf, mf_src);
        else
                r = facts_set_unknown(
                        f, "unit.mount_flags", "MountFlags has an unexpected value %llu", u->mount_flags);
        if (r < 0)
                return r;
        if (argv0)
                r = facts_set_list(f, "unit.exec_start", argv0, UNIT_SRC(u, "Service.ExecStart"));
        else
                r = facts_set_unknown(f, "unit.exec_start", "%s has no ExecStart=", u->name);
        if (r < 0 ||
                (r = facts_set_list(
                         f, "unit.environment", u->environment, UNIT_SRC(u, "Service.Environment"))) < 0 ||
                (r = facts_set_list(f, "unit.environment_files", envfiles,
                         UNIT_SRC(u, "Service.EnvironmentFiles"))) < 0 ||
                (r = facts_set_number(f, "unit.main_pid", u->main_pid, UNIT_SRC(u, "Service.MainPID"))) < 0)
                return r;
        if (changed) {
                _cleanup_free_ char *src =
                        strdupf("unit files on disk vs the loaded unit: %s", changed_what);
                return src ? facts_set_bool(f, "unit.changed_on_disk", true, src) : -ENOMEM;
        }
        return facts_set_bool(f, "unit.changed_on_disk", false, "unit files on disk vs the loaded unit");
}

/* The user manager's own environment (Manager.Environment), where its unit directories and
 * specifiers (%h, %t) come from: not ours, which may name another $HOME or a relative
 * $XDG_CONFIG_HOME. NULL for the system manager, or when it cannot be read (then ours). */
static char **manager_environment(sd_bus *bus, const CollectOptions *o)
{
        _cleanup_bus_error_ sd_bus_error e = SD_BUS_ERROR_NULL;
        char **env = NULL;

        if (!o->user || bus_budget_set(bus, o->deadline_usec, "Environment", NULL) < 0 ||
                sd_bus_get_property_strv(bus, SD_DEST, SD_PATH, SD_MANAGER, "Environment", &e, &env) < 0)
                return NULL;
        return env;
}

/* The unit as the manager loaded it or, offline, as its files give it (then s is filled too).
 * Online, *ret_env is the user manager's environment (manager_environment()).
 * Returns 0, with *ret_why set when neither could be read; -ENOMEM. */
static int unit_read(
        Facts *f, const CollectOptions *o, UnitInfo *u, UnitSettings *s, char ***ret_env, char **ret_why)
{
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_free_ char *err = NULL;
        int r;

        /* the report's own systemctl show of the unit; its related units from its files */
        if (o->sos && (r = collect_sos_unit(o, u, s, ret_why)) != 0)
                return r < 0 || *ret_why ? (r < 0 ? r : 0) : collect_related_units(f, o, NULL, NULL);
        if (o->root) {
                /* Never the bus in --root mode: the files are the whole truth. */
                r = unit_info_read_offline_env(o->root, o->user, o->unit, NULL, u, s, &err);
                if (r == -ENOMEM)
                        return r;
                if (r < 0 && !(*ret_why = strdup(err ? err : strerror(-r))))
                        return -ENOMEM;
                return r < 0 ? 0 : collect_related_units(f, o, NULL, NULL);
        }
        r = manager_bus_open(o->user, o->deadline_usec, &bus, &err);
        if (r == -ENOMEM)
                return r;
        if (r >= 0) {
                r = unit_info_read(bus, o->user, o->unit, true, o->deadline_usec, u, &err);
                if (r == -ENOMEM)
                        return r;
                if (r >= 0) {
                        *ret_env = manager_environment(bus, o);
                        if ((r = collect_related_units(f, o, bus, *ret_env)) < 0)
                                return r;
                }
        }
        if (r < 0 && collect_timeout_reason(o, r, &err) < 0)
                return -ENOMEM;
        if (r < 0 && !(*ret_why = strdupf("%s (to read the unit files instead, use --root /)",
                               err ? err : strerror(-r))))
                return -ENOMEM;
        return 0;
}

/* Nothing is known of the unit: the whole story once, on unit.load_state (it becomes the
 * audit's problem), a short reason on everything that depends on it. */
static int unit_unknown(Facts *f, const CollectOptions *o, const char *why)
{
        const char *short_why = o->root ? "the unit files could not be read"
                                : collect_deadline_passed(o)
                                        ? "the service manager did not answer in time (--timeout)"
                                        : "the service manager is unreachable";
        int r;

        if ((r = facts_set_unknown_all(f, unit_facts, ELEMENTSOF(unit_facts), short_why)) < 0 ||
                (r = collect_unit_limits_unknown(f, "unit", true, short_why)) < 0 ||
                (r = facts_set_unknown(f, "unit.tasks_wanted", "%s", short_why)) < 0 ||
                (r = collect_related_units_unknown(f, o, short_why)) < 0 ||
                (r = facts_set_unknown(f, "unit.load_state", "%s", why)) < 0 ||
                (r = collect_dockerd_unknown(f, short_why)) < 0 ||
                (r = facts_set_unknown(f, "ns.dockerd_private", "%s", short_why)) < 0)
                return r;
        return collect_dockerd_without_unit(f, o);
}

/* The unit is not-found or masked: nothing of a service to say. */
static int unit_absent(Facts *f, const CollectOptions *o, const UnitInfo *u)
{
        _cleanup_free_ char *reason = strdupf("%s is %s", o->unit, u->load_state);
        int r;

        if (!reason)
                return -ENOMEM;
        if ((r = facts_set_unknown_all(f, service_facts, ELEMENTSOF(service_facts), reason)) < 0 ||
                (r = collect_unit_limits_unknown(f, "unit", true, reason)) < 0 ||
                (r = facts_set_unknown(f, "unit.tasks_wanted", "%s", reason)) < 0 ||
                (r = collect_dockerd_unknown(f, reason)) < 0 ||
                (r = collect_namespaces(f, u->manager_pid, 0)) < 0)
                return r;
        return collect_dockerd_without_unit(f, o);
}

/* Online: the files the manager names, parsed our way (for file:line and reload checks). */
static int unit_settings_read_loaded(
        const CollectOptions *o, const UnitInfo *u, char *const *env, UnitSettings *s)
{
        const char *runtime = env_get(env, "XDG_RUNTIME_DIR"), *home = env_get(env, "HOME");
        int r;

        unit_settings_init(s, &(SpecifierContext){
                                      .unit_name = o->unit,
                                      .user = o->user,
                                      .runtime_dir = o->user ? runtime : "/run",
                                      .home = o->user ? home : "/root",
                              });
        r = unit_settings_load_paths(s, collect_files_root(o), u->fragment_path, u->dropin_paths);
        return r < 0 ? r : unit_settings_finish(s);
}

/* What the unit's files could not tell: a file that could not be read is a problem (what it
 * sets is not known); lines systemd ignores are listed in unit.warnings. */
static int unit_file_notes(Facts *f, const UnitSettings *s)
{
        int r;

        for (char **p = s->unreadable; p && *p; p++)
                if ((r = facts_add_problem(f, "%s", *p)) < 0)
                        return r;
        return facts_set_list(f, "unit.warnings", s->warnings, "the unit's files, parsed as systemd does");
}

int collect_unit_and_dockerd(Facts *f, const CollectOptions *o)
{
        CollectOptions od;
        _cleanup_(unit_info_done) UnitInfo u = {};
        _cleanup_(unit_settings_done) UnitSettings s = {};
        _cleanup_free_ char *what = NULL, *why = NULL;
        _cleanup_strv_free_ char **env = NULL;
        bool changed = false;
        int r;

        if ((r = facts_set_string(f, "unit.name", o->unit, "--unit")) < 0 ||
                (r = facts_set_string(f, "systemd.scope", o->user ? "user" : "system",
                         o->user ? "--user" : "default")) < 0)
                return r;
        if ((r = unit_read(f, o, &u, &s, &env, &why)) < 0)
                return r;
        if (why)
                return unit_unknown(f, o, why);

        if ((r = unit_basic_facts(f, &u)) < 0)
                return r;
        if (streq(u.load_state, "not-found") || streq(u.load_state, "masked"))
                return unit_absent(f, o, &u);

        /* Offline, s was filled with u (same files); online, parse the files the manager names. */
        if (!o->root && (r = unit_settings_read_loaded(o, &u, env, &s)) < 0)
                return r;
        r = unit_settings_differ(&s, &u, &changed, &what);
        /* Live only: a drop-in added or removed since the last reload. */
        if (r >= 0 && !changed && !o->root)
                r = unit_files_moved(&u, collect_files_root(o), o->user, env, &changed, &what);
        if (r < 0 || (r = unit_file_notes(f, &s)) < 0 ||
                (r = service_facts_set(f, &u, &s, changed, what)) < 0 ||
                (r = collect_unit_limits(f, "unit", &u, &s, true)) < 0 ||
                (r = collect_tasks_wanted(f, o->root != NULL)) < 0 ||
                (r = collect_namespaces(f, u.manager_pid, u.main_pid)) < 0)
                return r;
        /* dockerd inherits the manager's environment: its default daemon.json follows it. */
        od = *o;
        od.manager_env = env;
        return collect_dockerd(f, &od, &u, &s);
}
