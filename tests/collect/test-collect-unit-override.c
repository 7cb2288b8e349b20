/* SPDX-License-Identifier: MIT */
/* dockaudit's override header read back, and the unit_override.* facts of a temporary root:
 * no override, a fresh one, one whose vendor file changed or is gone, unreadable files. */
#include <check.h>

#include "check-run.h"
#include "test-util.h"

#include "basic/sha256.h"
#include "collect/collect-unit-override.h"

#define VENDOR "/lib/systemd/system/docker.service"
#define OVERRIDE "/etc/systemd/system/docker.service"
#define UNIT_1809 FIXTURES "/units/docker-ce-packaging-18.09-docker.service"
#define DIGEST_1809 "0a28c1132d52cd4a8dc61e35868b54cb645557dff4d98f444b65f919ee1c6f4f"

START_TEST(test_header_parse)
{
        _cleanup_free_ char *vendor = NULL, *digest = NULL;
        unsigned line = 0;

        ck_assert_int_eq(unit_override_header_parse(
                                 "# Written by dockaudit 1 for rules: x\n" UNIT_OVERRIDE_MARK
                                 "/lib/systemd/system/docker.service sha256:" DIGEST_1809 "\n\n[Unit]\n",
                                 &vendor, &digest, &line),
                1);
        ck_assert_str_eq(vendor, VENDOR);
        ck_assert_str_eq(digest, DIGEST_1809);
        ck_assert_uint_eq(line, 2);
}
END_TEST

START_TEST(test_header_not_ours)
{
        static const char *const texts[] = {
                "",
                "[Unit]\nDescription=x\n",
                /* after the first section: a comment of the unit, not our header */
                "[Unit]\n" UNIT_OVERRIDE_MARK "/lib/x.service sha256:" DIGEST_1809 "\n",
                /* malformed: relative path, short digest, upper case, no digest */
                UNIT_OVERRIDE_MARK "lib/x.service sha256:" DIGEST_1809 "\n",
                UNIT_OVERRIDE_MARK "/lib/x.service sha256:0a28\n",
                UNIT_OVERRIDE_MARK
                "/lib/x.service sha256:0A28C1132D52CD4A8DC61E35868B54CB645557DFF4D98F444B65F919EE1C6F4F\n",
                UNIT_OVERRIDE_MARK "/lib/x.service\n",
        };

        for (size_t i = 0; i < ELEMENTSOF(texts); i++) {
                _cleanup_free_ char *vendor = NULL, *digest = NULL;
                unsigned line = 0;

                ck_assert_msg(
                        unit_override_header_parse(texts[i], &vendor, &digest, &line) == 0, "case %zu", i);
                ck_assert_ptr_null(vendor);
        }
}
END_TEST

typedef struct Root {
        char dir[64];
        Facts facts;
} Root;

static void root_setup(Root *r, const char *fragment)
{
        *r = (Root){};
        tmpdir_make(r->dir, sizeof r->dir, "collect-override");
        if (fragment)
                ck_assert_int_eq(facts_set_string(&r->facts, "unit.fragment_path", fragment, "test"), 0);
}

static void root_done(Root *r)
{
        facts_done(&r->facts);
        ck_assert_int_eq(rm_rf(r->dir), 0);
}

static void collect(Root *r)
{
        const CollectOptions o = {.unit = "docker.service", .root = r->dir};

        ck_assert_int_eq(collect_unit_override(&r->facts, &o), 0);
}

static char *override_text(const char *digest)
{
        char *t =
                strdupf("# Written by dockaudit 0 for rules: containerd-bindsto\n" UNIT_OVERRIDE_MARK VENDOR
                        " sha256:%s\n# comment\n\n[Unit]\nDescription=Docker\n",
                        digest);

        ck_assert_ptr_nonnull(t);
        return t;
}

START_TEST(test_no_override)
{
        _cleanup_(root_done) Root r;

        root_setup(&r, VENDOR);
        put_file(r.dir, VENDOR, UNIT_1809);
        collect(&r);
        ck_assert_int_eq(facts_get_bool(&r.facts, "unit_override.present"), 0);
        ck_assert_ptr_null(facts_get(&r.facts, "unit_override.stale"));
}
END_TEST

START_TEST(test_fresh_then_stale_then_gone)
{
        _cleanup_(root_done) Root r;
        _cleanup_free_ char *text = override_text(DIGEST_1809), *vendor = NULL;
        const Fact *stale;

        root_setup(&r, OVERRIDE);
        put_file(r.dir, VENDOR, UNIT_1809);
        put(r.dir, OVERRIDE, text);
        collect(&r);
        ck_assert_int_eq(facts_get_bool(&r.facts, "unit_override.present"), 1);
        ck_assert_str_eq(facts_get(&r.facts, "unit_override.present")->source, OVERRIDE ":2");
        ck_assert_str_eq(facts_get_string(&r.facts, "unit_override.vendor_path"), VENDOR);
        ck_assert_int_eq(facts_get_bool(&r.facts, "unit_override.stale"), 0);

        /* a package update: the vendor file changes */
        vendor = path_in(r.dir, VENDOR);
        write_text(vendor, "[Unit]\nDescription=Docker 20.10\n");
        collect(&r);
        stale = facts_get(&r.facts, "unit_override.stale");
        ck_assert(stale && stale->known && stale->b);
        ck_assert_ptr_nonnull(strstr(stale->source, "copied at 0a28c1132d52"));

        /* the package moved it (usrmerge) or is gone */
        ck_assert_int_eq(unlink(vendor), 0);
        collect(&r);
        ck_assert_int_eq(facts_get_bool(&r.facts, "unit_override.stale"), 1);
}
END_TEST

START_TEST(test_unreadable)
{
        _cleanup_(root_done) Root r;
        _cleanup_free_ char *text = override_text(DIGEST_1809), *vendor = NULL;
        const Fact *stale;

        /* the fragment is a directory: unknown, with the reason */
        root_setup(&r, OVERRIDE);
        put(r.dir, OVERRIDE "/x", "");
        collect(&r);
        ck_assert_int_eq(facts_get_bool(&r.facts, "unit_override.present"), -ENODATA);
        ck_assert_ptr_nonnull(strstr(facts_get(&r.facts, "unit_override.present")->reason, "cannot read"));
        root_done(&r);

        /* the vendor file is a directory */
        root_setup(&r, OVERRIDE);
        put(r.dir, OVERRIDE, text);
        put(r.dir, VENDOR "/x", "");
        collect(&r);
        stale = facts_get(&r.facts, "unit_override.stale");
        ck_assert(stale && !stale->known);

        /* no fragment: not an override; fragment unknown: unknown */
        facts_done(&r.facts);
        ck_assert_int_eq(facts_set_string(&r.facts, "unit.fragment_path", "", "test"), 0);
        collect(&r);
        ck_assert_int_eq(facts_get_bool(&r.facts, "unit_override.present"), 0);
        facts_done(&r.facts);
        collect(&r);
        ck_assert(!facts_get(&r.facts, "unit_override.present")->known);
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("collect-unit-override");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_header_parse);
        tcase_add_test(tc, test_header_not_ours);
        tcase_add_test(tc, test_no_override);
        tcase_add_test(tc, test_fresh_then_stale_then_gone);
        tcase_add_test(tc, test_unreadable);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
