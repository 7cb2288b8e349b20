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

/* The properties read, with their D-Bus signature; a GetAll reply is matched against it. */
enum {
        P_LOAD_STATE,
        P_ACTIVE_STATE,
        P_FRAGMENT_PATH,
        P_DROPIN_PATHS,
        P_NEED_DAEMON_RELOAD,
        P_LOAD_ERROR,
        P_MAIN_PID,
        P_MOUNT_FLAGS,
        P_EXEC_START,
        P_ENVIRONMENT,
        P_ENVIRONMENT_FILES,
        _P_MAX,
};

static const struct {
        const char *name, *signature;
} props[_P_MAX] = {
        [P_LOAD_STATE] = {"LoadState", "s"},
        [P_ACTIVE_STATE] = {"ActiveState", "s"},
        [P_FRAGMENT_PATH] = {"FragmentPath", "s"},
        [P_DROPIN_PATHS] = {"DropInPaths", "as"},
        [P_NEED_DAEMON_RELOAD] = {"NeedDaemonReload", "b"},
        [P_LOAD_ERROR] = {"LoadError", "(ss)"},
        [P_MAIN_PID] = {"MainPID", "u"},
        [P_MOUNT_FLAGS] = {"MountFlags", "t"},
        [P_EXEC_START] = {"ExecStart", "a(sasbttttuii)"},
        [P_ENVIRONMENT] = {"Environment", "as"},
        [P_ENVIRONMENT_FILES] = {"EnvironmentFiles", "a(sb)"},
};

/* One property's value (m inside its variant) into u. */
static int read_prop(sd_bus_message *m, int p, UnitInfo *u)
{
        uint32_t pid;
        uint64_t mf;
        int b, r;

        switch (p) {
        case P_LOAD_STATE:
                return read_string(m, &u->load_state);
        case P_ACTIVE_STATE:
                return read_string(m, &u->active_state);
        case P_FRAGMENT_PATH:
                return read_string(m, &u->fragment_path);
        case P_DROPIN_PATHS:
                return read_strv(m, &u->dropin_paths);
        case P_NEED_DAEMON_RELOAD:
                r = sd_bus_message_read(m, "b", &b);
                u->need_daemon_reload = b;
                return r < 0 ? r : 0;
        case P_LOAD_ERROR:
                return read_load_error(m, u);
        case P_MAIN_PID:
                r = sd_bus_message_read(m, "u", &pid);
                u->main_pid = (pid_t) pid;
                return r < 0 ? r : 0;
        case P_MOUNT_FLAGS:
                r = sd_bus_message_read(m, "t", &mf);
                u->mount_flags = mf;
                return r < 0 ? r : 0;
        case P_EXEC_START:
                return read_exec_start(m, u);
        case P_ENVIRONMENT:
                return read_strv(m, &u->environment);
        case P_ENVIRONMENT_FILES:
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
        for (p = 0; p < _P_MAX; p++)
                if (streq(props[p].name, name) && streq(props[p].signature, contents))
                        break;
        if (p == _P_MAX)
                return sd_bus_message_skip(m, "v");
        if ((r = sd_bus_message_enter_container(m, 'v', contents)) < 0 || (r = read_prop(m, p, u)) < 0)
                return r;
        seen[p] = true;
        return sd_bus_message_exit_container(m);
}

/* Properties.GetAll(iface) on path: one round trip for all of an interface's properties
 * (one Get each took a dozen). */
static int read_all(
        sd_bus *bus, const char *path, const char *iface, UnitInfo *u, bool *seen, char **ret_error)
{
        _cleanup_bus_error_ sd_bus_error e = SD_BUS_ERROR_NULL;
        _cleanup_bus_message_ sd_bus_message *m = NULL;
        _cleanup_free_ char *what = strdupf("GetAll %s", iface);
        int r;

        if (!what)
                return -ENOMEM;
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

static pid_t manager_pid(sd_bus *bus)
{
        sd_bus_creds *c = NULL;
        pid_t pid = 0;
        int r;

        /* On a bus ask the bus for the owner of the name; on a direct connection the peer. */
        r = sd_bus_is_bus_client(bus) > 0 ? sd_bus_get_name_creds(bus, SD_DEST, SD_BUS_CREDS_PID, &c)
                                          : sd_bus_get_owner_creds(bus, SD_BUS_CREDS_PID, &c);
        if (r >= 0 && sd_bus_creds_get_pid(c, &pid) < 0)
                pid = 0;
        sd_bus_creds_unref(c);
        return pid;
}

static int unit_info_read_bus(sd_bus *bus, bool user, const char *unit, UnitInfo *ret, char **ret_error)
{
        _cleanup_bus_error_ sd_bus_error e = SD_BUS_ERROR_NULL;
        _cleanup_bus_message_ sd_bus_message *reply = NULL;
        _cleanup_(unit_info_done) UnitInfo u = {};
        bool seen[_P_MAX] = {};
        const char *path;
        int r;

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
        if ((r = read_all(bus, path, SD_UNIT, &u, seen, ret_error)) < 0)
                return r;
        /* Service properties exist for every loaded-or-not service object; for other unit
         * types (a typo like --unit docker.socket) they are simply absent. */
        if (endswith(unit, ".service") && (r = read_all(bus, path, SD_SERVICE, &u, seen, ret_error)) < 0)
                return r;
        for (int p = 0; p < (endswith(unit, ".service") ? _P_MAX : P_MAIN_PID); p++)
                if (!seen[p] && p != P_LOAD_ERROR)
                        return error_setf(ret_error, -EBADMSG, "%s: no %s property", unit, props[p].name);
        if (streq(u.load_state, "loaded")) {
                free(u.load_error);
                u.load_error = NULL;
        }
        (void) get_string(bus, SD_PATH, SD_MANAGER, "Version", &u.manager_version, NULL);
        u.manager_pid = manager_pid(bus);
        *ret = u;
        u = (UnitInfo){};
        return 0;
}

int unit_info_read(sd_bus *bus, bool user, const char *unit, UnitInfo *ret, char **ret_error)
{
        _cleanup_free_ char *err = NULL;
        int r = unit_info_read_bus(bus, user, unit, ret, &err);

        /* Name the channel: the message becomes the audit's problem. */
        if (r < 0 && r != -ENOMEM)
                return error_setf(ret_error, r, "D-Bus: %s", err ? err : strerror(-r));
        return r;
}
