/* SPDX-License-Identifier: MIT */
/* One rule file into a Rule (rule-file.c and its steps: rule-reader.c, rule-keys.c,
 * rule-action.c, rule-text.c): the shipped files, every load error with its file:line,
 * inih's traps (long lines, continuation lines, inline comments). */
#include <check.h>

#include "check-run.h"

#include "rules/rules.h"

#define BAD FIXTURES "/rules/bad/"
#define SHIPPED FIXTURES "/../../rules"

/* Each shipped file is valid on its own too (what "dockaudit rules check" does). */
START_TEST(test_shipped_files_one_by_one)
{
        static const char *const names[] = {
                "mountflags-slave-with-live-restore",
                "kernel-leaks-mounts",
                "detach-mounts-disabled",
                "may-detach-mounts-not-persistent",
                "mountflags-slave-on-fixed-kernel",
                "option-set-twice",
                "daemon-json-invalid",
                "unit-needs-daemon-reload",
                "restart-pending",
                "live-restore-with-swarm",
        };

        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                _cleanup_free_ char *path = strdupf(SHIPPED "/%s.rule", names[i]), *err = NULL;
                _cleanup_rule_ Rule *r = NULL;

                ck_assert_msg(rule_load_file(path, &r, &err) == 0, "%s", err);
                ck_assert_str_eq(r->id, names[i]);
                ck_assert_str_eq(r->path, path);
        }
}
END_TEST

/* ------------------------------------------------------------------ errors with file:line */

static const struct {
        const char *file;
        const char *error; /* after "PATH:" */
} bad_cases[] = {
        {"bad-fix-name",
                "4: bad section header: expected [fix] or [fix \"NAME\"] (NAME: letters, digits, '_', '.', "
                "'-')"},
        {"bad-id",
                "3: id 'Bad_Id' is not a slug (lower-case letters, digits and '-', not starting with '-')"},
        {"bad-reference", "6: references: 'moby/moby#22806' is not an http(s) URL"},
        {"bad-severity", "5: severity 'critical' is not one of info, low, medium, high"},
        {"daemon-json-bad-json",
                "10: daemon-json: value of 'live-restore' is not JSON: invalid token near 'flase'"},
        {"daemon-json-bad-key", "9: daemon-json: '\"live-restore\"' is not a daemon.json key"},
        {"dropin-bad-key", "10: dropin: 'Mount Flags' is not a valid unit setting name"},
        {"dropin-bad-section", "9: dropin: section 'Servce' is not Unit, Service or Install"},
        {"dropin-continued",
                "10: 'dropin' does not continue on an indented line; repeat the key for another action"},
        {"duplicate-fix", "12: duplicate section [fix \"a\"] (first on line 8)"},
        {"duplicate-key", "6: duplicate key 'title' (first set on line 4)"},
        {"duplicate-section", "8: duplicate section [rule] (first on line 2)"},
        {"fix-no-action", "9: [fix \"only-restart\"] has no action (dropin, daemon-json or sysctl)"},
        {"fix-when-error", "11: when: column 1: unknown fact 'kernel.nonexistent'"},
        {"id-continued", "4: 'id' does not continue on an indented line"},
        {"id-mismatch",
                "4: id 'some-other-id' does not match the file name id-mismatch.rule (a rule file is named "
                "ID.rule)"},
        {"key-before-section", "2: key 'id' before any section (a rule file starts with [rule])"},
        {"long-line", "7: line is longer than 198 bytes; continue the value on an indented line"},
        {"long-line-crlf", "4: line is longer than 198 bytes; continue the value on an indented line"},
        {"message-bad-dollar", "7: message: '$' must start ${fact} or ${fact@source} (write $$ for a '$')"},
        {"message-bad-suffix",
                "7: message: unknown suffix '@value' in ${unit.name@value} (only @source exists)"},
        {"message-unclosed", "7: message: '${' without a closing '}'"},
        {"message-unknown-fact", "9: message: unknown fact 'unit.mountflags'"},
        {"missing-message", "3: [rule] lacks the key 'message'"},
        {"no-equals", "5: expected 'key = value', a [section], or a comment"},
        {"no-rule-section", "1: no [rule] section"},
        {"restart-bad", "10: restart 'maybe' is not 'needed' or 'no'"},
        {"section-no-bracket", "4: section header lacks ']'"},
        {"section-trailing", "2: unexpected text after the section header"},
        {"sysctl-bad", "9: sysctl: 'may_detach_mounts' is not a sysctl name (like fs.may_detach_mounts)"},
        {"unknown-key",
                "4: unknown key 'titel' in [rule] (expected id, title, severity, rationale, references, "
                "when, message)"},
        {"unknown-section", "9: unknown section [fixes] (expected [rule], [fix] or [fix \"NAME\"])"},
        {"when-unknown-fact", "6: when: column 1: unknown fact 'unit.mount_flag'"},
};

START_TEST(test_bad_file)
{
        _cleanup_free_ char *path = strdupf(BAD "%s.rule", bad_cases[_i].file), *err = NULL;
        _cleanup_free_ char *want = strdupf("%s:%s", path, bad_cases[_i].error);
        _cleanup_rule_ Rule *r = NULL;

        ck_assert_int_eq(rule_load_file(path, &r, &err), -EINVAL);
        ck_assert_ptr_null(r);
        ck_assert_str_eq(err, want);
}
END_TEST

/* The expression parser's wording is tested in test-expr-parse.c; the line and column
 * mapping is ours: the error sits on the continuation line, column counted from that
 * line's value. */
START_TEST(test_when_error_on_continuation_line)
{
        _cleanup_free_ char *err = NULL;
        _cleanup_rule_ Rule *r = NULL;
        const char *want = BAD "when-syntax.rule:7: when: column 32: ";

        ck_assert_int_eq(rule_load_file(BAD "when-syntax.rule", &r, &err), -EINVAL);
        ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "got: %s", err);
}
END_TEST

START_TEST(test_missing_file)
{
        _cleanup_free_ char *err = NULL;
        _cleanup_rule_ Rule *r = NULL;

        ck_assert_int_eq(rule_load_file(BAD "does-not-exist.rule", &r, &err), -ENOENT);
        ck_assert_str_eq(err, BAD "does-not-exist.rule: cannot read: No such file or directory");
}
END_TEST

/* ------------------------------------------------------------------ bytes inih must not see */

static char *rule_text(const char *id, const char *message_line)
{
        return strdupf("[rule]\nid = %s\ntitle = t\nseverity = low\nwhen = true\n%s\n", id, message_line);
}

START_TEST(test_line_length_boundary)
{
        char line[300];
        _cleanup_free_ char *ok = NULL, *bad = NULL, *err = NULL;
        _cleanup_rule_ Rule *r = NULL;

        /* 198 bytes: inih reads it whole. */
        memset(line, 'a', sizeof line);
        memcpy(line, "message = ", 10);
        line[198] = 0;
        ok = rule_text("len", line);
        ck_assert_msg(rule_parse_string("/x/len.rule", ok, strlen(ok), &r, &err) == 0, "%s", err);
        ck_assert_uint_eq(strlen(r->message), 198 - 10);
        r = rule_free(r);

        /* 199 bytes: inih would split it into a second, garbage line. */
        line[198] = 'a';
        line[199] = 0;
        bad = rule_text("len", line);
        ck_assert_int_eq(rule_parse_string("/x/len.rule", bad, strlen(bad), &r, &err), -EINVAL);
        ck_assert_str_eq(
                err, "/x/len.rule:6: line is longer than 198 bytes; continue the value on an indented line");

        /* Long comments are refused too: inih would read the tail as a key. */
        free(bad);
        line[0] = '#';
        bad = rule_text("len", line);
        ck_assert_int_eq(rule_parse_string("/x/len.rule", bad, strlen(bad), &r, &err), -EINVAL);
        ck_assert_str_eq(
                err, "/x/len.rule:6: line is longer than 198 bytes; continue the value on an indented line");
}
END_TEST

START_TEST(test_nul_and_utf8)
{
        static const char nul[] = "[rule]\nid = n\ntitle = a\0b\n";
        static const char badutf[] = "[rule]\nid = n\ntitle = caf\xc3\n";
        static const char overlong[] = "[rule]\nid = n\n\ntitle = \xc0\xaf\n";
        static const char goodutf[] = "[rule]\nid = n\ntitle = caf\xc3\xa9 \xe2\x80\x94 ok\nseverity = low\n"
                                      "when = true\nmessage = m\n";
        _cleanup_free_ char *err = NULL;
        _cleanup_rule_ Rule *r = NULL;

        ck_assert_int_eq(rule_parse_string("/x/n.rule", nul, sizeof nul - 1, &r, &err), -EINVAL);
        ck_assert_str_eq(err, "/x/n.rule:3: NUL byte in rule file");
        ck_assert_int_eq(rule_parse_string("/x/n.rule", badutf, sizeof badutf - 1, &r, &err), -EINVAL);
        ck_assert_str_eq(err, "/x/n.rule:3: invalid UTF-8");
        ck_assert_int_eq(rule_parse_string("/x/n.rule", overlong, sizeof overlong - 1, &r, &err), -EINVAL);
        ck_assert_str_eq(err, "/x/n.rule:4: invalid UTF-8");
        ck_assert_int_eq(rule_parse_string("/x/n.rule", goodutf, sizeof goodutf - 1, &r, &err), 0);
        ck_assert_str_eq(r->title, "caf\xc3\xa9 \xe2\x80\x94 ok");
}
END_TEST

/* Not NUL-terminated: the parser must stay within size. */
START_TEST(test_empty_values)
{
        static const char title[] = "[rule]\nid = e\ntitle =\nseverity = low\nwhen = true\nmessage = m\n";
        static const char message[] =
                "[rule]\nid = e\ntitle = t\nseverity = low\nwhen = true\nmessage = ; none\n";
        static const char when[] = "[rule]\nid = e\ntitle = t\nseverity = low\nwhen =\nmessage = m\n";
        _cleanup_free_ char *err = NULL;
        _cleanup_rule_ Rule *r = NULL;

        ck_assert_int_eq(rule_parse_string("/x/e.rule", title, sizeof title - 1, &r, &err), -EINVAL);
        ck_assert_str_eq(err, "/x/e.rule:3: 'title' is empty");
        ck_assert_int_eq(rule_parse_string("/x/e.rule", message, sizeof message - 1, &r, &err), -EINVAL);
        ck_assert_str_eq(err, "/x/e.rule:6: 'message' is empty");
        ck_assert_int_eq(rule_parse_string("/x/e.rule", when, sizeof when - 1, &r, &err), -EINVAL);
        ck_assert_msg(startswith(err, "/x/e.rule:5: when: column 1: "), "%s", err);
}
END_TEST

START_TEST(test_unterminated_buffer)
{
        static const char text[] = "[rule]\nid = u\ntitle = t\nseverity = low\nwhen = true\nmessage = mXXXX";
        _cleanup_free_ char *err = NULL, *copy = NULL;
        _cleanup_rule_ Rule *r = NULL;
        size_t n = sizeof text - 1 - 4;

        copy = malloc(n);
        ck_assert_ptr_nonnull(copy);
        memcpy(copy, text, n);
        ck_assert_msg(rule_parse_string("/x/u.rule", copy, n, &r, &err) == 0, "%s", err);
        ck_assert_str_eq(r->message, "m");
}
END_TEST

/* ------------------------------------------------------------------ continuation lines */

START_TEST(test_continuation_lines)
{
        _cleanup_free_ char *err = NULL;
        _cleanup_rule_ Rule *r = NULL;
        const RuleFix *f;

        ck_assert_msg(rule_load_file(FIXTURES "/rules/good/continuation.rule", &r, &err) == 0, "%s", err);
        ck_assert_str_eq(r->title, "Continued title");
        ck_assert_int_eq(r->severity, SEVERITY_INFO); /* "; an inline comment" stripped */
        /* Blank and comment lines do not end a value: inih continues it after them. */
        ck_assert_str_eq(r->rationale, "first line after a blank line after a comment");
        ck_assert_uint_eq(strv_length(r->references), 3);
        ck_assert_str_eq(r->references[0], "https://example.org/a");
        ck_assert_str_eq(r->references[1], "https://example.org/b");
        ck_assert_str_eq(r->references[2], "https://example.org/c");
        ck_assert_str_eq(r->when_text, "unit.active_state == \"active\" && unit.mount_flags == \"slave\"");
        ck_assert_str_eq(
                r->message, "MountFlags=${unit.mount_flags} (${unit.mount_flags@source})   costs $$5");

        ck_assert_uint_eq(r->n_fixes, 2);
        f = &r->fixes[0];
        ck_assert_ptr_null(f->name);
        ck_assert_ptr_null(f->when_text);
        ck_assert_ptr_null(f->when);
        ck_assert_uint_eq(f->line, 19);
        ck_assert(!f->restart_needed);
        ck_assert_str_eq(f->note, "one two");
        ck_assert_uint_eq(f->n_actions, 5);
        ck_assert_int_eq(f->actions[0].type, FIX_ACTION_DROPIN);
        ck_assert_str_eq(f->actions[0].section, "Service");
        ck_assert_str_eq(f->actions[0].key, "MountFlags");
        ck_assert_str_eq(f->actions[0].value, "shared");
        ck_assert_uint_eq(f->actions[0].line, 20);
        ck_assert_str_eq(f->actions[1].section, "Unit");
        ck_assert_str_eq(f->actions[1].key, "Description");
        ck_assert_str_eq(f->actions[1].value, "x y");
        /* A JSON value may continue; it is stored compact. */
        ck_assert_int_eq(f->actions[2].type, FIX_ACTION_DAEMON_JSON);
        ck_assert_str_eq(f->actions[2].key, "default-ulimits");
        ck_assert_str_eq(
                f->actions[2].value, "{\"nofile\":{\"Name\":\"nofile\",\"Hard\":64000,\"Soft\":64000}}");
        ck_assert_uint_eq(f->actions[2].line, 22);
        ck_assert_int_eq(f->actions[3].type, FIX_ACTION_DAEMON_JSON);
        ck_assert_str_eq(f->actions[3].key, "live-restore");
        ck_assert_ptr_null(f->actions[3].value);
        ck_assert_int_eq(f->actions[4].type, FIX_ACTION_SYSCTL);
        ck_assert_str_eq(f->actions[4].key, "fs.may_detach_mounts");
        ck_assert_str_eq(f->actions[4].value, "1");

        f = &r->fixes[1];
        ck_assert_str_eq(f->name, "second");
        ck_assert_str_eq(f->when_text, "kernel.leaks_mounts");
        ck_assert_ptr_nonnull(f->when);
        ck_assert(f->restart_needed);
        ck_assert_ptr_null(f->note);
        ck_assert_uint_eq(f->line, 29);
}
END_TEST

START_TEST(test_max_line_crlf_bom)
{
        _cleanup_free_ char *err = NULL;
        _cleanup_rule_ Rule *r = NULL;

        ck_assert_msg(rule_load_file(FIXTURES "/rules/good/max-line.rule", &r, &err) == 0, "%s", err);
        ck_assert_str_eq(r->id, "max-line");
        ck_assert_int_eq(r->severity, SEVERITY_MEDIUM);
        ck_assert_uint_eq(strlen(r->message), 197 - 10);
        ck_assert_ptr_null(r->rationale);
        ck_assert_uint_eq(strv_length(r->references), 0);
}
END_TEST

/* An indented key right after a section header is a key, not a continuation (inih has no
 * previous name there); the same indented text after a key continues it. */
START_TEST(test_indented_key_after_section)
{
        static const char text[] = "[rule]\n  id = ind\ntitle = a\n    b\nseverity = low\nwhen = true\n"
                                   "message = m\n[fix]\n\tsysctl = fs.may_detach_mounts=1\n";
        _cleanup_free_ char *err = NULL;
        _cleanup_rule_ Rule *r = NULL;

        ck_assert_msg(rule_parse_string("/x/ind.rule", text, sizeof text - 1, &r, &err) == 0, "%s", err);
        ck_assert_str_eq(r->id, "ind");
        ck_assert_str_eq(r->title, "a b");
        ck_assert_uint_eq(r->n_fixes, 1);
        ck_assert_str_eq(r->fixes[0].actions[0].key, "fs.may_detach_mounts");
}
END_TEST

START_TEST(test_indented_line_continues_previous_key)
{
        static const char text[] = "[rule]\n  id = ind\n  title = a\n";
        _cleanup_free_ char *err = NULL;
        _cleanup_rule_ Rule *r = NULL;

        ck_assert_int_eq(rule_parse_string("/x/ind.rule", text, sizeof text - 1, &r, &err), -EINVAL);
        ck_assert_str_eq(err, "/x/ind.rule:3: 'id' does not continue on an indented line");
}
END_TEST

static Suite *rule_file_suite(void)
{
        Suite *s = suite_create("rule-file");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_shipped_files_one_by_one);
        tcase_add_loop_test(tc, test_bad_file, 0, (int) ELEMENTSOF(bad_cases));
        tcase_add_test(tc, test_when_error_on_continuation_line);
        tcase_add_test(tc, test_missing_file);
        tcase_add_test(tc, test_line_length_boundary);
        tcase_add_test(tc, test_nul_and_utf8);
        tcase_add_test(tc, test_empty_values);
        tcase_add_test(tc, test_unterminated_buffer);
        tcase_add_test(tc, test_continuation_lines);
        tcase_add_test(tc, test_max_line_crlf_bom);
        tcase_add_test(tc, test_indented_key_after_section);
        tcase_add_test(tc, test_indented_line_continues_previous_key);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(rule_file_suite());
}
