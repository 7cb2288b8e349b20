/* SPDX-License-Identifier: MIT */
/* Limits, KillMode and dependencies as facts; containerd.service and <stem>.socket. */
#include "collect/collect-units.h"

#include "basic/env-util.h"
#include "basic/strbuf.h"
#include "collect/collect-dockerd.h"
#include "systemd/unit-bus.h"
#include "systemd/unit-offline.h"
#include "systemd/unit-provenance.h"

#define INFINITY_FACT 9223372036854775807LL

static long long number_fact(uint64_t v)
{
        return v >= (uint64_t) INFINITY_FACT ? INFINITY_FACT : (long long) v;
}

static int set_name(char *buf, size_t size, const char *prefix, const char *suffix)
{
        int n = snprintf(buf, size, "%s.%s", prefix, suffix);
        return n < 0 || (size_t) n >= size ? -EINVAL : 0;
}

/* Where a value the manager reports came from: the files' line when they set the same value;
 * the property with a note when they set another (a reload is pending); else the default. */
static char *value_source(
        const UnitInfo *u, const char *prop, const SettingOrigin *o, bool agrees, const char *offline_note)
{
        if (o->file && agrees)
                return origin_string(o->file, o->line);
        if (o->file)
                return strdupf(DBUS_SRC("Service.%s") " (the files on disk differ: reload pending)", prop);
        if (u->offline && offline_note)
                return strdup(offline_note);
        return strdupf("default: not set in %s%s (" DBUS_SRC("Service.%s") ")",
                u->fragment_path && *u->fragment_path ? u->fragment_path : "the unit",
                strv_isempty(u->dropin_paths) ? "" : " or its drop-ins", prop);
}

static int number_facts(Facts *f, const char *prefix, const char *what, const char *prop,
        const UnitNumber *n, const UnitInfo *u, const SettingOrigin *o, bool agrees,
        const char *offline_note)
{
        _cleanup_free_ char *src = NULL;
        char name[128];

        if (set_name(name, sizeof name, prefix, what) < 0)
                return -EINVAL;
        if (!n->set)
                return facts_set_unknown(f, name, "%s",
                        u->offline ? strempty(offline_note) : "the manager does not report this property");
        if (!(src = value_source(u, prop, o, agrees, offline_note)))
                return -ENOMEM;
        return facts_set_number(f, name, number_fact(n->v), src);
}

/* TasksCurrent: UINT64_MAX when the unit's tasks are not counted (not running, or no pids
 * controller: TasksAccounting= off, a user manager without delegation). */
static int tasks_current_fact(Facts *f, const char *prefix, const UnitInfo *u)
{
        char name[128];

        if (set_name(name, sizeof name, prefix, "tasks_current") < 0)
                return -EINVAL;
        if (u->offline)
                return facts_set_unknown(f, name, "offline (--root): no unit runs");
        if (!u->tasks_current.set)
                return facts_set_unknown(f, name, "the manager does not report TasksCurrent");
        if (u->tasks_current.v != UINT64_MAX)
                return facts_set_number(
                        f, name, number_fact(u->tasks_current.v), DBUS_SRC("Service.TasksCurrent"));
        if (!streq_ptr(u->active_state, "active") && !streq_ptr(u->active_state, "reloading"))
                return facts_set_unknown(
                        f, name, "%s is %s: no tasks to count", u->name, strempty(u->active_state));
        return facts_set_unknown(f, name,
                "%s's tasks are not counted (TasksCurrent not set: no pids controller for its cgroup, or "
                "TasksAccounting=no)",
                u->name);
}

/* A dependency list: the manager's (or, offline, the files'), the source naming the line of
 * each unit the files name. */
/* How many of the units the files name a dependency source lists with their line. */
#define DEP_SOURCES_MAX 20

/* A dependency list: the manager's (or, offline, the files'), the source naming the line of
 * each unit the files name (the first DEP_SOURCES_MAX). */
static int dep_fact(Facts *f, const char *name, const UnitInfo *u, const UnitSettings *s, UnitDepType t)
{
        const char *prop = unit_dep_type_to_string(t);
        const UnitDeps *d = s ? &s->deps[t] : NULL;
        _cleanup_sb_ StrBuf src = {};
        char *const *list = u->deps[t];
        int r;

        if (!list && u->offline)
                return facts_set_unknown(f, name, "%s is %s", u->name, strempty(u->load_state));
        if (!list)
                return facts_set_unknown(f, name, "the manager does not report %s", prop);
        r = u->offline ? sb_printf(&src, "unit files (offline, --root): %s=", prop)
                       : sb_printf(&src, DBUS_SRC("Unit.%s"), prop);
        for (size_t i = 0; r >= 0 && d && i < d->n && i < DEP_SOURCES_MAX; i++)
                r = sb_printf(&src, "%s%s %s:%u", i == 0 ? "; from the files: " : ", ", d->v[i].name,
                        d->v[i].file, d->v[i].line);
        if (r >= 0 && d && d->n > DEP_SOURCES_MAX)
                r = sb_printf(&src, " and %zu more", d->n - DEP_SOURCES_MAX);
        if (r < 0)
                return r;
        return facts_set_list(f, name, list, src.buf);
}

static int full_facts(Facts *f, const char *prefix, const UnitInfo *u, const UnitSettings *s)
{
        static const char *const dep_names[_UNIT_DEP_MAX] = {
                [UNIT_DEP_BINDS_TO] = "binds_to",
                [UNIT_DEP_REQUIRES] = "requires",
                [UNIT_DEP_WANTS] = "wants",
                [UNIT_DEP_AFTER] = "after",
        };
        _cleanup_free_ char *src = NULL;
        char name[128];
        int r;

        if (set_name(name, sizeof name, prefix, "kill_mode") < 0)
                return -EINVAL;
        if (!u->kill_mode && u->offline)
                r = facts_set_unknown(f, name, "%s is %s", u->name, strempty(u->load_state));
        else if (!u->kill_mode)
                r = facts_set_unknown(f, name, "the manager does not report KillMode");
        else if (!(src = value_source(u, "KillMode", &s->kill_mode_origin,
                           streq_ptr(s->kill_mode, u->kill_mode),
                           "default: KillMode=control-group (not set in the unit's files)")))
                return -ENOMEM;
        else
                r = facts_set_string(f, name, u->kill_mode, src);
        if (r < 0)
                return r;
        for (UnitDepType t = 0; t < _UNIT_DEP_MAX; t++) {
                if (set_name(name, sizeof name, prefix, dep_names[t]) < 0)
                        return -EINVAL;
                if ((r = dep_fact(f, name, u, s, t)) < 0)
                        return r;
        }
        if (set_name(name, sizeof name, prefix, "triggered_by") < 0)
                return -EINVAL;
        if (u->offline)
                return facts_set_unknown(
                        f, name, "offline (--root): TriggeredBy is computed by the manager");
        if (!u->triggered_by)
                return facts_set_unknown(f, name, "the manager does not report TriggeredBy (systemd < 245)");
        return facts_set_list(f, name, u->triggered_by, DBUS_SRC("Unit.TriggeredBy"));
}

int collect_unit_limits(Facts *f, const char *prefix, const UnitInfo *u, const UnitSettings *s, bool full)
{
        /* A share of the kernel's task limit is not compared: the files give no number. */
        bool tasks_agree =
                !s->tasks_max_set || s->tasks_max.scale != 0 || s->tasks_max.value == u->tasks_max.v;
        int r;

        if ((r = number_facts(f, prefix, "limit_nofile", "LimitNOFILE", &u->limit_nofile, u,
                     &s->limit_nofile_origin, s->limit_nofile_hard == u->limit_nofile.v,
                     u->limit_nofile_note)) < 0 ||
                (r = number_facts(f, prefix, "limit_nofile_soft", "LimitNOFILESoft", &u->limit_nofile_soft,
                         u, &s->limit_nofile_origin, s->limit_nofile_soft == u->limit_nofile_soft.v,
                         u->limit_nofile_note)) < 0 ||
                (r = number_facts(f, prefix, "tasks_max", "TasksMax", &u->tasks_max, u, &s->tasks_max_origin,
                         tasks_agree, u->tasks_max_note)) < 0 ||
                (r = tasks_current_fact(f, prefix, u)) < 0)
                return r;
        return full ? full_facts(f, prefix, u, s) : 0;
}

int collect_unit_limits_unknown(Facts *f, const char *prefix, bool full, const char *reason)
{
        static const char *const names[] = {"limit_nofile", "limit_nofile_soft", "tasks_max",
                "tasks_current", "kill_mode", "binds_to", "requires", "wants", "after", "triggered_by"};
        char name[128];
        int r;

        for (size_t i = 0; i < (full ? ELEMENTSOF(names) : 4); i++) {
                if (set_name(name, sizeof name, prefix, names[i]) < 0)
                        return -EINVAL;
                if ((r = facts_set_unknown(f, name, "%s", reason)) < 0)
                        return r;
        }
        return 0;
}

/* ---- containerd.service and <stem>.socket ---- */

static const char *const containerd_facts[] = {
        "containerd_unit.load_state",
        "containerd_unit.active_state",
        "containerd_unit.fragment_path",
};
static const char *const socket_facts[] = {
        "docker_socket.load_state",
        "docker_socket.active_state",
        "docker_socket.unit_file_state",
};

/* "docker.service" -> "docker.socket"; an instance keeps its instance. */
static char *socket_name(const char *unit)
{
        const char *dot = strrchr(unit, '.');
        return dot ? strdupf("%.*s.socket", (int) (dot - unit), unit) : strdupf("%s.socket", unit);
}

int collect_related_units_unknown(Facts *f, const CollectOptions *o, const char *reason)
{
        _cleanup_free_ char *sock = socket_name(o->unit);
        int r;

        if (!sock)
                return -ENOMEM;
        if ((r = facts_set_string(f, "docker_socket.name", sock, "--unit")) < 0 ||
                (r = facts_set_unknown_all(f, containerd_facts, ELEMENTSOF(containerd_facts), reason)) < 0 ||
                (r = facts_set_unknown_all(f, socket_facts, ELEMENTSOF(socket_facts), reason)) < 0)
                return r;
        return collect_unit_limits_unknown(f, "containerd_unit", false, reason);
}

/* One related unit over the bus, or offline. Returns 0 with *ret_why set when it could not
 * be read; -ENOMEM. */
static int related_read(const CollectOptions *o, sd_bus *bus, char *const *env, const char *unit,
        UnitInfo *u, UnitSettings *s, char **ret_why)
{
        _cleanup_free_ char *err = NULL;
        int r;

        if (!bus)
                r = unit_info_read_offline_env(o->root, o->user, unit, env, u, s, &err);
        else {
                r = unit_info_read(bus, o->user, unit, false, o->deadline_usec, u, &err);
                if (r >= 0 && streq_ptr(u->load_state, "loaded")) {
                        /* the files, for the line that set each value */
                        unit_settings_init(
                                s, &(SpecifierContext){
                                           .unit_name = unit,
                                           .user = o->user,
                                           .runtime_dir = o->user ? env_get(env, "XDG_RUNTIME_DIR") : "/run",
                                           .home = o->user ? env_get(env, "HOME") : "/root",
                                   });
                        r = unit_settings_load_paths(s, NULL, u->fragment_path, u->dropin_paths);
                        if (r == -ENOMEM)
                                return r;
                        r = 0;
                }
        }
        if (r == -ENOMEM)
                return r;
        if (r < 0 && collect_timeout_reason(o, r, &err) < 0)
                return -ENOMEM;
        if (r < 0 && !(*ret_why = strdup(err ? err : strerror(-r))))
                return -ENOMEM;
        return 0;
}

static int containerd_facts_set(Facts *f, const CollectOptions *o, sd_bus *bus, char *const *env)
{
        _cleanup_(unit_info_done) UnitInfo u = {};
        _cleanup_(unit_settings_done) UnitSettings s = {};
        _cleanup_free_ char *why = NULL, *reason = NULL;
        int r;

        unit_settings_init(&s, NULL);
        if ((r = related_read(o, bus, env, "containerd.service", &u, &s, &why)) < 0)
                return r;
        if (why) {
                if ((r = facts_add_problem(f, "containerd.service: %s", why)) < 0 ||
                        (r = facts_set_unknown_all(f, containerd_facts, ELEMENTSOF(containerd_facts), why)) <
                                0)
                        return r;
                return collect_unit_limits_unknown(f, "containerd_unit", false, why);
        }
        if ((r = facts_set_string(
                     f, "containerd_unit.load_state", u.load_state, UNIT_SRC(&u, "Unit.LoadState"))) < 0 ||
                (r = facts_set_string(f, "containerd_unit.active_state", u.active_state,
                         UNIT_SRC(&u, "Unit.ActiveState"))) < 0 ||
                (r = facts_set_string(f, "containerd_unit.fragment_path", u.fragment_path,
                         UNIT_SRC(&u, "Unit.FragmentPath"))) < 0)
                return r;
        /* a file that could not be read: what it sets (and its line) is not known */
        for (char **p = s.unreadable; p && *p; p++)
                if ((r = facts_add_problem(f, "%s", *p)) < 0)
                        return r;
        if (streq(u.load_state, "loaded"))
                return collect_unit_limits(f, "containerd_unit", &u, &s, false);
        if (!(reason = strdupf("containerd.service is %s", u.load_state)))
                return -ENOMEM;
        return collect_unit_limits_unknown(f, "containerd_unit", false, reason);
}

static int socket_facts_set(Facts *f, const CollectOptions *o, sd_bus *bus, char *const *env)
{
        _cleanup_(unit_info_done) UnitInfo u = {};
        _cleanup_(unit_settings_done) UnitSettings s = {};
        _cleanup_free_ char *why = NULL, *sock = socket_name(o->unit);
        int r;

        if (!sock)
                return -ENOMEM;
        unit_settings_init(&s, NULL);
        if ((r = facts_set_string(f, "docker_socket.name", sock, "--unit")) < 0 ||
                (r = related_read(o, bus, env, sock, &u, &s, &why)) < 0)
                return r;
        if (why) {
                if ((r = facts_add_problem(f, "%s: %s", sock, why)) < 0)
                        return r;
                return facts_set_unknown_all(f, socket_facts, ELEMENTSOF(socket_facts), why);
        }
        if ((r = facts_set_string(
                     f, "docker_socket.load_state", u.load_state, UNIT_SRC(&u, "Unit.LoadState"))) < 0 ||
                (r = facts_set_string(f, "docker_socket.active_state", u.active_state,
                         UNIT_SRC(&u, "Unit.ActiveState"))) < 0)
                return r;
        if (u.offline)
                return facts_set_unknown(f, "docker_socket.unit_file_state",
                        "offline (--root): the enablement state (systemctl is-enabled) is not computed");
        if (!u.unit_file_state)
                return facts_set_unknown(
                        f, "docker_socket.unit_file_state", "the manager does not report UnitFileState");
        return facts_set_string(
                f, "docker_socket.unit_file_state", u.unit_file_state, DBUS_SRC("Unit.UnitFileState"));
}

int collect_related_units(Facts *f, const CollectOptions *o, sd_bus *bus, char *const *env)
{
        int r = containerd_facts_set(f, o, bus, env);

        return r < 0 ? r : socket_facts_set(f, o, bus, env);
}

/* The headroom of unit.tasks_wanted: as many tasks again as run now (a burst of container
 * starts, or every container started again after a daemon restart, roughly repeats what
 * runs), and at least this many more (runc, shim and exec processes of a few starts). */
#define TASKS_HEADROOM_MIN 256LL

static bool state_running(const char *state)
{
        return streq_ptr(state, "active") || streq_ptr(state, "reloading") ||
               streq_ptr(state, "activating") || streq_ptr(state, "deactivating");
}

/* The tasks of one unit for unit.tasks_wanted: its count, 0 when (online) it does not run. */
static int tasks_count(const Facts *f, const char *prefix, bool offline, long long *ret, char **ret_why)
{
        char cur[96], state[96];
        const Fact *c;
        const char *s;

        snprintf(cur, sizeof cur, "%s.tasks_current", prefix);
        snprintf(state, sizeof state, "%s.active_state", prefix);
        c = facts_get(f, cur);
        s = facts_get_string(f, state);
        if (c && c->known) {
                *ret = c->num;
                return 0;
        }
        if (!offline && s && !state_running(s)) {
                *ret = 0;
                return 0;
        }
        *ret_why = strdupf("%s unknown: %s", cur, c && c->reason ? c->reason : "not collected");
        return *ret_why ? 0 : -ENOMEM;
}

int collect_tasks_wanted(Facts *f, bool offline)
{
        const char *cload = facts_get_string(f, "containerd_unit.load_state");
        _cleanup_free_ char *why = NULL, *src = NULL;
        long long d = 0, c = 0, sum;
        int r;

        if ((r = tasks_count(f, "unit", offline, &d, &why)) < 0)
                return r;
        if (!why && streq_ptr(cload, "loaded") &&
                (r = tasks_count(f, "containerd_unit", offline, &c, &why)) < 0)
                return r;
        if (!why && !cload)
                why = strdup("containerd.service's state is unknown");
        if (why)
                return facts_set_unknown(f, "unit.tasks_wanted", "%s", why);
        sum = d + c;
        /* no values in a source: a finding's fingerprint is made of its evidence's sources */
        src = strdupf("2 x (unit.tasks_current + containerd_unit.tasks_current), at least %lld more "
                      "(a unit that does not run counts 0)",
                TASKS_HEADROOM_MIN);
        if (!src)
                return -ENOMEM;
        return facts_set_number(f, "unit.tasks_wanted",
                sum * 2 > sum + TASKS_HEADROOM_MIN ? sum * 2 : sum + TASKS_HEADROOM_MIN, src);
}
