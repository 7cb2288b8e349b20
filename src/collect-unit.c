/* SPDX-License-Identifier: MIT */
#include "collect-unit.h"

#define SD_DEST "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"
#define SD_UNIT "org.freedesktop.systemd1.Unit"
#define SD_SERVICE "org.freedesktop.systemd1.Service"

static void sd_bus_error_freep(sd_bus_error *e)
{
        sd_bus_error_free(e);
}
#define _cleanup_bus_error_ _cleanup_(sd_bus_error_freep)
/* sd-bus.h provides the *_unrefp cleanup functions. */
#define _cleanup_bus_message_ _cleanup_(sd_bus_message_unrefp)
#define _cleanup_bus_ _cleanup_(sd_bus_flush_close_unrefp)

void unit_info_done(UnitInfo *u)
{
        free(u->name);
        free(u->load_state);
        free(u->active_state);
        free(u->fragment_path);
        free(u->load_error);
        strv_free(u->dropin_paths);
        for (size_t i = 0; i < u->n_exec_start; i++) {
                free(u->exec_start[i].path);
                strv_free(u->exec_start[i].argv);
        }
        free(u->exec_start);
        strv_free(u->environment);
        for (size_t i = 0; i < u->n_environment_files; i++) {
                free(u->environment_files[i].path);
                free(u->environment_files[i].file);
        }
        free(u->environment_files);
        free(u->manager_version);
        free(u->manager_address);
        *u = (UnitInfo){};
}

/* A bus error message with the D-Bus error name, as a person needs it. */
static int bus_error_msg(char **ret_error, int r, const sd_bus_error *e, const char *what)
{
        if (e && sd_bus_error_is_set(e))
                return error_setf(ret_error, r, "%s: %s (%s)", what, e->message ? e->message : strerror(-r),
                        e->name);
        return error_setf(ret_error, r, "%s: %s", what, strerror(-r));
}

/* Checks that the manager answers: a bus with no systemd on it must fail here, not later. */
static int manager_ping(sd_bus *bus, char **ret_version, char **ret_error)
{
        _cleanup_bus_error_ sd_bus_error e = SD_BUS_ERROR_NULL;
        char *v = NULL;
        int r = sd_bus_get_property_string(bus, SD_DEST, SD_PATH, SD_MANAGER, "Version", &e, &v);

        if (r < 0)
                return bus_error_msg(ret_error, r, &e, "cannot talk to the service manager");
        *ret_version = v;
        return 0;
}

static int open_private(const char *socket, sd_bus **ret)
{
        _cleanup_bus_ sd_bus *bus = NULL;
        _cleanup_free_ char *addr = strdupf("unix:path=%s", socket);
        int r;

        if (!addr)
                return -ENOMEM;
        if (access(socket, F_OK) < 0)
                return -errno;
        r = sd_bus_new(&bus);
        if (r < 0)
                return r;
        /* A direct connection to the manager: no Hello, so no sd_bus_set_bus_client(). */
        r = sd_bus_set_address(bus, addr);
        if (r < 0)
                return r;
        r = sd_bus_start(bus);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(bus);
        return 0;
}

int manager_bus_open(bool user, sd_bus **ret, char **ret_error)
{
        _cleanup_bus_ sd_bus *bus = NULL;
        _cleanup_free_ char *bus_msg = NULL, *priv = NULL, *version = NULL;
        const char *runtime = getenv("XDG_RUNTIME_DIR");
        int r;

        r = user ? sd_bus_open_user(&bus) : sd_bus_open_system(&bus);
        if (r >= 0) {
                (void) sd_bus_set_allow_interactive_authorization(bus, 1);
                r = manager_ping(bus, &version, &bus_msg);
                if (r >= 0) {
                        *ret = TAKE_PTR(bus);
                        return 0;
                }
                bus = sd_bus_flush_close_unref(bus);
        } else
                bus_msg = strdupf("%s", strerror(-r));

        /* Like systemctl: the manager's private socket works without a bus daemon. */
        if (user && runtime)
                priv = strdupf("%s/systemd/private", runtime);
        else if (!user)
                priv = strdup("/run/systemd/private");
        if (priv && open_private(priv, &bus) >= 0 && manager_ping(bus, &version, NULL) >= 0) {
                *ret = TAKE_PTR(bus);
                return 0;
        }
        if (user)
                return error_setf(ret_error, -EHOSTUNREACH,
                        "cannot reach the user service manager: session bus (%s): %s%s%s%s; "
                        "is the user manager running?",
                        getenv("DBUS_SESSION_BUS_ADDRESS") ? getenv("DBUS_SESSION_BUS_ADDRESS")
                                                           : "$DBUS_SESSION_BUS_ADDRESS unset",
                        strempty(bus_msg), priv ? ", private socket " : "", priv ? priv : "",
                        priv ? " unusable" : "");
        return error_setf(ret_error, -EHOSTUNREACH,
                "cannot reach the system service manager: system bus: %s; /run/systemd/private unusable; "
                "is systemd running?",
                strempty(bus_msg));
}

static int get_string(sd_bus *bus, const char *path, const char *iface, const char *prop, char **ret,
        char **ret_error)
{
        _cleanup_bus_error_ sd_bus_error e = SD_BUS_ERROR_NULL;
        int r = sd_bus_get_property_string(bus, SD_DEST, path, iface, prop, &e, ret);

        if (r < 0)
                return bus_error_msg(ret_error, r, &e, prop);
        return 0;
}

static int get_strv(sd_bus *bus, const char *path, const char *iface, const char *prop, char ***ret,
        char **ret_error)
{
        _cleanup_bus_error_ sd_bus_error e = SD_BUS_ERROR_NULL;
        int r = sd_bus_get_property_strv(bus, SD_DEST, path, iface, prop, &e, ret);

        if (r < 0)
                return bus_error_msg(ret_error, r, &e, prop);
        if (!*ret) {
                *ret = calloc(1, sizeof(char *));
                if (!*ret)
                        return -ENOMEM;
        }
        return 0;
}

static int get_trivial(sd_bus *bus, const char *path, const char *iface, const char *prop, char type, void *ret,
        char **ret_error)
{
        _cleanup_bus_error_ sd_bus_error e = SD_BUS_ERROR_NULL;
        int r = sd_bus_get_property_trivial(bus, SD_DEST, path, iface, prop, &e, type, ret);

        if (r < 0)
                return bus_error_msg(ret_error, r, &e, prop);
        return 0;
}

static int read_exec_start(sd_bus *bus, const char *path, UnitInfo *u, char **ret_error)
{
        _cleanup_bus_error_ sd_bus_error e = SD_BUS_ERROR_NULL;
        _cleanup_bus_message_ sd_bus_message *m = NULL;
        int r;

        r = sd_bus_get_property(bus, SD_DEST, path, SD_SERVICE, "ExecStart", &e, &m, "a(sasbttttuii)");
        if (r < 0)
                return bus_error_msg(ret_error, r, &e, "ExecStart");
        r = sd_bus_message_enter_container(m, 'a', "(sasbttttuii)");
        if (r < 0)
                return bus_error_msg(ret_error, r, NULL, "ExecStart");
        while ((r = sd_bus_message_enter_container(m, 'r', "sasbttttuii")) > 0) {
                const char *p;
                char **argv = NULL;
                int ign;
                uint64_t t1, t2, t3, t4;
                uint32_t pid;
                int32_t code, status;
                BusExecCommand *t;

                if ((r = sd_bus_message_read(m, "s", &p)) < 0 || (r = sd_bus_message_read_strv(m, &argv)) < 0)
                        return bus_error_msg(ret_error, r, NULL, "ExecStart");
                r = sd_bus_message_read(m, "bttttuii", &ign, &t1, &t2, &t3, &t4, &pid, &code, &status);
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
                t = r < 0 ? NULL : realloc(u->exec_start, (u->n_exec_start + 1) * sizeof(*t));
                if (!t) {
                        strv_free(argv);
                        return r < 0 ? bus_error_msg(ret_error, r, NULL, "ExecStart") : -ENOMEM;
                }
                u->exec_start = t;
                t[u->n_exec_start].argv = argv;
                t[u->n_exec_start].path = strdup(p);
                if (!t[u->n_exec_start++].path)
                        return -ENOMEM;
                if (!argv && !(t[u->n_exec_start - 1].argv = calloc(1, sizeof(char *))))
                        return -ENOMEM;
        }
        if (r < 0)
                return bus_error_msg(ret_error, r, NULL, "ExecStart");
        return 0;
}

static int read_environment_files(sd_bus *bus, const char *path, UnitInfo *u, char **ret_error)
{
        _cleanup_bus_error_ sd_bus_error e = SD_BUS_ERROR_NULL;
        _cleanup_bus_message_ sd_bus_message *m = NULL;
        const char *p;
        int ign, r;

        r = sd_bus_get_property(bus, SD_DEST, path, SD_SERVICE, "EnvironmentFiles", &e, &m, "a(sb)");
        if (r < 0)
                return bus_error_msg(ret_error, r, &e, "EnvironmentFiles");
        r = sd_bus_message_enter_container(m, 'a', "(sb)");
        while (r >= 0 && (r = sd_bus_message_read(m, "(sb)", &p, &ign)) > 0) {
                EnvFileRef *t = realloc(u->environment_files, (u->n_environment_files + 1) * sizeof(*t));
                if (!t)
                        return -ENOMEM;
                u->environment_files = t;
                t[u->n_environment_files] = (EnvFileRef){ .path = strdup(p), .ignore_missing = ign };
                if (!t[u->n_environment_files++].path)
                        return -ENOMEM;
        }
        if (r < 0)
                return bus_error_msg(ret_error, r, NULL, "EnvironmentFiles");
        return 0;
}

static void read_load_error(sd_bus *bus, const char *path, UnitInfo *u)
{
        _cleanup_bus_error_ sd_bus_error e = SD_BUS_ERROR_NULL;
        _cleanup_bus_message_ sd_bus_message *m = NULL;
        const char *name, *msg;

        if (sd_bus_get_property(bus, SD_DEST, path, SD_UNIT, "LoadError", &e, &m, "(ss)") < 0)
                return;
        if (sd_bus_message_read(m, "(ss)", &name, &msg) > 0 && *msg)
                u->load_error = strdup(msg);
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

int unit_info_read(sd_bus *bus, bool user, const char *unit, UnitInfo *ret, char **ret_error)
{
        _cleanup_bus_error_ sd_bus_error e = SD_BUS_ERROR_NULL;
        _cleanup_bus_message_ sd_bus_message *reply = NULL;
        _cleanup_(unit_info_done) UnitInfo u = {};
        const char *path;
        uint32_t pid = 0;
        uint64_t mf = 0;
        int b = 0, r;

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
        if ((r = get_string(bus, path, SD_UNIT, "LoadState", &u.load_state, ret_error)) < 0 ||
                (r = get_string(bus, path, SD_UNIT, "ActiveState", &u.active_state, ret_error)) < 0 ||
                (r = get_string(bus, path, SD_UNIT, "FragmentPath", &u.fragment_path, ret_error)) < 0 ||
                (r = get_strv(bus, path, SD_UNIT, "DropInPaths", &u.dropin_paths, ret_error)) < 0 ||
                (r = get_trivial(bus, path, SD_UNIT, "NeedDaemonReload", 'b', &b, ret_error)) < 0)
                return r;
        u.need_daemon_reload = b;
        (void) get_string(bus, SD_PATH, SD_MANAGER, "Version", &u.manager_version, NULL);
        u.manager_pid = manager_pid(bus);
        if (!streq(u.load_state, "loaded"))
                read_load_error(bus, path, &u);

        /* Service properties exist for every loaded-or-not service object; for other unit
         * types (a typo like --unit docker.socket) they are simply absent. */
        if (endswith(unit, ".service")) {
                if ((r = get_trivial(bus, path, SD_SERVICE, "MainPID", 'u', &pid, ret_error)) < 0 ||
                        (r = get_trivial(bus, path, SD_SERVICE, "MountFlags", 't', &mf, ret_error)) < 0 ||
                        (r = read_exec_start(bus, path, &u, ret_error)) < 0 ||
                        (r = get_strv(bus, path, SD_SERVICE, "Environment", &u.environment, ret_error)) < 0 ||
                        (r = read_environment_files(bus, path, &u, ret_error)) < 0)
                        return r;
        }
        u.main_pid = (pid_t) pid;
        u.mount_flags = mf;
        *ret = u;
        u = (UnitInfo){};
        return 0;
}

int manager_reload(sd_bus *bus, char **ret_error)
{
        _cleanup_bus_error_ sd_bus_error e = SD_BUS_ERROR_NULL;
        int r = sd_bus_call_method(bus, SD_DEST, SD_PATH, SD_MANAGER, "Reload", &e, NULL, "");

        if (r < 0)
                return bus_error_msg(ret_error, r, &e, "Reload");
        return 0;
}
