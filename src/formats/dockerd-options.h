/* SPDX-License-Identifier: MIT */
/* dockerd's command line, parsed as dockerd's flag parser (spf13/pflag) does, and the
 * check dockerd makes before it starts: an option given both as a flag and in daemon.json
 * (daemon/config findConfigurationConflicts()) makes it refuse to start.
 *
 * The flag table is the union of dockerd's flags in moby v1.13.1 (cmd/dockerd, daemon/config*.go,
 * cli/flags/common.go, registry/config.go), v17.03.2-ce, v17.06.2-ce, v18.09.9, v20.10.24,
 * v23.0.0, v25.0.0, v27.0.1 and master b985e2313a (daemon/command/), plus the RHEL/CentOS
 * projectatomic docker-1.13.1 ("dockerd-current") additions. A flag removed upstream keeps its
 * last meaning (--graph/-g, --cluster-store, --disable-legacy-registry ...). */
#pragma once

#include "formats/daemon-json.h"
#include "systemd/execwords.h"

typedef struct DockerdFlagDef {
        const char *name; /* long name: "live-restore" */
        char shorthand; /* 'H', or 0 */
        bool takes_value; /* false: a boolean (--flag, --flag=true|false) */
        const char *json_key; /* the daemon.json key it corresponds to: "hosts" for --host */
        bool named; /* a pflag NamedOption: conflicts are found by json_key, not by name */
} DockerdFlagDef;

/* By long name ("host"), NULL when dockerd has no such flag. */
const DockerdFlagDef *dockerd_flag_lookup(const char *name);
const DockerdFlagDef *dockerd_flag_lookup_short(char c);
/* The flag whose daemon.json key is json_key ("hosts" -> --host), NULL when none. */
const DockerdFlagDef *dockerd_flag_by_json_key(const char *json_key);

typedef struct DockerdOption {
        char *name; /* long name ("host" for -H); for an unknown flag, as written */
        const char *json_key; /* table's json key; the name for unknown flags */
        const DockerdFlagDef *def; /* NULL: dockerd does not know the flag (it refuses to start) */
        char *value; /* as given; booleans without "=value" get "true" like pflag */
        char *file; /* origin of the flag's word (ExpandedWord.file/line) */
        unsigned line;
} DockerdOption;

typedef struct DockerdOptions {
        DockerdOption *v; /* in command-line order */
        size_t n;
        char **args; /* positional words (dockerd accepts none), never NULL after parse */
        char **errors; /* what makes dockerd refuse the command line ("FILE:LINE: unknown flag: --foo"),
                        * never NULL after parse */
} DockerdOptions;

void dockerd_options_done(DockerdOptions *o);

/* Parses argv[1..] like pflag: "--flag=value", "--flag value", "-H value", "-Hvalue", "-H=value",
 * grouped short booleans ("-Dv"), "--" ends the flags, "-" is positional; a boolean never takes
 * the next word. argv[0] "docker" (the old combined binary) also skips a "daemon" subcommand
 * (docker 1.8-1.12) or a "-d"/"--daemon" (before 1.8); for "dockerd" and "dockerd-current" there
 * is no subcommand. Returns -ENOMEM only: problems go to ->errors. */
int dockerd_options_parse(const ExpandedArgv *argv, DockerdOptions *ret);

/* The option for a daemon.json key (last wins, as pflag's last assignment does for scalars). */
const DockerdOption *dockerd_options_find(const DockerdOptions *o, const char *json_key);

/* strconv.ParseBool: 1 t T TRUE true True / 0 f F FALSE false False; -EINVAL otherwise. */
int dockerd_option_bool(const DockerdOption *opt, bool *ret);

/* getCD() of moby v20.10.24 (daemon/daemon_unix.go, the same on master) on one exec-opt
 * ("native.cgroupdriver=systemd"): the key compared case ignored, key and value trimmed
 * (parsers.ParseKeyValueOpt; an opt without "=" fails it and getCD() skips it). 1 with the
 * driver in *ret, 0 when opt sets no cgroup driver, or -ENOMEM. */
int dockerd_exec_opt_cgroup_driver(const char *opt, char **ret);

/* --config-file's value (last one), or NULL. */
const char *dockerd_options_config_file(const DockerdOptions *o);

/* findConfigurationConflicts() of moby master: config is daemon.json's top-level object. Nested
 * objects other than the "flat" ones (log-opts, runtimes, default-ulimits, ...) are flattened
 * one level first, as configValuesSet() does. ret_unknown gets keys that match no flag or
 * named option (dockerd: "the following directives don't match any configuration option"),
 * in file order; ret_conflicts gets the keys given both ways (dockerd: "the following
 * directives are specified both as a flag and in the configuration file"), in pflag's visit
 * order (sorted by flag name); "runtimes" is exempt (merged). Either may be NULL. */
int dockerd_options_conflicts(
        const DockerdOptions *o, const json_t *config, char ***ret_conflicts, char ***ret_unknown);

/* Judges daemon.json as dockerd 20.10 does before it starts (moby v20.10.24:
 * daemon/config/config.go getConflictFreeConfiguration(), findConfigurationConflicts(),
 * Validate(); cmd/dockerd/daemon.go configureDaemonLogs()): an empty file ("EOF") or a byte
 * order mark (both accepted from Engine 23 on, refused here: {} works everywhere); a key that
 * matches no option of dockerd version (see dockerd_config_unknown_keys()); a value of the wrong
 * JSON type for its option (null is always accepted except for default-shm-size; the types are
 * 20.10's, keys of later versions are not typed); "graph" with "data-root"; and the values
 * Validate() and the log setup refuse (dns, labels, max-concurrent-*, max-download-attempts,
 * runtimes, default-runtime, default-ipc-mode, default-cgroupns-mode, log-level). Flags given
 * both on the command line and in the file are dockerd_options_conflicts()' business. Returns
 * 0, or -EINVAL with the first problem found in *ret_error: "PATH:LINE: message". */
int dockerd_config_check(const DaemonJson *d, const char *version, char **ret_error);

/* The keys of d dockerd of version does not know, in file order, each once: after nested
 * objects are flattened as configValuesSet() does, a key that is neither a flag's long name, a
 * named option's name nor a skipValidateOptions key of that version, exactly and case included.
 * version NULL (unknown): the keys no version from 1.13 to master knows. The one definition of
 * "a key dockerd knows" (dockerd_config_check() and dockerd_options_conflicts() use it).
 * 0 or -ENOMEM. */
int dockerd_config_unknown_keys(const DaemonJson *d, const char *version, char ***ret);
