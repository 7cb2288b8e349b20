/* SPDX-License-Identifier: MIT */
/* What `dockaudit fix` writes: drop-in, sysctl.d file, daemon.json edits, backups. */
#include <check.h>

#include "check-run.h"
#include "test-util.h"
#include <dirent.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "basic/atomic-write.h"
#include "fix/fix-files.h"
#include "systemd/unitfile.h"

#define HDR(v, ids)                                                                                    \
        "# Written by dockaudit " v " for rules: " ids "\n# Do not edit: dockaudit fix rewrites this " \
        "file.\n"

static char *const ids_a[] = {(char *) "mountflags-slave-with-live-restore", NULL};
static char *const ids_b[] = {(char *) "may-detach-mounts", NULL};

START_TEST(test_dropin_new)
{
        DropinSetting s[] = {{(char *) "Service", (char *) "MountFlags", (char *) "shared"}};
        _cleanup_free_ char *t = NULL, *err = NULL;
        _cleanup_unit_file_ UnitFile *u = NULL;

        ck_assert_int_eq(dropin_render(NULL, s, 1, "0.1", ids_a, &t, &err), 0);
        ck_assert_str_eq(
                t, HDR("0.1", "mountflags-slave-with-live-restore") "\n[Service]\nMountFlags=shared\n");
        /* systemd's syntax reads back exactly what we meant */
        ck_assert_int_eq(unit_file_parse("x", t, strlen(t), &u), 0);
        ck_assert_int_eq(u->fatal, 0);
        ck_assert_uint_eq(u->n_assignments, 1);
        ck_assert_str_eq(u->assignments[0].section, "Service");
        ck_assert_str_eq(u->assignments[0].key, "MountFlags");
        ck_assert_str_eq(u->assignments[0].value, "shared");
}
END_TEST

/* Found by fuzz-fix-files: systemd strips the first BOM it meets, on any line. A key that
 * starts with a second BOM does nothing in the old file; kept and moved up it would become
 * "MountFlags=shared" after our MountFlags=slave. Such keys are dropped. */
START_TEST(test_dropin_bom_key_dropped)
{
        DropinSetting s[] = {{(char *) "Service", (char *) "MountFlags", (char *) "slave"}};
        const char *old = "[Service]\n\xef\xbb\xbf"
                          "A=1\n\xef\xbb\xbfMountFlags=shared\n";
        _cleanup_free_ char *t = NULL, *t2 = NULL, *err = NULL;
        _cleanup_unit_file_ UnitFile *u = NULL;

        ck_assert_int_eq(dropin_render(old, s, 1, "0.1", ids_a, &t, &err), 0);
        ck_assert_ptr_null(strstr(t, "\xef\xbb\xbf"));
        ck_assert_int_eq(unit_file_parse("x", t, strlen(t), &u), 0);
        for (size_t i = 0; i < u->n_assignments; i++)
                if (streq(u->assignments[i].key, "MountFlags"))
                        ck_assert_str_eq(u->assignments[i].value, "slave");
        /* a second run changes nothing */
        ck_assert_int_eq(dropin_render(t, s, 1, "0.1", ids_a, &t2, &err), 0);
        ck_assert_str_eq(t, t2);
}
END_TEST

START_TEST(test_dropin_idempotent_and_merge)
{
        DropinSetting s1[] = {{(char *) "Service", (char *) "MountFlags", (char *) "shared"}};
        DropinSetting s2[] = {{(char *) "Unit", (char *) "After", (char *) "containerd.service"},
                {(char *) "Service", (char *) "Environment", (char *) "A=1"}};
        DropinSetting s3[] = {{(char *) "Service", (char *) "MountFlags", (char *) "private"}};
        _cleanup_free_ char *t1 = NULL, *t1b = NULL, *t2 = NULL, *t3 = NULL, *t4 = NULL, *err = NULL;

        ck_assert_int_eq(dropin_render(NULL, s1, 1, "0.1", ids_a, &t1, &err), 0);
        /* Same plan again: byte-identical, even from a newer dockaudit (no rewrite). */
        ck_assert_int_eq(dropin_render(t1, s1, 1, "0.2", ids_a, &t1b, &err), 0);
        ck_assert_str_eq(t1b, t1);

        /* Another rule later: the first setting stays, sections Unit first, keys sorted. */
        ck_assert_int_eq(dropin_render(t1, s2, 2, "0.2", ids_b, &t2, &err), 0);
        ck_assert_str_eq(t2,
                HDR("0.2",
                        "mountflags-slave-with-live-restore, may-detach-mounts") "\n[Unit]\nAfter="
                                                                                 "containerd.service\n"
                                                                                 "\n[Service]\nEnvironment="
                                                                                 "A=1\nMountFlags=shared\n");

        /* Same section+key: the new value replaces the old one. */
        ck_assert_int_eq(dropin_render(t2, s3, 1, "0.2", ids_a, &t3, &err), 0);
        ck_assert_str_eq(t3,
                HDR("0.2",
                        "mountflags-slave-with-live-restore, may-detach-mounts") "\n[Unit]\nAfter="
                                                                                 "containerd.service\n"
                                                                                 "\n[Service]\nEnvironment="
                                                                                 "A=1\nMountFlags="
                                                                                 "private\n");
        ck_assert_int_eq(dropin_render(t3, s3, 1, "0.3", ids_b, &t4, &err), 0);
        ck_assert_str_eq(t4, t3);
}
END_TEST

START_TEST(test_dropin_list_reset)
{
        /* Several entries with one key stay in plan order and replace all old ones. */
        DropinSetting s[] = {{(char *) "Service", (char *) "ExecStart", (char *) ""},
                {(char *) "Service", (char *) "ExecStart", (char *) "/usr/bin/dockerd -H fd://"}};
        const char *old =
                HDR("0.1", "x") "\n[Service]\nExecStart=\nExecStart=/usr/bin/dockerd --live-restore\n"
                                "LimitNOFILE=1048576\n";
        _cleanup_free_ char *t = NULL, *err = NULL;

        ck_assert_int_eq(dropin_render(old, s, 2, "0.1", ids_a, &t, &err), 0);
        ck_assert_str_eq(t,
                HDR("0.1", "x, mountflags-slave-with-live-restore") "\n[Service]\nExecStart=\nExecStart=/"
                                                                    "usr/bin/dockerd -H fd://\n"
                                                                    "LimitNOFILE=1048576\n");
}
END_TEST

START_TEST(test_dropin_rejects)
{
        _cleanup_free_ char *t = NULL, *err = NULL;
        struct {
                const char *section, *key, *value, *msg;
        } bad[] = {
                {"Service", "MountFlags", "", "empty value"},
                {"Service", "MountFlags", "rshared", "must be shared, slave or private"},
                {"Service", "Environment", "A=1\nB=2", "control characters"},
                {"Service", "Environment", " A=1", "whitespace"},
                {"Service", "Environment", "A=1 ", "whitespace"},
                {"Service", "Environment", "A=1\\", "backslash"},
                {"Service", "Environment", "A=%h", "specifier"},
                {"Service", "Environment", "A=\xff", "invalid UTF-8"},
                {"Service", "Mount Flags", "shared", "invalid setting name"},
                {"Service", "", "shared", "invalid setting name"},
                {"Serv]ice", "MountFlags", "shared", "invalid section name"},
        };

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                DropinSetting s = {(char *) bad[i].section, (char *) bad[i].key, (char *) bad[i].value};
                ck_assert_int_eq(dropin_render(NULL, &s, 1, "0.1", ids_a, &t, &err), -EINVAL);
                ck_assert_msg(strstr(err, bad[i].msg), "case %zu: %s", i, err);
                ck_assert_ptr_null(t);
        }
        DropinSetting ok = {(char *) "Service", (char *) "MountFlags", (char *) "slave"};
        char *const bad_ids[] = {(char *) "a, b", NULL};
        ck_assert_int_eq(dropin_render(NULL, &ok, 1, "0.1", bad_ids, &t, &err), -EINVAL);
        ck_assert_int_eq(dropin_render(NULL, &ok, 1, "0.1\n", ids_a, &t, &err), -EINVAL);
        /* A broken old file is reported with its line, not silently dropped. */
        ck_assert_int_eq(dropin_render("[Service]\n[Bad\n", &ok, 1, "0.1", ids_a, &t, &err), -EINVAL);
        ck_assert_ptr_nonnull(strstr(err, "50-dockaudit.conf:2:"));
        ck_assert_ptr_null(t);
}
END_TEST

START_TEST(test_sysctl)
{
        DropinSetting s1[] = {{NULL, (char *) "fs.may_detach_mounts", (char *) "1"}};
        DropinSetting s2[] = {{NULL, (char *) "fs.inotify.max_user_watches", (char *) "524288"},
                {NULL, (char *) "fs.may_detach_mounts", (char *) "0"}};
        _cleanup_free_ char *t1 = NULL, *t1b = NULL, *t2 = NULL, *t3 = NULL, *err = NULL;

        ck_assert_int_eq(sysctl_render(NULL, s1, 1, "0.1", ids_b, &t1, &err), 0);
        ck_assert_str_eq(t1, HDR("0.1", "may-detach-mounts") "\nfs.may_detach_mounts = 1\n");
        ck_assert_int_eq(sysctl_render(t1, s1, 1, "0.9", ids_b, &t1b, &err), 0);
        ck_assert_str_eq(t1b, t1);
        ck_assert_int_eq(sysctl_render(t1, s2, 2, "0.2", ids_a, &t2, &err), 0);
        ck_assert_str_eq(t2,
                HDR("0.2", "may-detach-mounts, mountflags-slave-with-live-restore") "\nfs.inotify.max_user_"
                                                                                    "watches = "
                                                                                    "524288\nfs.may_detach_"
                                                                                    "mounts = 0\n");
        /* Old file kept on merge, its spacing does not matter. */
        ck_assert_int_eq(sysctl_render("# hand\nvm.swappiness=10\n", s1, 1, "0.1", NULL, &t3, &err), 0);
        ck_assert_str_eq(t3, HDR("0.1", "") "\nfs.may_detach_mounts = 1\nvm.swappiness = 10\n");

        _cleanup_free_ char *t4 = NULL;
        ck_assert_int_eq(sysctl_render("junk line\n", s1, 1, "0.1", ids_a, &t4, &err), -EINVAL);
        ck_assert_str_eq(err, "50-dockaudit.conf:1: line is not \"key = value\"");
        DropinSetting bad[] = {{NULL, (char *) "fs/may_detach_mounts", (char *) "1"}};
        ck_assert_int_eq(sysctl_render(NULL, bad, 1, "0.1", ids_a, &t4, &err), -EINVAL);
        DropinSetting empty[] = {{NULL, (char *) "fs.may_detach_mounts", (char *) ""}};
        ck_assert_int_eq(sysctl_render(NULL, empty, 1, "0.1", ids_a, &t4, &err), -EINVAL);
        DropinSetting twice[] = {s1[0], s1[0]};
        ck_assert_int_eq(sysctl_render(NULL, twice, 2, "0.1", ids_a, &t4, &err), -EINVAL);
        ck_assert_ptr_null(t4);
}
END_TEST

START_TEST(test_json_real_file)
{
        _cleanup_free_ char *old = NULL, *t = NULL, *t2 = NULL, *err = NULL;
        JsonEdit e = {(char *) "live-restore", (char *) "false"};

        ck_assert_int_eq(read_full_file(FIXTURES "/daemon-json/amazon-eks-ami-dedf096-docker-daemon.json",
                                 &old, NULL),
                0);
        ck_assert_int_eq(daemon_json_edit("daemon.json", old, &e, 1, &t, &err), 0);
        /* Same layout, other keys and their order untouched, only the value changed. */
        ck_assert_str_eq(t,
                "{\n  \"bridge\": \"none\",\n  \"log-driver\": \"json-file\",\n  \"log-opts\": {\n"
                "    \"max-size\": \"10m\",\n    \"max-file\": \"10\"\n  },\n"
                "  \"live-restore\": false\n}\n");
        /* Again: nothing to do, identical text back. */
        ck_assert_int_eq(daemon_json_edit("daemon.json", t, &e, 1, &t2, &err), 0);
        ck_assert_str_eq(t2, t);
}
END_TEST

START_TEST(test_json_edits)
{
        _cleanup_free_ char *t1 = NULL, *t2 = NULL, *t3 = NULL, *t4 = NULL, *t5 = NULL, *err = NULL;
        const char *old = "{\"debug\":true,  \"live-restore\" : true, \"hosts\": [\"fd://\"]}";
        JsonEdit rm = {(char *) "live-restore", NULL};
        JsonEdit add[] = {
                {(char *) "storage-driver", (char *) "\"overlay2\""}, {(char *) "debug", (char *) "false"}};
        JsonEdit same = {(char *) "debug", (char *) "true"};
        JsonEdit rm_missing = {(char *) "nope", NULL};

        ck_assert_int_eq(daemon_json_edit("d.json", old, &rm, 1, &t1, &err), 0);
        ck_assert_str_eq(t1, "{\n  \"debug\": true,\n  \"hosts\": [\n    \"fd://\"\n  ]\n}\n");
        ck_assert_int_eq(daemon_json_edit("d.json", old, add, 2, &t2, &err), 0);
        ck_assert_str_eq(t2,
                "{\n  \"debug\": false,\n  \"live-restore\": true,\n  \"hosts\": [\n    \"fd://\"\n  ]"
                ",\n  \"storage-driver\": \"overlay2\"\n}\n");
        /* Semantically unchanged: the original text, formatting and all. */
        ck_assert_int_eq(daemon_json_edit("d.json", old, &same, 1, &t3, &err), 0);
        ck_assert_str_eq(t3, old);
        ck_assert_int_eq(daemon_json_edit("d.json", old, &rm_missing, 1, &t4, &err), 0);
        ck_assert_str_eq(t4, old);
        /* No file yet. */
        ck_assert_int_eq(daemon_json_edit("d.json", NULL, &same, 1, &t5, &err), 0);
        ck_assert_str_eq(t5, "{\n  \"debug\": true\n}\n");
        free(t5);
        ck_assert_int_eq(daemon_json_edit("d.json", NULL, &rm, 1, &t5, &err), 0);
        ck_assert_ptr_null(t5);
        ck_assert_int_eq(daemon_json_edit("d.json", "  \n", &same, 1, &t5, &err), 0);
        ck_assert_str_eq(t5, "{\n  \"debug\": true\n}\n");
}
END_TEST

START_TEST(test_json_errors)
{
        _cleanup_free_ char *t = NULL, *err = NULL;
        JsonEdit e = {(char *) "live-restore", (char *) "false"};
        JsonEdit badv = {(char *) "live-restore", (char *) "fals"};

        ck_assert_int_eq(daemon_json_edit("/etc/docker/daemon.json", "{\n  \"a\": 1,\n  \"b\": ,\n}\n", &e,
                                 1, &t, &err),
                -EINVAL);
        ck_assert_ptr_null(t);
        ck_assert_msg(startswith(err, "/etc/docker/daemon.json:3:"), "%s", err);
        ck_assert_int_eq(daemon_json_edit("/etc/docker/daemon.json", "[1]", &e, 1, &t, &err), -EINVAL);
        ck_assert_ptr_null(t);
        ck_assert_int_eq(daemon_json_edit("d.json", "{}", &badv, 1, &t, &err), -EINVAL);
        ck_assert_msg(startswith(err, "live-restore: invalid JSON value"), "%s", err);
        ck_assert_ptr_null(t);
}
END_TEST

START_TEST(test_backup)
{
        char dir[] = "/tmp/check-fixfiles-XXXXXX";
        _cleanup_free_ char *p = NULL, *bak = NULL, *data = NULL, *ln = NULL, *err = NULL;
        struct stat st;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        p = strdupf("%s/daemon.json", dir);
        bak = strdupf("%s/daemon.json.dockaudit-bak", dir);
        ln = strdupf("%s/link.json", dir);
        ck_assert_int_eq(atomic_write_file(p, "{\"a\":1}", 7, 0600, NULL), 0);
        ck_assert_int_eq(backup_file(p, &err), 0);
        ck_assert_int_eq(read_full_file(bak, &data, NULL), 0);
        ck_assert_str_eq(data, "{\"a\":1}");
        ck_assert_int_eq(stat(bak, &st), 0);
        ck_assert_uint_eq(st.st_mode & 07777, 0600);
        /* Overwritten each time. */
        ck_assert_int_eq(atomic_write_file(p, "{}", 2, 0644, NULL), 0);
        ck_assert_int_eq(backup_file(p, &err), 0);
        free(data);
        ck_assert_int_eq(read_full_file(bak, &data, NULL), 0);
        ck_assert_str_eq(data, "{}");
        ck_assert_int_eq(stat(bak, &st), 0);
        ck_assert_uint_eq(st.st_mode & 07777, 0644);
        ck_assert_int_eq(symlink(p, ln), 0);
        ck_assert_int_eq(backup_file(ln, &err), -ELOOP);
        unlink(ln);
        unlink(bak);
        unlink(p);
        ck_assert_int_eq(backup_file(p, &err), -ENOENT);
        ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* Observed: kill -9 while daemon.json's backup was written left a temp file that no later run
 * removed (11 of 300 runs). The next backup removes it; an O_TMPFILE backup leaves none. */
START_TEST(test_backup_stale_temp)
{
        char dir[] = "/tmp/check-fixfiles-XXXXXX";
        _cleanup_free_ char *p = NULL, *stale = NULL, *other = NULL, *data = NULL, *err = NULL;
        unsigned n = 0;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        p = strdupf("%s/daemon.json", dir);
        stale = strdupf("%s/.#daemon.json.dockaudit-bak.dockaudit-Qx7pL2", dir);
        other = strdupf("%s/.#daemon.json.dockaudit-bak.dockaudit-notours", dir);
        write_text(p, "{}");
        write_text(stale, "{\"a\"");
        write_text(other, "x");
        ck_assert_int_eq(backup_file(p, &err), 0);
        ck_assert_int_eq(access(stale, F_OK), -1);
        ck_assert_int_eq(access(other, F_OK), 0); /* not our name pattern: kept */
        ck_assert_int_eq(unlink(other), 0);

        /* A backup killed at any moment leaves at most the backup, whole or old. */
        for (int i = 0; i < 20; i++) {
                pid_t pid = fork();
                ck_assert_int_ge(pid, 0);
                if (pid == 0)
                        for (;;)
                                (void) backup_file(p, NULL);
                usleep(500 + (useconds_t) i * 300);
                kill(pid, SIGKILL);
                ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
        }
        ck_assert_int_eq(backup_file(p, &err), 0);
        DIR *d = opendir(dir);
        ck_assert_ptr_nonnull(d);
        for (struct dirent *de; (de = readdir(d));)
                if (!streq(de->d_name, ".") && !streq(de->d_name, ".."))
                        n++;
        closedir(d);
        ck_assert_uint_eq(n, 2); /* daemon.json and daemon.json.dockaudit-bak */
        ck_assert_int_eq(rm_rf(dir), 0);
}
END_TEST

/* A daemon.json that is a FIFO (which open() would wait on), a device or a directory: refused at
 * once with the path named, nothing written. The backup keeps the owner and group (root). */
START_TEST(test_backup_special_and_owner)
{
        char dir[] = "/tmp/check-fixfiles-XXXXXX";
        _cleanup_free_ char *p = NULL, *bak = NULL, *err = NULL;
        struct stat st;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        p = strdupf("%s/daemon.json", dir);
        bak = strdupf("%s/daemon.json.dockaudit-bak", dir);
        ck_assert_int_eq(mkfifo(p, 0644), 0);
        ck_assert_int_eq(backup_file(p, &err), -EBADFD);
        ck_assert_ptr_nonnull(startswith(err, p));
        ck_assert_str_eq(err + strlen(p), ": not a regular file");
        ck_assert_int_eq(unlink(p), 0);
        if (mknod(p, S_IFCHR | 0644, makedev(1, 5)) == 0) {
                ck_assert_int_eq(backup_file(p, &err), -EBADFD);
                ck_assert_int_eq(unlink(p), 0);
        }
        ck_assert_int_eq(mkdir(p, 0755), 0);
        ck_assert_int_eq(backup_file(p, &err), -EISDIR);
        ck_assert_int_eq(access(bak, F_OK), -1);
        ck_assert_int_eq(rmdir(p), 0);

        write_text(p, "{}");
        ck_assert_int_eq(chmod(p, 0640), 0);
        if (geteuid() == 0)
                ck_assert_int_eq(chown(p, 12345, 23456), 0);
        ck_assert_int_eq(backup_file(p, &err), 0);
        ck_assert_int_eq(lstat(bak, &st), 0);
        ck_assert_uint_eq(st.st_mode & 07777, 0640);
        if (geteuid() == 0) {
                ck_assert_uint_eq(st.st_uid, 12345);
                ck_assert_uint_eq(st.st_gid, 23456);
        }
        ck_assert_int_eq(rm_rf(dir), 0);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("fix_files");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_dropin_new);
        tcase_add_test(tc, test_dropin_bom_key_dropped);
        tcase_add_test(tc, test_dropin_idempotent_and_merge);
        tcase_add_test(tc, test_dropin_list_reset);
        tcase_add_test(tc, test_dropin_rejects);
        tcase_add_test(tc, test_sysctl);
        tcase_add_test(tc, test_json_real_file);
        tcase_add_test(tc, test_json_edits);
        tcase_add_test(tc, test_json_errors);
        tcase_add_test(tc, test_backup);
        tcase_add_test(tc, test_backup_stale_temp);
        tcase_add_test(tc, test_backup_special_and_owner);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
