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

static int get_strv(
        sd_bus *bus, const char *path, const char *iface, const char *prop, char ***ret, char **ret_error)
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

static int get_trivial(sd_bus *bus, const char *path, const char *iface, const char *prop, char type,
        void *ret, char **ret_error)
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

                if ((r = sd_bus_message_read(m, "s", &p)) < 0 ||
                        (r = sd_bus_message_read_strv(m, &argv)) < 0)
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
                t[u->n_environment_files] = (EnvFileRef){.path = strdup(p), .ignore_missing = ign};
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

static int unit_info_read_bus(sd_bus *bus, bool user, const char *unit, UnitInfo *ret, char **ret_error)
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
                        (r = get_strv(bus, path, SD_SERVICE, "Environment", &u.environment, ret_error)) <
                                0 ||
                        (r = read_environment_files(bus, path, &u, ret_error)) < 0)
                        return r;
        }
        u.main_pid = (pid_t) pid;
        u.mount_flags = mf;
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
