/* SPDX-License-Identifier: MIT */
/* %-specifiers (systemd-reference.md 1.6, 1.7; src/systemd/specifier.c): every letter systemd
 * 252 knows, the values of the system and user managers, files read under a root. */
#include <check.h>

#include "check-run.h"
#include <limits.h>
#include <sys/stat.h>

#include "systemd/specifier.h"

START_TEST(test_specifier_table)
{
        const SpecifierContext sys = {.unit_name = "docker.service"};
        const SpecifierContext usr = {.unit_name = "docker.service",
                .user = true,
                .runtime_dir = "/run/user/1000",
                .home = "/home/u"};
        static const char known[] = "abcdfghijlmnopqrstuvwyABCEGHIJLMNPRSTUVWY";
        const SpecifierContext frag = {.unit_name = "docker.service", .fragment_path = "/"};

        /* Every letter systemd 252 knows (systemd-analyze verify) resolves; all others are -EBADSLT. */
        for (char c = '0'; c <= 'z'; c++) {
                char in[3] = {'%', c, 0};
                _cleanup_free_ char *out = NULL;
                bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
                int r;

                if (!alnum)
                        continue;
                r = specifier_expand(in, (c == 'y' || c == 'Y') ? &frag : &sys, &out);
                if (strchr(known, c))
                        ck_assert_msg(r == 0 || (c == 'm' && r == -ENOENT), "%%%c: %d", c, r);
                else
                        ck_assert_msg(r == -EBADSLT, "%%%c: %d", c, r);
        }

        const struct {
                const SpecifierContext *ctx;
                const char *in, *out;
        } t[] = {
                {&sys, "%t %S %C %L %E %T %V", "/run /var/lib /var/cache /var/log /etc /tmp /var/tmp"},
                {&sys, "%u %U %g %G %h %s", "root 0 root 0 /root /bin/bash"},
                {&sys, "%d|%R|%r|%c",
                        "/run/credentials/docker.service||/system.slice|/system.slice/docker.service"},
                {&usr, "%t %h %d", "/run/user/1000 /home/u /run/user/1000/credentials/docker.service"},
                {&sys, "%f %j %J %I", "/docker docker docker "},
                {&sys, "%% %%% %-x %", "% %% %-x %"},
                {&frag, "%y|%Y", "/|/"},
        };
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                _cleanup_free_ char *out = NULL;

                ck_assert_int_eq(specifier_expand(t[i].in, t[i].ctx, &out), 0);
                ck_assert_str_eq(out, t[i].out);
        }
}
END_TEST

START_TEST(test_specifier_host)
{
        char dir[] = "/tmp/check-specifier-XXXXXX";
        _cleanup_free_ char *p1 = NULL, *p2 = NULL, *p3 = NULL, *out = NULL, *big = NULL;
        SpecifierContext ctx = {.unit_name = "docker.service"};
        FILE *f;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        p1 = strdupf("%s/etc", dir);
        ck_assert_int_eq(mkdir(p1, 0755), 0);
        p2 = strdupf("%s/etc/machine-id", dir);
        f = fopen(p2, "we");
        fputs("3D1219C7C4C5404AAA1F6D2A48ADFDA4\n", f);
        fclose(f);
        p3 = strdupf("%s/etc/os-release", dir);
        f = fopen(p3, "we");
        fputs("NAME=\"CentOS Linux\"\nID=\"centos\"\nVERSION_ID='7'\n# x\nVARIANT_ID=server\n", f);
        fclose(f);

        ctx.root = dir;
        ck_assert_int_eq(specifier_expand("%m|%o|%w|%W|%A|%B|%M", &ctx, &out), 0);
        ck_assert_str_eq(out, "3d1219c7c4c5404aaa1f6d2a48adfda4|centos|7|server|||");
        free(out);
        out = NULL;
        /* A missing /etc/machine-id under the root is an error, so bad-setting for ExecStart=. */
        unlink(p2);
        ck_assert_int_lt(specifier_expand("%m", &ctx, &out), 0);
        unlink(p3);
        ck_assert_int_lt(specifier_expand("%o", &ctx, &out), 0);
        rmdir(p1);
        rmdir(dir);

        /* Host values: %b is 32 hex digits, %v is uname -r, %H has no dot after %l. */
        ctx.root = NULL;
        ck_assert_int_eq(specifier_expand("%b", &ctx, &out), 0);
        ck_assert_uint_eq(strlen(out), 32);
        ck_assert_uint_eq(strspn(out, "0123456789abcdef"), 32);
        free(out);
        ck_assert_int_eq(specifier_expand("%l", &ctx, &out), 0);
        ck_assert_ptr_null(strchr(out, '.'));
        free(out);
        out = NULL;

        /* The length limit (PATH_MAX-1 for the path). */
        big = malloc(PATH_MAX + 10);
        memset(big, 'a', PATH_MAX + 9);
        big[PATH_MAX + 9] = 0;
        big[0] = '/';
        ck_assert_int_eq(specifier_expand_full(big, &ctx, PATH_MAX - 1, &out), -ENAMETOOLONG);
        ck_assert_int_eq(specifier_expand_full("/%n", &ctx, 5, &out), -ENAMETOOLONG);
        ck_assert_int_eq(specifier_expand_full("/%n", &ctx, 15, &out), 0);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("specifier");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_specifier_table);
        tcase_add_test(tc, test_specifier_host);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
