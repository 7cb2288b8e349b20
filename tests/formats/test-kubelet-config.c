/* SPDX-License-Identifier: MIT */
/* kubelet's config file reader (src/formats/kubelet-config.c): the real files of
 * fixtures/kubelet (see SOURCES), then YAML shapes it must read and shapes it must refuse
 * rather than guess. */
#include <check.h>

#include "check-run.h"

#include "basic/fileio.h"
#include "formats/kubelet-config.h"

/* kubelet_config_get() on text; returns its result, *ret the value. */
static int get(const char *text, const char *key, char **ret, unsigned *line, char **err)
{
        *ret = NULL;
        *line = 0;
        return kubelet_config_get("/var/lib/kubelet/config.yaml", text, strlen(text), key, ret, line, err);
}

static void expect(const char *text, const char *key, const char *value, unsigned line)
{
        _cleanup_free_ char *v = NULL, *err = NULL;
        unsigned l;
        int r = get(text, key, &v, &l, &err);

        ck_assert_msg(r == 1, "%s in [%s]: %d %s", key, text, r, strempty(err));
        ck_assert_msg(streq(v, value), "%s in [%s]: [%s], expected [%s]", key, text, v, value);
        ck_assert_uint_eq(l, line);
}

static void expect_absent(const char *text, const char *key)
{
        _cleanup_free_ char *v = NULL, *err = NULL;
        unsigned l;

        ck_assert_msg(get(text, key, &v, &l, &err) == 0, "%s in [%s]: %s", key, text, strempty(err));
}

static void expect_refused(const char *text, const char *key, const char *why)
{
        _cleanup_free_ char *v = NULL, *err = NULL;
        unsigned l;
        int r = get(text, key, &v, &l, &err);

        ck_assert_msg(r == -EINVAL, "%s in [%s]: %d [%s]", key, text, r, strempty(v));
        ck_assert_msg(strstr(err, why) && startswith(err, "/var/lib/kubelet/config.yaml:"), "%s", err);
}

static void fixture(const char *name, const char *key, int expect_r, const char *value, unsigned line)
{
        _cleanup_free_ char *path = strdupf("%s/kubelet/%s", FIXTURES, name), *data = NULL, *v = NULL,
                            *err = NULL;
        unsigned l = 0;
        size_t size;

        ck_assert_int_eq(read_full_file(path, &data, &size), 0);
        ck_assert_msg(kubelet_config_get(path, data, size, key, &v, &l, &err) == expect_r, "%s: %s", name,
                strempty(err));
        if (expect_r == 1) {
                ck_assert_str_eq(v, value);
                ck_assert_uint_eq(l, line);
        }
}

START_TEST(test_fixtures)
{
        fixture("config-etcd-ha.yaml", "cgroupDriver", 1, "systemd", 13);
        fixture("config-etcd-ha.yaml", "kind", 1, "KubeletConfiguration", 5);
        fixture("config-etcd-ha.yaml", "containerRuntimeEndpoint", 1,
                "unix:///var/run/containerd/containerd.sock", 15);
        /* Nested keys are not top-level keys. */
        fixture("config-etcd-ha.yaml", "enabled", 0, NULL, 0);
        fixture("config-docs-example.yaml", "cgroupDriver", 0, NULL, 0);
        fixture("config-docs-example.yaml", "evictionHard", -EINVAL, NULL, 0);
        fixture("eks-kubelet-config.json", "cgroupDriver", 1, "cgroupfs", 27);
        fixture("eks-kubelet-config.json", "memory.available", 0, NULL, 0);
}
END_TEST

START_TEST(test_scalars)
{
        expect("cgroupDriver: systemd\n", "cgroupDriver", "systemd", 1);
        expect("cgroupDriver: systemd   # kubeadm 1.22\n", "cgroupDriver", "systemd", 1);
        expect("cgroupDriver: 'systemd'\n", "cgroupDriver", "systemd", 1);
        expect("cgroupDriver: \"systemd\" # quoted\n", "cgroupDriver", "systemd", 1);
        expect("cgroupDriver: 'it''s'\n", "cgroupDriver", "it's", 1);
        expect("cgroupDriver: \"a\\\"b\\\\c\"\n", "cgroupDriver", "a\"b\\c", 1);
        expect("\"cgroupDriver\": systemd\n", "cgroupDriver", "systemd", 1);
        expect("cgroupDriver: sys#temd\n", "cgroupDriver", "sys#temd", 1);
        /* CRLF line ends, a byte order mark, a document start. */
        expect("\xEF\xBB\xBFkind: KubeletConfiguration\r\ncgroupDriver: systemd\r\n", "cgroupDriver",
                "systemd", 2);
        expect("---\n# kubelet\ncgroupDriver: systemd\n", "cgroupDriver", "systemd", 3);
        /* A plain scalar continued on an indented line. */
        expect("cgroupDriver:\n  systemd\n", "cgroupDriver", "systemd", 1);
        expect("cgroupDriver: sys\n  temd\nkind: x\n", "cgroupDriver", "sys temd", 1);
        /* YAML's null and the empty value: kubelet gets "" (its default). */
        expect("cgroupDriver:\nkind: x\n", "cgroupDriver", "", 1);
        expect("cgroupDriver: ~\n", "cgroupDriver", "", 1);
        expect("cgroupDriver: null\n", "cgroupDriver", "", 1);
        expect("cgroupDriver: 'null'\n", "cgroupDriver", "null", 1);
        /* The first document only: kubelet reads one. */
        expect("cgroupDriver: systemd\n---\ncgroupDriver: cgroupfs\n", "cgroupDriver", "systemd", 1);
        expect("cgroupDriver: systemd\n...\ncgroupDriver: cgroupfs\n", "cgroupDriver", "systemd", 1);
        /* JSON, and JSON's null. */
        expect("{\"cgroupDriver\": \"systemd\"}", "cgroupDriver", "systemd", 1);
        expect("\n{\n\"kind\": \"KubeletConfiguration\",\n\"cgroupDriver\": null}", "cgroupDriver", "", 4);
        expect_absent("", "cgroupDriver");
        expect_absent("# nothing\n", "cgroupDriver");
        expect_absent("cgroupDrivers: systemd\nauthentication:\n  cgroupDriver: systemd\n", "cgroupDriver");
}
END_TEST

START_TEST(test_refused)
{
        expect_refused("cgroupDriver: &d systemd\n", "cgroupDriver", "anchor");
        expect_refused("cgroupDriver: *d\n", "cgroupDriver", "anchor");
        expect_refused("cgroupDriver: !!str systemd\n", "cgroupDriver", "tag");
        expect_refused("cgroupDriver: |\n  systemd\n", "cgroupDriver", "block scalar");
        expect_refused("cgroupDriver: [systemd]\n", "cgroupDriver", "flow collection");
        expect_refused("cgroupDriver: \"sys\n  temd\"\n", "cgroupDriver", "quoted value");
        expect_refused("cgroupDriver: 'systemd' x\n", "cgroupDriver", "quoted value");
        expect_refused("cgroupDriver: \"\\x41\"\n", "cgroupDriver", "quoted value");
        expect_refused("cgroupDriver:\n  a: b\n", "cgroupDriver", "not a scalar");
        expect_refused("cgroupDriver:\n- systemd\n", "cgroupDriver", "not a mapping");
        expect_refused("cgroupDriver: a: b\n", "cgroupDriver", "\": \"");
        /* go-yaml refuses a key given twice: so does kubelet, whichever key it is. */
        expect_refused("cgroupDriver: systemd\ncgroupDriver: cgroupfs\n", "cgroupDriver", "twice");
        expect_refused("kind: a\ncgroupDriver: systemd\nkind: b\n", "cgroupDriver", "twice");
        expect_refused("- a\n- b\n", "cgroupDriver", "not a mapping");
        expect_refused("just text\n", "cgroupDriver", "not a \"key: value\" line");
        expect_refused("  indented: first\n", "cgroupDriver", "before the first key");
        expect_refused("\tcgroupDriver: systemd\n", "cgroupDriver", "tab");
        expect_refused("kind: x\n \tcgroupDriver: systemd\n", "cgroupDriver", "tab");
        expect_refused("%YAML 1.1\n---\ncgroupDriver: systemd\n", "cgroupDriver", "directive");
        expect_refused("{\"cgroupDriver\": \"a\", \"cgroupDriver\": \"b\"}", "cgroupDriver", "duplicate");
        expect_refused("{\"cgroupDriver\": 1}", "cgroupDriver", "not a string");
        expect_refused("{\"cgroupDriver\": ", "cgroupDriver", "");
        {
                static const char nul[] = "cgroupDriver: sys\0temd\n";
                _cleanup_free_ char *v = NULL, *err = NULL;
                unsigned l;

                ck_assert_int_eq(
                        kubelet_config_get("c", nul, sizeof nul - 1, "cgroupDriver", &v, &l, &err), -EINVAL);
                ck_assert_ptr_nonnull(strstr(err, "NUL"));
        }
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("kubelet-config");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_fixtures);
        tcase_add_test(tc, test_scalars);
        tcase_add_test(tc, test_refused);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
