/* SPDX-License-Identifier: MIT */
#include "rules/fact-catalog.h"

/* Sorted by name: looked up with bsearch. */
static const FactDef catalog[] = {
        {"audit.problems", FACT_LIST,
                "what could not be read, or would stop dockerd, each naming its file and line or its "
                "channel (any makes the audit incomplete: exit status 2)"},
        {"containerd_unit.active_state", FACT_STRING, "ActiveState of containerd.service"},
        {"containerd_unit.fragment_path", FACT_STRING, "FragmentPath of containerd.service"},
        {"containerd_unit.limit_nofile", FACT_NUMBER,
                "LimitNOFILE (hard) of containerd.service; infinity is 9223372036854775807"},
        {"containerd_unit.limit_nofile_soft", FACT_NUMBER,
                "LimitNOFILESoft of containerd.service; infinity is 9223372036854775807"},
        {"containerd_unit.load_state", FACT_STRING,
                "LoadState of containerd.service (not-found when there is none)"},
        {"containerd_unit.tasks_current", FACT_NUMBER,
                "TasksCurrent of containerd.service (unknown when not counted)"},
        {"containerd_unit.tasks_max", FACT_NUMBER,
                "TasksMax of containerd.service as the manager resolves it; infinity is "
                "9223372036854775807"},
        {"daemon_json.error", FACT_STRING, "why dockerd refuses its config file, with line:column"},
        {"daemon_json.keys", FACT_LIST, "top-level keys of dockerd's config file"},
        {"daemon_json.path", FACT_STRING, "dockerd's config file (--config-file or the default)"},
        {"daemon_json.present", FACT_BOOL, "dockerd's config file exists"},
        {"daemon_json.unknown_keys", FACT_LIST,
                "daemon.json keys the installed dockerd does not know, nested objects flattened as dockerd "
                "does (dockerd refuses to start); by dockerd.version, or every version when it is unknown, "
                "or what `dockerd --validate` said"},
        {"daemon_json.valid", FACT_BOOL,
                "dockerd accepts its config file (JSON object, known keys, right types)"},
        {"distro.id", FACT_STRING, "os-release ID"},
        {"distro.id_like", FACT_LIST, "os-release ID_LIKE"},
        {"distro.pretty_name", FACT_STRING, "os-release PRETTY_NAME"},
        {"distro.redhat_release", FACT_STRING, "contents of /etc/redhat-release"},
        {"distro.rhel_family", FACT_BOOL, "RHEL, CentOS or a rebuild (ID or ID_LIKE names rhel)"},
        {"distro.version_id", FACT_VERSION, "os-release VERSION_ID"},
        {"docker.api_version", FACT_VERSION, "Engine API version negotiated with the daemon"},
        {"docker.backing_fs", FACT_STRING,
                "DriverStatus \"Backing Filesystem\" of the storage driver (extfs, xfs, ...) (/info)"},
        {"docker.cgroup_driver", FACT_STRING, "CgroupDriver reported by the running daemon (/info)"},
        {"docker.cgroup_driver_effective", FACT_STRING,
                "Docker's cgroup driver: /info CgroupDriver, else the native.cgroupdriver exec-opt, else "
                "dockerd's default for this host's cgroup version"},
        {"docker.dead_containers", FACT_LIST,
                "containers in state Dead, \"ID NAME\" (/containers/json, filtered on the states that "
                "matter)"},
        {"docker.live_restore", FACT_BOOL, "LiveRestoreEnabled reported by the running daemon (/info)"},
        {"docker.root_dir", FACT_STRING, "DockerRootDir reported by the running daemon"},
        {"docker.running", FACT_BOOL, "the Docker API answers on its socket"},
        {"docker.running_containers_count", FACT_NUMBER, "containers running (or paused, restarting)"},
        {"docker.server_version", FACT_VERSION, "ServerVersion reported by the running daemon"},
        {"docker.socket", FACT_STRING, "the unix socket the Engine API was asked on"},
        {"docker.storage_driver", FACT_STRING, "Driver reported by the running daemon"},
        {"docker.supports_d_type", FACT_BOOL,
                "DriverStatus \"Supports d_type\" of the overlay storage drivers (/info)"},
        {"docker.swarm_state", FACT_STRING,
                "Swarm.LocalNodeState: inactive, pending, active, error, locked"},
        {"docker_socket.active_state", FACT_STRING, "ActiveState of the unit's socket (<stem>.socket)"},
        {"docker_socket.load_state", FACT_STRING,
                "LoadState of the unit's socket: loaded, not-found, masked..."},
        {"docker_socket.name", FACT_STRING,
                "the socket unit of the audited unit (<stem>.socket: docker.socket)"},
        {"docker_socket.unit_file_state", FACT_STRING,
                "UnitFileState of the socket: enabled, disabled, masked, static..."},
        {"dockerd.argv", FACT_LIST, "dockerd's command line after systemd's $VAR expansion"},
        {"dockerd.cgroup_driver", FACT_STRING,
                "exec-opts native.cgroupdriver as configured (first one, flag or daemon.json), \"\" when "
                "not "
                "configured (dockerd then picks cgroupfs, or systemd on a cgroup v2 host)"},
        {"dockerd.conflicting_options", FACT_LIST,
                "options given both as a flag and in daemon.json (dockerd refuses to start)"},
        {"dockerd.containerd", FACT_STRING,
                "--containerd / daemon.json \"containerd\": the containerd socket dockerd uses; \"\" when "
                "not "
                "configured (dockerd >= 18.09 then uses /run/containerd/containerd.sock when it exists at "
                "start, else starts its own containerd)"},
        {"dockerd.data_root", FACT_STRING, "data root as configured (--data-root/-g, daemon.json, default)"},
        {"dockerd.environment_warnings", FACT_LIST,
                "lines of dockerd's EnvironmentFile= that systemd ignores (logged, the service still "
                "starts)"},
        {"dockerd.flags", FACT_LIST, "daemon.json names of the options given as flags"},
        {"dockerd.hosts", FACT_LIST,
                "every -H/--host flag, then daemon.json \"hosts\" (empty: dockerd's default unix socket)"},
        {"dockerd.live_restore", FACT_BOOL, "live-restore as configured (flag, else daemon.json, else off)"},
        {"dockerd.log_driver", FACT_STRING,
                "default log driver of containers: --log-driver, else daemon.json \"log-driver\", else "
                "json-file"},
        {"dockerd.log_max_file", FACT_STRING,
                "max-file of the default log options (--log-opt / daemon.json \"log-opts\"), \"\" when not "
                "set"},
        {"dockerd.log_max_size", FACT_STRING,
                "max-size of the default log options (--log-opt / daemon.json \"log-opts\"), \"\" when not "
                "set"},
        {"dockerd.log_opts", FACT_LIST,
                "default log options, \"max-size=10m\" (--log-opt, then daemon.json \"log-opts\")"},
        {"dockerd.shims_in_unit_cgroup", FACT_BOOL,
                "containerd and its shims run in the unit's cgroup (dockerd started its own "
                "containerd): the unit's KillMode= reaches them (/proc/PID/cgroup)"},
        {"dockerd.storage_driver", FACT_STRING,
                "storage driver as configured (--storage-driver, daemon.json), \"\" when dockerd picks one"},
        {"dockerd.validate_message", FACT_STRING,
                "what `dockerd --validate` (Engine >= 23) says of the configuration: \"\" when it is OK"},
        {"dockerd.version", FACT_VERSION,
                "version of the installed dockerd (its --version, else dpkg's database), else of the "
                "running "
                "daemon (ServerVersion)"},
        {"kernel.el", FACT_STRING,
                "dist tag (el7) of Red Hat's kernel line (2.6.32-N.el6, 3.10.0-N.el7, 4.18.0-N.el8...) and "
                "rebuilds; \"\" for other kernels, EL-tagged third-party ones (ELRepo) included"},
        {"kernel.installed", FACT_LIST,
                "kernels installed in the --root image (/lib/modules, /boot/vmlinuz-*), newest first"},
        {"kernel.leaks_mounts", FACT_BOOL,
                "the kernel copies container mounts into other namespaces and keeps them busy"},
        {"kernel.may_detach_mounts", FACT_NUMBER, "sysctl fs.may_detach_mounts (RHEL/CentOS 7.4+ only)"},
        {"kernel.may_detach_mounts_persistent", FACT_NUMBER,
                "fs.may_detach_mounts as sysctl.d sets it at boot (FILE:LINE); unknown when no file sets "
                "it"},
        {"kernel.nr_open", FACT_NUMBER,
                "sysctl fs.nr_open (/proc/sys/fs/nr_open; offline only when sysctl.d sets it)"},
        {"kernel.release", FACT_STRING, "kernel release (uname -r)"},
        {"kernel.rhel_build", FACT_VERSION,
                "build N of Red Hat's kernel line (3.10.0-N.el7: 693 is 7.4 GA); unknown for other kernels"},
        {"kernel.sysctl_d_read", FACT_BOOL,
                "every sysctl.d file was read (unknown when one could not be: it may set any sysctl)"},
        {"kernel.version", FACT_VERSION, "mainline kernel version (3.10.0)"},
        {"kubelet.cgroup_driver", FACT_STRING,
                "kubelet's cgroup driver: --cgroup-driver, else cgroupDriver of its config file, else "
                "cgroupfs"},
        {"kubelet.config_path", FACT_STRING, "kubelet's config file (--config), \"\" when it has none"},
        {"kubelet.present", FACT_BOOL, "kubelet.service is installed (and not masked)"},
        {"leaks.containers", FACT_LIST,
                "containers (\"ID NAME\") whose mounts leaked into other mount namespaces"},
        {"leaks.count", FACT_NUMBER, "leaked container mounts, counted once per holding namespace"},
        {"leaks.dead_holders", FACT_LIST,
                "processes holding mounts of Dead containers (\"NAME: PID COMM (UNIT)\")"},
        {"leaks.holders", FACT_LIST, "processes in namespaces holding leaked mounts (\"PID COMM (UNIT)\")"},
        {"ns.dockerd_mnt", FACT_STRING, "mount namespace of dockerd (MainPID)"},
        {"ns.dockerd_private", FACT_BOOL, "dockerd runs in a mount namespace other than its manager's"},
        {"ns.manager_mnt", FACT_STRING, "mount namespace of the service manager"},
        {"storage.d_type", FACT_BOOL,
                "the filesystem of dockerd's data root returns d_type in directory entries (read-only "
                "readdir)"},
        {"storage.fs_type", FACT_STRING, "filesystem of dockerd's data root (statfs, moby's names)"},
        {"systemd.scope", FACT_STRING, "system or user manager"},
        {"systemd.version", FACT_VERSION, "version of the service manager"},
        {"unit.active_state", FACT_STRING, "ActiveState"},
        {"unit.after", FACT_LIST,
                "After= as the manager has it (implicit and default dependencies included; offline only the "
                "files')"},
        {"unit.binds_to", FACT_LIST, "BindsTo= as the manager has it (offline: as the files name it)"},
        {"unit.changed_on_disk", FACT_BOOL,
                "the unit files on disk give other settings than the loaded unit (reload needed)"},
        {"unit.dropin_paths", FACT_LIST, "DropInPaths, in applied order"},
        {"unit.environment", FACT_LIST, "Environment= assignments (NAME=value)"},
        {"unit.environment_files", FACT_LIST, "EnvironmentFile= paths (\"-\" prefix when optional)"},
        {"unit.exec_start", FACT_LIST, "argv of the (first) ExecStart= command as loaded"},
        {"unit.fragment_path", FACT_STRING, "FragmentPath"},
        {"unit.kill_mode", FACT_STRING, "KillMode: control-group, process, mixed or none"},
        {"unit.limit_nofile", FACT_NUMBER, "LimitNOFILE (hard limit); infinity is 9223372036854775807"},
        {"unit.limit_nofile_soft", FACT_NUMBER, "LimitNOFILESoft; infinity is 9223372036854775807"},
        {"unit.load_error", FACT_STRING, "why the unit failed to load (LoadError), \"\" when loaded"},
        {"unit.load_state", FACT_STRING, "LoadState: loaded, not-found, bad-setting, error, masked"},
        {"unit.main_pid", FACT_NUMBER, "MainPID (0: not running)"},
        {"unit.mount_flags", FACT_STRING, "MountFlags: \"\" (unset), shared, slave or private"},
        {"unit.name", FACT_STRING, "the unit audited"},
        {"unit.need_daemon_reload", FACT_BOOL, "NeedDaemonReload"},
        {"unit.requires", FACT_LIST,
                "Requires= as the manager has it (implicit ones included; offline only the files')"},
        {"unit.tasks_current", FACT_NUMBER,
                "TasksCurrent: tasks in the unit's cgroup now (unknown when not counted)"},
        {"unit.tasks_max", FACT_NUMBER,
                "TasksMax as the manager resolves it (a share of the kernel's limit included); infinity is "
                "9223372036854775807"},
        {"unit.tasks_wanted", FACT_NUMBER,
                "the tasks TasksMax should allow: TasksCurrent of the unit and of a running "
                "containerd.service, "
                "twice over, at least 256 more"},
        {"unit.triggered_by", FACT_LIST, "TriggeredBy: the units (sockets, timers) that start this one"},
        {"unit.wants", FACT_LIST,
                "Wants= as the manager has it (implicit ones included; offline only the files')"},
        {"unit.warnings", FACT_LIST,
                "lines of the unit's files that systemd ignores, \"FILE:LINE: message\""},
        {"unit_override.present", FACT_BOOL,
                "the unit runs from a full override written by dockaudit fix (its fragment's header)"},
        {"unit_override.stale", FACT_BOOL,
                "the vendor unit file the override copies has changed (SHA-256) or is gone since"},
        {"unit_override.vendor_path", FACT_STRING, "the vendor unit file dockaudit's override copies"},
};

static int cmp(const void *key, const void *elem)
{
        return strcmp(key, ((const FactDef *) elem)->name);
}

const FactDef *fact_catalog_lookup(const char *name)
{
        return bsearch(name, catalog, ELEMENTSOF(catalog), sizeof catalog[0], cmp);
}

const FactDef *fact_catalog_all(size_t *ret_n)
{
        *ret_n = ELEMENTSOF(catalog);
        return catalog;
}
