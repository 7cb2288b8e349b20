/* SPDX-License-Identifier: MIT */
/* dockerd.version and dockerd.validate_message: what the installed dockerd says about itself,
 * asked without a shell (posix_spawn, argv only) and within a time budget: `dockerd --version`,
 * and on Engine 23+ `dockerd ... --validate`, which loads the configuration exactly as a start
 * would and exits. Offline (--root) nothing from the image is run: the version comes from
 * dpkg's database under the root. */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "basic/deadline.h"
#include "basic/io-util.h"
#include "basic/path-util.h"
#include "basic/root-file.h"
#include "basic/vercmp.h"
#include "collect/collect-dockerd.h"
#include "formats/docker-api.h"
#include "formats/dpkg-status.h"

#define SPAWN_OUTPUT_MAX (64U * 1024U)

/* The budget of one run: timeout_ms, cut to what is left of the collection's deadline. */
static unsigned budget_ms(const CollectOptions *o, unsigned timeout_ms)
{
        uint64_t b;

        return deadline_budget(o->deadline_usec, timeout_ms * 1000ULL, &b) < 0 ? 0
                                                                               : (unsigned) (b / 1000ULL);
}

/* Reads the pipe until its end or the deadline; output beyond SPAWN_OUTPUT_MAX is dropped.
 * 0 at the end of the pipe, -ETIME at the deadline. */
static int drain(int fd, uint64_t deadline, char *buf, size_t *len)
{
        for (;;) {
                char tmp[4096];
                ssize_t k = io_read_until(fd, tmp, sizeof tmp, deadline);

                if (k <= 0)
                        return (int) k;
                if (*len < SPAWN_OUTPUT_MAX) {
                        size_t n =
                                (size_t) k < SPAWN_OUTPUT_MAX - *len ? (size_t) k : SPAWN_OUTPUT_MAX - *len;
                        memcpy(buf + *len, tmp, n);
                        *len += n;
                }
        }
}

/* Waits for child until the deadline; then kills its process group. Returns its wait status,
 * or -ETIME when it had to be killed. */
static int reap(pid_t child, uint64_t deadline)
{
        int status;

        for (;;) {
                pid_t p = waitpid(child, &status, WNOHANG);

                if (p == child)
                        return status;
                if (p < 0 && errno != EINTR)
                        return -errno;
                if (deadline_now_usec() >= deadline) {
                        (void) kill(-child, SIGKILL);
                        while (waitpid(child, &status, 0) < 0 && errno == EINTR)
                                ;
                        return -ETIME;
                }
                (void) usleep(2000);
        }
}

/* Runs argv (argv[0] an absolute path) with posix_spawn in a process group of its own: no
 * shell, stdin /dev/null, stdout and stderr into one pipe (the first SPAWN_OUTPUT_MAX bytes
 * kept). Returns 0 with *ret_status (the exit status; 128+N when killed by signal N) and
 * *ret_output; -ETIME when it did not finish within timeout_ms (then killed, with its group);
 * another negative errno when it could not be started. */
static int spawn_capture(
        char *const *argv, char *const *env, unsigned timeout_ms, int *ret_status, char **ret_output)
{
        _cleanup_free_ char *buf = malloc(SPAWN_OUTPUT_MAX + 1);
        uint64_t deadline = deadline_in(timeout_ms * 1000ULL);
        posix_spawn_file_actions_t fa;
        posix_spawnattr_t attr;
        int p[2], r, status;
        size_t len = 0;
        pid_t child;

        if (!buf)
                return -ENOMEM;
        if (pipe2(p, O_CLOEXEC) < 0)
                return -errno;
        posix_spawn_file_actions_init(&fa);
        posix_spawnattr_init(&attr);
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&fa, p[1], 1);
        posix_spawn_file_actions_adddup2(&fa, p[1], 2);
        posix_spawnattr_setpgroup(&attr, 0);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
        r = -posix_spawn(&child, argv[0], &fa, &attr, argv, env);
        posix_spawn_file_actions_destroy(&fa);
        posix_spawnattr_destroy(&attr);
        close(p[1]);
        if (r < 0) {
                close(p[0]);
                return r;
        }
        r = drain(p[0], deadline, buf, &len);
        close(p[0]);
        status = reap(child, r == -ETIME ? 0 : deadline);
        if (r == -ETIME || status == -ETIME)
                return -ETIME;
        if (status < 0)
                return status;
        buf[len] = 0;
        *ret_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        *ret_output = TAKE_PTR(buf);
        return 0;
}

/* "Docker version 20.10.24+dfsg1, build 5d6db84" -> "20.10.24+dfsg1"; NULL when the output is
 * not that (or on ENOMEM: *oom). */
static char *parse_version_output(const char *out, bool *oom)
{
        const char *s = startswith(out, "Docker version "), *e;
        char *v;

        if (!s)
                return NULL;
        e = s + strcspn(s, ",\n ");
        if (e == s)
                return NULL;
        v = strndup(s, (size_t) (e - s));
        *oom = !v;
        return v;
}

/* The binary the unit runs: an absolute path whose name says dockerd (dockerd, dockerd-current,
 * the old combined "docker"), a regular executable file. NULL otherwise, with *why. */
static const char *dockerd_binary(const char *argv0, const char **why)
{
        const char *b = argv0 ? path_basename(argv0) : NULL;
        struct stat st;

        if (!argv0 || argv0[0] != '/') {
                *why = "dockerd's path in ExecStart= is not absolute";
                return NULL;
        }
        if (!strstr(b, "dockerd") && !streq(b, "docker")) {
                *why = "ExecStart= does not run a program named dockerd";
                return NULL;
        }
        if (stat(argv0, &st) < 0 || !S_ISREG(st.st_mode) || access(argv0, X_OK) < 0) {
                *why = "dockerd's path in ExecStart= is not an executable file";
                return NULL;
        }
        return argv0;
}

static char *const spawn_env[] = {
        (char *) "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", (char *) "LC_ALL=C",
        NULL};

/* `BINARY --version`: 1 with *ret_version, 0 not answered (*ret_why says why), -ENOMEM. */
static int version_from_binary(
        const CollectOptions *o, const char *binary, char **ret_version, char **ret_why)
{
        char *argv[] = {(char *) binary, (char *) "--version", NULL};
        _cleanup_free_ char *out = NULL;
        bool oom = false;
        int r, status;

        r = spawn_capture(argv, spawn_env, budget_ms(o, DOCKERD_EXEC_TIMEOUT_MS), &status, &out);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                *ret_why = strdupf("`%s --version` %s", binary,
                        r == -ETIME ? "did not answer in time" : "could not be run");
                return *ret_why ? 0 : -ENOMEM;
        }
        *ret_version = status == 0 ? parse_version_output(out, &oom) : NULL;
        if (oom)
                return -ENOMEM;
        if (*ret_version)
                return 1;
        *ret_why = strdupf(
                "`%s --version` exited with status %d and printed no \"Docker version\"", binary, status);
        return *ret_why ? 0 : -ENOMEM;
}

/* Whether dpkg's file list of package (under root) names binary: the package's version is then
 * the binary's, unless someone replaced the file (a binary of its own, in /usr/local, is not
 * the package's). No binary known: any installed package counts. */
static bool dpkg_ships(const char *root, const char *package, const char *binary)
{
        _cleanup_free_ char *list = NULL, *data = NULL, *line = NULL;
        size_t size;

        if (!binary)
                return true;
        /* PACKAGE.list: dockerd's packages are not Multi-Arch (no PACKAGE:ARCH.list) */
        if (!(list = strdupf("/var/lib/dpkg/info/%s.list", package)) ||
                root_read_file(root, list, &data, &size) < 0)
                return false;
        if (!(line = strdupf("\n%s\n", binary)))
                return false;
        /* the first line has no newline before it */
        return memmem(data, size, line, strlen(line)) ||
               (size > strlen(binary) && startswith(data, binary) && data[strlen(binary)] == '\n');
}

/* dpkg's database under root: the first installed package that ships binary (any dockerd
 * package when binary is NULL). 1 with *ret_version and *ret_source, 0 none, -ENOMEM. */
static int version_from_dpkg(const char *root, const char *binary, char **ret_version, char **ret_source)
{
        static const char *const packages[] = {
                "docker-ce", "docker-ee", "moby-engine", "docker.io", "docker-engine"};
        _cleanup_free_ char *data = NULL;
        size_t size;
        int r;

        r = root_read_file(root, "/var/lib/dpkg/status", &data, &size);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return 0;
        for (size_t i = 0; i < ELEMENTSOF(packages); i++) {
                r = dpkg_status_version(data, size, packages[i], ret_version);
                if (r > 0 && !dpkg_ships(root, packages[i], binary)) {
                        free(*ret_version);
                        *ret_version = NULL;
                        continue;
                }
                /* Docker's own packages: "19.03.5~3-0~debian" is dockerd 19.03.5. */
                if (r > 0)
                        (*ret_version)[strcspn(*ret_version, "~")] = 0;
                if (r != 0) {
                        if (r > 0 &&
                                !(*ret_source = strdupf("/var/lib/dpkg/status, package %s", packages[i])))
                                return -ENOMEM;
                        return r;
                }
        }
        return 0;
}

/* The running dockerd's ServerVersion, when that process runs the unit's binary as it is on
 * disk now (/proc/PID/exe is the same file, not replaced since the start): then it is the
 * installed version, and nothing needs to be run to learn it. 1 set, 0 not known this way. */
static int version_from_running(Facts *f, const char *host_root, const char *binary)
{
        const Fact *pid = facts_get(f, "unit.main_pid"), *sv = facts_get(f, "docker.server_version");
        _cleanup_free_ char *exe = NULL, *src = NULL, *file = root_path(host_root, binary);
        char target[PATH_MAX];
        struct stat a, b;
        ssize_t n;

        if (!pid || !pid->known || pid->num <= 0 || !sv || !sv->known || sv->type != FACT_VERSION)
                return 0;
        if (!file || !(exe = strdupf("/proc/%lld/exe", pid->num)))
                return -ENOMEM;
        n = readlink(exe, target, sizeof target - 1);
        if (n <= 0)
                return 0;
        target[n] = 0;
        if (endswith(target, " (deleted)") || stat(exe, &a) < 0 || stat(file, &b) < 0 ||
                a.st_dev != b.st_dev || a.st_ino != b.st_ino)
                return 0;
        if (!(src = strdupf("%s (the running dockerd, pid %lld, runs %s as installed)", strempty(sv->source),
                      pid->num, binary)))
                return -ENOMEM;
        return facts_set_version(f, "dockerd.version", sv->str, src) < 0 ? -ENOMEM : 1;
}

/* Cheapest first: the running daemon when it runs the installed binary; dpkg's database when a
 * package ships that binary; else the binary itself (a Go program takes 20-100 ms to start). */
int dockerd_version_fact(Facts *f, const CollectOptions *o, const char *argv0)
{
        _cleanup_free_ char *v = NULL, *why = NULL, *src = NULL;
        const char *binary = NULL, *bwhy = "offline (--root): nothing of the image is run";
        const char *api;
        int r;

        if (o->files_root && !o->root) {
                /* container mode: nothing of the host is run, but the host's running dockerd
                 * (the host's pid namespace) can be compared with the binary under the root */
                bwhy = "container mode (--host-root): the host's dockerd is not run";
                if (argv0 && argv0[0] == '/' && (r = version_from_running(f, o->files_root, argv0)) != 0)
                        return r < 0 ? r : 0;
        } else if (!o->root && argv0 && (binary = dockerd_binary(argv0, &bwhy)) &&
                   (r = version_from_running(f, NULL, binary)) != 0)
                return r < 0 ? r : 0;
        if ((r = version_from_dpkg(
                     collect_files_root(o), collect_files_root(o) ? argv0 : binary, &v, &src)) < 0)
                return r;
        if (r > 0)
                return facts_set_version(f, "dockerd.version", v, src);
        if (binary) {
                r = version_from_binary(o, binary, &v, &why);
                if (r < 0)
                        return r;
                if (r > 0) {
                        src = strdupf("`%s --version`", binary);
                        return src ? facts_set_version(f, "dockerd.version", v, src) : -ENOMEM;
                }
        }
        /* The running daemon: the installed binary may be newer (upgraded, not restarted). */
        if ((api = facts_get_string(f, "docker.server_version"))) {
                const Fact *sv = facts_get(f, "docker.server_version");
                return facts_set_version(f, "dockerd.version", api, sv->source);
        }
        return facts_set_unknown(f, "dockerd.version",
                "%s; no docker-ce, moby-engine or docker.io in dpkg's database; the Docker API did not "
                "answer",
                why     ? why
                : argv0 ? bwhy
                        : "the command that runs dockerd is unknown");
}

/* dockerd 23+ prints its configuration error as "unable to configure the Docker daemon with file
 * PATH: the following directives don't match any configuration option: a, b" (moby v23.0.0
 * cmd/dockerd/daemon.go, daemon/config/config.go). The keys, or NULL when the message is another. */
static int validate_unknown_keys(const char *msg, char ***ret)
{
        static const char marker[] = "the following directives don't match any configuration option: ";
        const char *p = strstr(msg, marker);
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));

        if (!l)
                return -ENOMEM;
        if (p)
                for (p += strlen(marker); *p;) {
                        size_t n = strcspn(p, ",\n");
                        _cleanup_free_ char *k = strndup(p, n);

                        if (!k)
                                return -ENOMEM;
                        if (*strstrip(k) && strv_extend(&l, strstrip(k)) < 0)
                                return -ENOMEM;
                        p += n;
                        if (*p != ',')
                                break;
                        p++;
                }
        *ret = TAKE_PTR(l);
        return 0;
}

/* The last non-empty line of out, trimmed (dockerd logs warnings before its error). */
static char *last_line(char *out)
{
        char *line = NULL, *save = NULL;

        for (char *s = strtok_r(out, "\n", &save); s; s = strtok_r(NULL, "\n", &save))
                if (*strstrip(s))
                        line = strstrip(s);
        return strdup(line ? line : "");
}

/* dockerd's verdict replaces ours on the file (its path and keys stay): "configuration OK" makes it
 * valid with no unknown key; an error names the unknown keys, or is the file's error. A flag
 * given twice is option-set-twice's (dockerd.conflicting_options), not the file's. */
static int validate_verdict(Facts *f, const char *msg, const char *src)
{
        const Fact *present = facts_get(f, "daemon_json.present");
        _cleanup_strv_free_ char **keys = NULL;
        int r;

        if (!present || !present->known || !present->b)
                return 0;
        if (strstr(msg, "specified both as a flag and in the configuration file"))
                return 0;
        if ((r = validate_unknown_keys(msg, &keys)) < 0 ||
                (r = facts_set_list(f, "daemon_json.unknown_keys", keys, src)) < 0 ||
                (r = facts_set_bool(f, "daemon_json.valid", !*msg, src)) < 0)
                return r;
        return facts_set_string(f, "daemon_json.error", msg, src);
}

int dockerd_validate_facts(Facts *f, const CollectOptions *o, char *const *argv)
{
        const char *version = facts_get_string(f, "dockerd.version");
        const Fact *vf = facts_get(f, "dockerd.version");
        _cleanup_strv_free_ char **args = NULL;
        _cleanup_free_ char *out = NULL, *msg = NULL, *src = NULL;
        const char *why = NULL;
        int r, status;

        if (o->root)
                return facts_set_unknown(
                        f, "dockerd.validate_message", "offline (--root): nothing of the image is run");
        /* dockerd.version is the installed binary's (dockerd_version_fact()); the API's
         * ServerVersion alone is not: an upgraded binary may not run yet. */
        if (!version || !vf->source ||
                (startswith(vf->source, "docker-api:") && !strstr(vf->source, "as installed")) ||
                rpmvercmp(version, "23.0") < 0)
                return facts_set_unknown(f, "dockerd.validate_message",
                        "dockerd --validate exists from Engine 23.0 on; the installed dockerd is %s",
                        version ? version : "of an unknown version");
        if (o->files_root)
                return facts_set_unknown(f, "dockerd.validate_message",
                        "container mode (--host-root): the host's dockerd is not run");
        if (!argv || !argv[0] || !dockerd_binary(argv[0], &why))
                return facts_set_unknown(
                        f, "dockerd.validate_message", "%s", why ? why : "no dockerd command");
        if (!(args = strv_copy(argv)) || strv_extend(&args, "--validate") < 0)
                return -ENOMEM;
        r = spawn_capture(args, spawn_env, budget_ms(o, DOCKERD_EXEC_TIMEOUT_MS), &status, &out);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return facts_set_unknown(f, "dockerd.validate_message", "`%s --validate` %s", argv[0],
                        r == -ETIME ? "did not answer in time" : "could not be run");
        if (!(msg = last_line(out)) ||
                !(src = strdupf("`%s ... --validate` (exit status %d)", argv[0], status)))
                return -ENOMEM;
        if (status == 0 && streq(msg, "configuration OK"))
                msg[0] = 0;
        else if (status == 0)
                return facts_set_unknown(f, "dockerd.validate_message",
                        "`%s --validate` exited 0 without \"configuration OK\": %s", argv[0], msg);
        if ((r = facts_set_string(f, "dockerd.validate_message", msg, src)) < 0)
                return r;
        return validate_verdict(f, msg, src);
}
