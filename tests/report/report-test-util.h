/* SPDX-License-Identifier: MIT */
/* A report over hostile facts, shared by tests/report/test-report-*.c: a unit name that is
 * not UTF-8, an ESC]0;...BEL title sequence and a backslash in values and sources, a rule
 * that fails on them (message and evidence), one that is skipped and one disabled by a
 * /dev/null symlink. */
#pragma once

#include <check.h>
#include <unistd.h>

#include "basic/util.h"
#include "report/report.h"
#include "rules/problems.h"
#include "test-util.h"

#define HOSTILE_NAME "caf\xe9\xff.service"
#define HOSTILE_ARG "--label=\033]0;pwned\007\\x41"

typedef struct Hostile {
        char dir[64];
        RuleSet rules;
        Facts facts;
        Findings findings;
        char **problems;
        Report report;
} Hostile;

static inline void hostile_make(Hostile *h, bool strict)
{
        char *dirs[] = {h->dir, NULL};
        char *argv[] = {(char *) "/usr/bin/dockerd", (char *) HOSTILE_ARG, NULL};
        _cleanup_free_ char *err = NULL, *link = NULL;

        *h = (Hostile){};
        tmpdir_make(h->dir, sizeof h->dir, "report");
        put(h->dir, "hostile.rule",
                "[rule]\nid = hostile\ntitle = hostile facts\nseverity = high\nwhen = unit.name != \"\"\n"
                "message = unit ${unit.name} runs ${dockerd.argv} (${dockerd.argv@source})\n");
        put(h->dir, "skipped.rule",
                "[rule]\nid = skipped\ntitle = needs the API\nseverity = low\nwhen = docker.live_restore\n"
                "message = m\n");
        link = strdupf("%s/gone.rule", h->dir);
        ck_assert_int_eq(symlink("/dev/null", link), 0);
        ck_assert_msg(rule_set_load(&h->rules, dirs, &err) == 0, "%s", err);

        ck_assert_int_eq(facts_set_string(&h->facts, "unit.name", HOSTILE_NAME, "dbus:\033[2J"), 0);
        ck_assert_int_eq(facts_set_list(&h->facts, "dockerd.argv", argv, "/etc/default/\xfe:1"), 0);
        ck_assert_int_eq(findings_evaluate(&h->rules, &h->facts, &h->findings), 0);
        ck_assert_int_eq(facts_problems(&h->facts, &h->problems), 0);
        if (strict)
                ck_assert_int_eq(strict_problems(&h->findings, &h->problems), 0);
        ck_assert_int_eq(strv_consume(&h->problems, strdup("/etc/\033]0;x\007:1: " HOSTILE_NAME)), 0);
        h->report = (Report){
                .unit = HOSTILE_NAME,
                .root = "/tmp/\xff",
                .facts = &h->facts,
                .findings = &h->findings,
                .fail_on = SEVERITY_MEDIUM,
                .strict = strict,
                .exit_status = 2,
                .problems = h->problems,
                .disabled = h->rules.disabled,
                .disabled_by = h->rules.disabled_by,
        };
}

static inline void hostile_done(Hostile *h)
{
        findings_done(&h->findings);
        facts_done(&h->facts);
        rule_set_done(&h->rules);
        strv_free(h->problems);
        ck_assert_int_eq(rm_rf(h->dir), 0);
}

/* What a report function wrote into memory, NUL-terminated. */
static inline char *report_to_string(int (*fn)(const Report *, FILE *), const Report *r)
{
        char *buf = NULL;
        size_t n = 0;
        FILE *f = open_memstream(&buf, &n);

        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(fn(r, f), 0);
        ck_assert_int_eq(fclose(f), 0);
        return buf;
}

/* No byte of a terminal control sequence and nothing but UTF-8. */
static inline void assert_printable(const char *s)
{
        ck_assert_msg(utf8_is_valid(s), "not UTF-8: %s", s);
        for (const unsigned char *p = (const unsigned char *) s; *p; p++)
                ck_assert_msg(*p >= 0x20 || *p == '\n', "control character 0x%02x at %zu", *p,
                        (size_t) (p - (const unsigned char *) s));
}
