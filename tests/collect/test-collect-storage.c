/* SPDX-License-Identifier: MIT */
/* The read-only storage probe and the storage facts (src/collect/collect-storage.c): d_type
 * and filesystem type of real directories (the build's /tmp, tmpfs /dev/shm), the nearest
 * existing directory, an empty root, symlinks inside --root; dockerd's data root, storage
 * driver and cgroup driver from flags, daemon.json and defaults (set by collect-dockerd-config.c,
 * used here). Filesystems without d_type need a loop mount: tests/integration/test-storage.sh. */
#include <check.h>
#include <sys/statfs.h>

#include "check-run.h"
#include "test-util.h"

#include "basic/fileio.h"
#include "collect/collect-dockerd.h"

static const Fact *get(const Facts *f, const char *name)
{
        const Fact *x = facts_get(f, name);

        ck_assert_msg(x, "%s not set", name);
        return x;
}

static const char *fs_name(const char *path)
{
        struct statfs s;

        ck_assert_int_eq(statfs(path, &s), 0);
        return storage_fs_name((unsigned long) s.f_type);
}

START_TEST(test_probe_dirs)
{
        char dir[64];
        _cleanup_free_ char *missing = NULL, *empty = NULL;
        StorageProbe p = {};

        tmpdir_make(dir, sizeof dir, "storage");
        put(dir, "docker/overlay2/l/ABC", "x");
        ck_assert_int_eq(storage_probe(NULL, dir, &p), 0);
        ck_assert_int_eq(p.d_type, 1);
        ck_assert_str_eq(p.dir, dir);
        ck_assert_str_eq(p.fs_type, fs_name(dir));
        storage_probe_done(&p);

        /* Not there yet (dockerd creates it): the nearest existing directory. */
        missing = path_in(dir, "docker/volumes/new");
        ck_assert_int_eq(storage_probe(NULL, missing, &p), 0);
        ck_assert_int_eq(p.d_type, 1);
        ck_assert_msg(endswith(p.dir, "/docker"), "%s", p.dir);
        storage_probe_done(&p);

        /* Empty: its parent on the same filesystem holds its entry. */
        empty = path_in(dir, "empty");
        ck_assert_int_eq(mkdir(empty, 0755), 0);
        ck_assert_int_eq(storage_probe(NULL, empty, &p), 0);
        ck_assert_int_eq(p.d_type, 1);
        ck_assert_str_eq(p.dir, dir);
        storage_probe_done(&p);

        /* An empty root: nothing above "/" to read. */
        ck_assert_int_eq(storage_probe(empty, "/var/lib/docker", &p), 0);
        ck_assert_int_eq(p.d_type, -1);
        ck_assert_str_eq(p.dir, "/");
        ck_assert_msg(strstr(p.reason, "no directory entry"), "%s", p.reason);
        storage_probe_done(&p);
        ck_assert_int_eq(rm_rf(dir), 0);
}
END_TEST

START_TEST(test_probe_tmpfs_and_root)
{
        char dir[64];
        StorageProbe p = {};

        /* tmpfs has d_type. */
        if (access("/dev/shm", W_OK) == 0 && streq(strempty(fs_name("/dev/shm")), "tmpfs")) {
                char shm[] = "/dev/shm/check-storage-XXXXXX";
                _cleanup_free_ char *f = NULL;

                ck_assert_ptr_nonnull(mkdtemp(shm));
                f = path_in(shm, "file");
                write_text(f, "x");
                ck_assert_int_eq(storage_probe(NULL, shm, &p), 0);
                ck_assert_str_eq(p.fs_type, "tmpfs");
                ck_assert_int_eq(p.d_type, 1);
                storage_probe_done(&p);
                ck_assert_int_eq(rm_rf(shm), 0);
        }

        /* Inside --root an absolute link resolves in the root: /var/lib/docker -> /data/docker. */
        tmpdir_make(dir, sizeof dir, "storage-root");
        put(dir, "data/docker/image/overlay2/repositories.json", "{}");
        put_link(dir, "/data/docker", "var/lib/docker");
        ck_assert_int_eq(storage_probe(dir, "/var/lib/docker", &p), 0);
        ck_assert_int_eq(p.d_type, 1);
        ck_assert_str_eq(p.dir, "/var/lib/docker");
        storage_probe_done(&p);
        /* A link out of the root stays inside it: /srv/x -> /../../etc is the root's /etc. */
        put_link(dir, "/../../../etc", "srv/x");
        ck_assert_int_eq(storage_probe(dir, "/srv/x/docker", &p), 0);
        ck_assert_str_eq(p.dir, "/srv");
        storage_probe_done(&p);
        ck_assert_int_eq(rm_rf(dir), 0);
}
END_TEST

/* dockerd.argv (from docker.service:14) and daemon.json in a scratch root, their dockerd.* facts
 * as collect-dockerd.c sets them (dockerd_config_facts(), dockerd_storage_facts()), then
 * collect_storage(). */
static void collect(const char *root, char **argv, const char *daemon_json, Facts *f)
{
        static const char *const unit = "/lib/systemd/system/docker.service",
                                 *const src = "/lib/systemd/system/docker.service:14";
        CollectOptions o = {.unit = "docker.service", .root = root};
        _cleanup_(expanded_argv_done) ExpandedArgv a = {};
        _cleanup_(dockerd_options_done) DockerdOptions opts = {};
        _cleanup_(daemon_json_done) DaemonJson dj = {};
        size_t n = strv_length(argv);

        *f = (Facts){};
        ck_assert_int_eq(facts_set_string(f, "daemon_json.path", "/etc/docker/daemon.json", "default"), 0);
        if (daemon_json) {
                put(root, "/etc/docker/daemon.json", daemon_json);
                ck_assert_int_eq(facts_set_bool(f, "daemon_json.valid", true, "/etc/docker/daemon.json"), 0);
                ck_assert_int_eq(daemon_json_parse("/etc/docker/daemon.json", daemon_json,
                                         strlen(daemon_json), &dj, NULL),
                        0);
        } else
                ck_assert_int_eq(facts_set_unknown(f, "daemon_json.valid", "does not exist"), 0);
        if (argv) {
                ck_assert_int_eq(facts_set_list(f, "dockerd.argv", argv, src), 0);
                ck_assert_ptr_nonnull(a.v = calloc(n + 1, sizeof *a.v));
                for (; a.n < n; a.n++)
                        a.v[a.n] =
                                (ExpandedWord){.text = strdup(argv[a.n]), .file = strdup(unit), .line = 14};
                ck_assert_int_eq(dockerd_options_parse(&a, &opts), 0);
                ck_assert_int_eq(dockerd_config_facts(f, &opts, daemon_json ? &dj : NULL,
                                         daemon_json ? DJ_LOADED : DJ_ABSENT, "/etc/docker/daemon.json"),
                        0);
                ck_assert_int_eq(
                        dockerd_storage_facts(f, &o, &opts, src, daemon_json ? &dj : NULL, NULL), 0);
        } else {
                ck_assert_int_eq(collect_dockerd_unknown(f, "docker.service not found"), 0);
                ck_assert_int_eq(dockerd_storage_facts(f, &o, NULL, NULL, daemon_json ? &dj : NULL,
                                         "docker.service not found"),
                        0);
        }
        ck_assert_int_eq(facts_set_unknown(f, "docker.cgroup_driver", "offline"), 0);
        ck_assert_int_eq(collect_storage(f, &o), 0);
}

START_TEST(test_facts_from_config)
{
        char dir[64];
        char *plain[] = {(char *) "/usr/bin/dockerd", (char *) "-H", (char *) "fd://", NULL};
        char *flags[] = {(char *) "/usr/bin/dockerd", (char *) "--data-root=/srv/docker", (char *) "-s",
                (char *) "overlay2", (char *) "--exec-opt", (char *) "native.cgroupdriver=systemd", NULL};
        char *graph[] = {
                (char *) "/usr/bin/docker", (char *) "daemon", (char *) "-g", (char *) "/data/docker", NULL};
        _cleanup_facts_ Facts f = {};
        const Fact *x;

        tmpdir_make(dir, sizeof dir, "storage-facts");
        put(dir, "/var/lib/docker/overlay2/l/X", "");
        put(dir, "/srv/docker/containers/x", "");

        /* Defaults. */
        collect(dir, plain, NULL, &f);
        x = get(&f, "dockerd.data_root");
        ck_assert(x->known && streq(x->str, "/var/lib/docker"));
        ck_assert_msg(startswith(x->source, "dockerd default"), "%s", x->source);
        x = get(&f, "dockerd.storage_driver");
        ck_assert(x->known && streq(x->str, ""));
        x = get(&f, "storage.d_type");
        ck_assert_msg(x->known && x->b, "%s", strempty(x->reason));
        x = get(&f, "storage.fs_type");
        ck_assert(x->known && streq(x->str, fs_name(dir)));
        ck_assert_msg(
                strstr(x->source, "/var/lib/docker") && startswith(x->source, "statfs "), "%s", x->source);
        /* Offline without native.cgroupdriver: the default depends on the host that boots it. */
        ck_assert(!get(&f, "docker.cgroup_driver_effective")->known);
        facts_done(&f);

        /* daemon.json. */
        collect(dir, plain,
                "{\n  \"data-root\": \"/srv/docker\",\n  \"storage-driver\": \"overlay2\",\n"
                "  \"exec-opts\": [\"foo=bar\", \" Native.CgroupDriver = systemd\", "
                "\"native.cgroupdriver=cgroupfs\"]\n}\n",
                &f);
        x = get(&f, "dockerd.data_root");
        ck_assert(x->known && streq(x->str, "/srv/docker") && streq(x->source, "/etc/docker/daemon.json:2"));
        x = get(&f, "dockerd.storage_driver");
        ck_assert(x->known && streq(x->str, "overlay2") && streq(x->source, "/etc/docker/daemon.json:3"));
        x = get(&f, "docker.cgroup_driver_effective");
        ck_assert_msg(x->known && streq(x->str, "systemd") && streq(x->source, "/etc/docker/daemon.json:4"),
                "%s", strempty(x->reason));
        facts_done(&f);

        /* Flags win over daemon.json (both make dockerd refuse: option-set-twice's business). */
        collect(dir, flags, "{\"data-root\": \"/other\", \"exec-opts\": [\"native.cgroupdriver=cgroupfs\"]}",
                &f);
        x = get(&f, "dockerd.data_root");
        ck_assert(x->known && streq(x->str, "/srv/docker") &&
                  streq(x->source, "/lib/systemd/system/docker.service:14"));
        x = get(&f, "docker.cgroup_driver_effective");
        ck_assert(x->known && streq(x->str, "systemd"));
        facts_done(&f);

        /* docker 1.x: -g. */
        collect(dir, graph, NULL, &f);
        x = get(&f, "dockerd.data_root");
        ck_assert(x->known && streq(x->str, "/data/docker"));
        facts_done(&f);

        /* No command line: only daemon.json could tell, a default would be a guess. */
        collect(dir, NULL, NULL, &f);
        ck_assert(!get(&f, "dockerd.data_root")->known);
        ck_assert(!get(&f, "dockerd.storage_driver")->known);
        ck_assert(!get(&f, "storage.d_type")->known);
        ck_assert(!get(&f, "docker.cgroup_driver_effective")->known);
        facts_done(&f);

        /* The daemon's own DockerRootDir and CgroupDriver win. */
        collect(dir, plain, NULL, &f);
        ck_assert_int_eq(facts_set_string(&f, "docker.root_dir", "/srv/docker",
                                 "docker-api:/v1.41/info DockerRootDir"),
                0);
        ck_assert_int_eq(facts_set_string(&f, "docker.cgroup_driver", "cgroupfs",
                                 "docker-api:/v1.41/info CgroupDriver"),
                0);
        {
                CollectOptions o = {.unit = "docker.service", .root = dir};
                ck_assert_int_eq(collect_storage(&f, &o), 0);
        }
        x = get(&f, "storage.d_type");
        ck_assert_msg(x->known && strstr(x->source, "/srv/docker"), "%s", x->source);
        x = get(&f, "docker.cgroup_driver_effective");
        ck_assert(x->known && streq(x->str, "cgroupfs") &&
                  streq(x->source, "docker-api:/v1.41/info CgroupDriver"));
        ck_assert_int_eq(rm_rf(dir), 0);
}
END_TEST

START_TEST(test_cgroup_default_on_host)
{
        char *plain[] = {(char *) "/usr/bin/dockerd", NULL};
        CollectOptions o = {.unit = "docker.service"};
        _cleanup_facts_ Facts f = {};
        struct statfs s;
        struct stat st;
        const Fact *x;
        const char *expect;

        ck_assert_int_eq(facts_set_list(&f, "dockerd.argv", plain, "test"), 0);
        ck_assert_int_eq(facts_set_string(&f, "dockerd.cgroup_driver", "", "test"), 0);
        ck_assert_int_eq(facts_set_unknown(&f, "docker.cgroup_driver", "no daemon"), 0);
        ck_assert_int_eq(collect_storage(&f, &o), 0);
        ck_assert_int_eq(statfs("/sys/fs/cgroup", &s), 0);
        expect = s.f_type == 0x63677270 && stat("/run/systemd/system", &st) == 0 ? "systemd" : "cgroupfs";
        x = get(&f, "docker.cgroup_driver_effective");
        ck_assert_msg(x->known && streq(x->str, expect), "%s", strempty(x->str));
        ck_assert_msg(startswith(x->source, "dockerd default"), "%s", x->source);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("collect-storage");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_probe_dirs);
        tcase_add_test(tc, test_probe_tmpfs_and_root);
        tcase_add_test(tc, test_facts_from_config);
        tcase_add_test(tc, test_cgroup_default_on_host);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
