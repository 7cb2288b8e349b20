/* SPDX-License-Identifier: MIT */
#include "systemd/unit-bus.h"
#include "systemd/bus-util.h"

static int get_string(
        sd_bus *bus, const char *path, const char *iface, const char *prop, char **ret, char **ret_error)
{
        _cleanup_bus_error_ sd_bus_error e = SD_BUS_ERROR_NULL;
        int r = sd_bus_get_property_string(bus, SD_DEST, path, iface, prop, &e, ret);

        if (r < 0)
                return bus_error_msg(ret_error, r, &e, prop);
        return 0;
}

/* ExecStart's a(sasbttttuii), m positioned at the array. */
static int read_exec_start(sd_bus_message *m, UnitInfo *u)
{
        int r = sd_bus_message_enter_container(m, 'a', "(sasbttttuii)");

        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'r', "sasbttttuii")) > 0) {
                const char *p;
                char **argv = NULL;
                int ign;
                uint64_t t1, t2, t3, t4;
                uint32_t pid;
                int32_t code, status;
                BusExecCommand *t;

                if ((r = sd_bus_message_read(m, "s", &p)) < 0 ||
                        (r = sd_bus_message_read_strv(m, &argv)) < 0)
                        return r;
                r = sd_bus_message_read(m, "bttttuii", &ign, &t1, &t2, &t3, &t4, &pid, &code, &status);
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
                t = r < 0 ? NULL : realloc(u->exec_start, (u->n_exec_start + 1) * sizeof(*t));
                if (!t) {
                        strv_free(argv);
                        return r < 0 ? r : -ENOMEM;
                }
                u->exec_start = t;
                t[u->n_exec_start].argv = argv;
                t[u->n_exec_start].path = strdup(p);
                if (!t[u->n_exec_start++].path)
                        return -ENOMEM;
                if (!argv && !(t[u->n_exec_start - 1].argv = calloc(1, sizeof(char *))))
                        return -ENOMEM;
        }
        return r < 0 ? r : sd_bus_message_exit_container(m);
}

/* EnvironmentFiles' a(sb), m positioned at the array. */
static int read_environment_files(sd_bus_message *m, UnitInfo *u)
{
        const char *p;
        int ign, r;

        r = sd_bus_message_enter_container(m, 'a', "(sb)");
        while (r >= 0 && (r = sd_bus_message_read(m, "(sb)", &p, &ign)) > 0) {
                EnvFileRef *t = realloc(u->environment_files, (u->n_environment_files + 1) * sizeof(*t));
                if (!t)
                        return -ENOMEM;
                u->environment_files = t;
                t[u->n_environment_files] = (EnvFileRef){.path = strdup(p), .ignore_missing = ign};
                if (!t[u->n_environment_files++].path)
                        return -ENOMEM;
        }
        return r < 0 ? r : sd_bus_message_exit_container(m);
}

static int read_string(sd_bus_message *m, char **ret)
{
        const char *s;
        int r = sd_bus_message_read(m, "s", &s);

        if (r < 0)
                return r;
        free(*ret);
        *ret = strdup(s);
        return *ret ? 0 : -ENOMEM;
}

static int read_strv(sd_bus_message *m, char ***ret)
{
        int r;

        strv_free(*ret);
        *ret = NULL;
        r = sd_bus_message_read_strv(m, ret);
        if (r >= 0 && !*ret && !(*ret = calloc(1, sizeof(char *))))
                return -ENOMEM;
        return r < 0 ? r : 0;
}

static int read_load_error(sd_bus_message *m, UnitInfo *u)
{
        const char *name, *msg;
        int r = sd_bus_message_read(m, "(ss)", &name, &msg);

        if (r < 0)
                return r;
        free(u->load_error);
        u->load_error = *msg ? strdup(msg) : NULL;
        return *msg && !u->load_error ? -ENOMEM : 0;
}

/* How a property's value is stored into UnitInfo. */
typedef enum PropKind {
        K_STRING, /* char * */
        K_STRV, /* char ** (never NULL once read) */
        K_BOOL, /* bool from "b" */
        K_PID, /* pid_t from "u" */
        K_U64, /* unsigned long long from "t" */
        K_NUMBER, /* UnitNumber from "t" */
        K_LOAD_ERROR, /* the message of "(ss)", NULL when empty */
        K_EXEC_START,
        K_ENVIRONMENT_FILES,
} PropKind;

/* The properties read: one row each. A GetAll reply is matched against name and signature;
 * a required one missing is an error, an optional one (newer systemd, or new to dockaudit)
 * is left unset. To read another property: a field in UnitInfo, a row here. */
typedef struct BusProp {
        const char *name, *signature;
        PropKind kind;
        size_t offset; /* of the field in UnitInfo */
        bool service; /* on org.freedesktop.systemd1.Service (else .Unit) */
        bool required;
} BusProp;

#define PROP(n, sig, kind, field, service, required)                       \
        {                                                                  \
                n, sig, kind, offsetof(UnitInfo, field), service, required \
        }

static const BusProp props[] = {
        PROP("LoadState", "s", K_STRING, load_state, false, true),
        PROP("ActiveState", "s", K_STRING, active_state, false, true),
        PROP("FragmentPath", "s", K_STRING, fragment_path, false, true),
        PROP("DropInPaths", "as", K_STRV, dropin_paths, false, true),
        PROP("NeedDaemonReload", "b", K_BOOL, need_daemon_reload, false, true),
        PROP("LoadError", "(ss)", K_LOAD_ERROR, load_error, false, false),
        PROP("UnitFileState", "s", K_STRING, unit_file_state, false, false),
        PROP("BindsTo", "as", K_STRV, deps[UNIT_DEP_BINDS_TO], false, false),
        PROP("Requires", "as", K_STRV, deps[UNIT_DEP_REQUIRES], false, false),
        PROP("Wants", "as", K_STRV, deps[UNIT_DEP_WANTS], false, false),
        PROP("After", "as", K_STRV, deps[UNIT_DEP_AFTER], false, false),
        PROP("TriggeredBy", "as", K_STRV, triggered_by, false, false),
        PROP("MainPID", "u", K_PID, main_pid, true, true),
        PROP("MountFlags", "t", K_U64, mount_flags, true, true),
        PROP("ExecStart", "a(sasbttttuii)", K_EXEC_START, exec_start, true, true),
        PROP("Environment", "as", K_STRV, environment, true, true),
        PROP("EnvironmentFiles", "a(sb)", K_ENVIRONMENT_FILES, environment_files, true, true),
        PROP("LimitNOFILE", "t", K_NUMBER, limit_nofile, true, false),
        PROP("LimitNOFILESoft", "t", K_NUMBER, limit_nofile_soft, true, false),
        PROP("TasksMax", "t", K_NUMBER, tasks_max, true, false),
        PROP("TasksCurrent", "t", K_NUMBER, tasks_current, true, false),
        PROP("KillMode", "s", K_STRING, kill_mode, true, false),
};

#define N_PROPS ELEMENTSOF(props)

/* One property's value (m inside its variant) into u. */
static int read_prop(sd_bus_message *m, const BusProp *p, UnitInfo *u)
{
        void *field = (char *) u + p->offset;
        uint32_t pid;
        uint64_t t;
        int b, r;

        switch (p->kind) {
        case K_STRING:
                return read_string(m, field);
        case K_STRV:
                return read_strv(m, field);
        case K_BOOL:
                r = sd_bus_message_read(m, "b", &b);
                *(bool *) field = b;
                return r < 0 ? r : 0;
        case K_PID:
                r = sd_bus_message_read(m, "u", &pid);
                *(pid_t *) field = (pid_t) pid;
                return r < 0 ? r : 0;
        case K_U64:
        case K_NUMBER:
                if ((r = sd_bus_message_read(m, "t", &t)) < 0)
                        return r;
                if (p->kind == K_U64)
                        *(unsigned long long *) field = t;
                else
                        *(UnitNumber *) field = (UnitNumber){.v = t, .set = true};
                return 0;
        case K_LOAD_ERROR:
                return read_load_error(m, u);
        case K_EXEC_START:
                return read_exec_start(m, u);
        case K_ENVIRONMENT_FILES:
                return read_environment_files(m, u);
        }
        return -EINVAL;
}

/* The reply's next a{sv} entry: a property we read (seen[] marks it) or one we skip. */
static int read_entry(sd_bus_message *m, UnitInfo *u, bool *seen)
{
        const char *name, *contents;
        int r, p;

        if ((r = sd_bus_message_read(m, "s", &name)) < 0 ||
                (r = sd_bus_message_peek_type(m, NULL, &contents)) < 0)
                return r;
        for (p = 0; p < (int) N_PROPS; p++)
                if (streq(props[p].name, name) && streq(props[p].signature, contents))
                        break;
        if (p == (int) N_PROPS)
                return sd_bus_message_skip(m, "v");
        if ((r = sd_bus_message_enter_container(m, 'v', contents)) < 0 ||
                (r = read_prop(m, &props[p], u)) < 0)
                return r;
        seen[p] = true;
        return sd_bus_message_exit_container(m);
}

/* Properties.GetAll(iface) on path: one round trip for all of an interface's properties
 * (one Get each took a dozen). */
static int read_all(sd_bus *bus, uint64_t deadline_usec, const char *path, const char *iface, UnitInfo *u,
        bool *seen, char **ret_error)
{
        _cleanup_bus_error_ sd_bus_error e = SD_BUS_ERROR_NULL;
        _cleanup_bus_message_ sd_bus_message *m = NULL;
        _cleanup_free_ char *what = strdupf("GetAll %s", iface);
        int r;

        if (!what)
                return -ENOMEM;
        if ((r = bus_budget_set(bus, deadline_usec, what, ret_error)) < 0)
                return r;
        r = sd_bus_call_method(
                bus, SD_DEST, path, "org.freedesktop.DBus.Properties", "GetAll", &e, &m, "s", iface);
        if (r < 0)
                return bus_error_msg(ret_error, r, &e, what);
        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0)
                if ((r = read_entry(m, u, seen)) >= 0)
                        r = sd_bus_message_exit_container(m);
        if (r >= 0)
                r = sd_bus_message_exit_container(m);
        if (r == -ENOMEM)
                return r;
        return r < 0 ? bus_error_msg(ret_error, r, NULL, what) : 0;
}

static pid_t manager_pid(sd_bus *bus, uint64_t deadline_usec)
{
        sd_bus_creds *c = NULL;
        pid_t pid = 0;
        int r;

        if (bus_budget_set(bus, deadline_usec, "the manager's pid", NULL) < 0)
                return 0;
        /* On a bus ask the bus for the owner of the name; on a direct connection the peer. */
        r = sd_bus_is_bus_client(bus) > 0 ? sd_bus_get_name_creds(bus, SD_DEST, SD_BUS_CREDS_PID, &c)
                                          : sd_bus_get_owner_creds(bus, SD_BUS_CREDS_PID, &c);
        if (r >= 0 && sd_bus_creds_get_pid(c, &pid) < 0)
                pid = 0;
        sd_bus_creds_unref(c);
        return pid;
}

static int unit_info_read_bus(sd_bus *bus, bool user, const char *unit, bool with_manager,
        uint64_t deadline_usec, UnitInfo *ret, char **ret_error)
{
        _cleanup_bus_error_ sd_bus_error e = SD_BUS_ERROR_NULL;
        _cleanup_bus_message_ sd_bus_message *reply = NULL;
        _cleanup_(unit_info_done) UnitInfo u = {};
        bool seen[N_PROPS] = {};
        const char *path;
        int r;

        if ((r = bus_budget_set(bus, deadline_usec, unit, ret_error)) < 0)
                return r;
        r = sd_bus_call_method(bus, SD_DEST, SD_PATH, SD_MANAGER, "LoadUnit", &e, &reply, "s", unit);
        if (r < 0)
                return bus_error_msg(ret_error, r, &e, unit);
        r = sd_bus_message_read(reply, "o", &path);
        if (r < 0)
                return bus_error_msg(ret_error, r, NULL, "LoadUnit reply");

        u.name = strdup(unit);
        u.manager_address = strdup(user ? "user manager" : "system manager");
        if (!u.name || !u.manager_address)
                return -ENOMEM;
        if ((r = read_all(bus, deadline_usec, path, SD_UNIT, &u, seen, ret_error)) < 0)
                return r;
        /* Service properties exist for every loaded-or-not service object; for other unit
         * types (a typo like --unit docker.socket) they are simply absent. */
        if (endswith(unit, ".service") &&
                (r = read_all(bus, deadline_usec, path, SD_SERVICE, &u, seen, ret_error)) < 0)
                return r;
        for (size_t p = 0; p < N_PROPS; p++)
                if (!seen[p] && props[p].required && (!props[p].service || endswith(unit, ".service")))
                        return error_setf(ret_error, -EBADMSG, "%s: no %s property", unit, props[p].name);
        if (streq(u.load_state, "loaded")) {
                free(u.load_error);
                u.load_error = NULL;
        }
        /* Both optional: past the deadline they are left unknown. */
        if (with_manager && bus_budget_set(bus, deadline_usec, "Version", NULL) >= 0)
                (void) get_string(bus, SD_PATH, SD_MANAGER, "Version", &u.manager_version, NULL);
        if (with_manager)
                u.manager_pid = manager_pid(bus, deadline_usec);
        *ret = u;
        u = (UnitInfo){};
        return 0;
}

int unit_info_read(sd_bus *bus, bool user, const char *unit, bool with_manager, uint64_t deadline_usec,
        UnitInfo *ret, char **ret_error)
{
        _cleanup_free_ char *err = NULL;
        int r = unit_info_read_bus(bus, user, unit, with_manager, deadline_usec, ret, &err);

        /* Name the channel: the message becomes the audit's problem. */
        if (r < 0 && r != -ENOMEM)
                return error_setf(ret_error, r, "D-Bus: %s", err ? err : strerror(-r));
        return r;
}
