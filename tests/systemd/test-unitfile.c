/* SPDX-License-Identifier: MIT */
#include <check.h>

#include "check-run.h"
#include <dirent.h>

#include "systemd/unitfile.h"

#define LONG_LINE_MAX (1024U * 1024U)

static UnitFile *parse_n(const char *data, size_t size)
{
        UnitFile *u = NULL;

        ck_assert_int_eq(unit_file_parse("/x/a.service", data, size, &u), 0);
        ck_assert_ptr_nonnull(u);
        return u;
}

static UnitFile *parse(const char *data)
{
        return parse_n(data, strlen(data));
}

static void assert_assignment(
        const UnitFile *u, size_t i, const char *section, const char *key, const char *value, unsigned line)
{
        ck_assert_uint_gt(u->n_assignments, i);
        ck_assert_str_eq(u->assignments[i].section, section);
        ck_assert_str_eq(u->assignments[i].key, key);
        ck_assert_str_eq(u->assignments[i].value, value);
        ck_assert_uint_eq(u->assignments[i].line, line);
}

START_TEST(test_basic)
{
        _cleanup_unit_file_ UnitFile *u = parse("[Unit]\n"
                                                "Description=Docker\n"
                                                "\n"
                                                "[Service]\n"
                                                "  ExecStart =  /usr/bin/dockerd -H fd://  \n"
                                                "Environment=A=b=c\n");

        ck_assert_int_eq(u->fatal, 0);
        ck_assert_ptr_null(u->fatal_msg);
        ck_assert(strv_isempty(u->warnings));
        ck_assert_uint_eq(u->n_assignments, 3);
        assert_assignment(u, 0, "Unit", "Description", "Docker", 2);
        assert_assignment(u, 1, "Service", "ExecStart", "/usr/bin/dockerd -H fd://", 5);
        /* split at the first '=' */
        assert_assignment(u, 2, "Service", "Environment", "A=b=c", 6);
        ck_assert_uint_eq(u->n_sections, 2);
        ck_assert_str_eq(u->sections[1].name, "Service");
        ck_assert_uint_eq(u->sections[1].line, 4);
        ck_assert_str_eq(u->path, "/x/a.service");
}
END_TEST

START_TEST(test_line_ends)
{
        /* \n, \r, \r\n, \n\r and NUL each end one line. */
        static const char data[] = "[S]\nA=1\rB=2\r\nC=3\n\rD=4\0E=5\r\n\0F=6\n\0";
        _cleanup_unit_file_ UnitFile *u = parse_n(data, sizeof data - 1);

        ck_assert_int_eq(u->fatal, 0);
        ck_assert_uint_eq(u->n_assignments, 6);
        assert_assignment(u, 0, "S", "A", "1", 2);
        assert_assignment(u, 1, "S", "B", "2", 3);
        assert_assignment(u, 2, "S", "C", "3", 4);
        assert_assignment(u, 3, "S", "D", "4", 5);
        assert_assignment(u, 4, "S", "E", "5", 6);
        assert_assignment(u, 5, "S", "F", "6", 7);
}
END_TEST

START_TEST(test_line_ends_repeated)
{
        /* A repeated marker starts a new (empty) line; a NUL ends the run, so "\0\n" is two ends. */
        static const char data[] = "[S]\n\nA=1\r\rB=2\0\nC=3\n\r\nD=4";
        _cleanup_unit_file_ UnitFile *u = parse_n(data, sizeof data - 1);

        ck_assert_uint_eq(u->n_assignments, 4);
        assert_assignment(u, 0, "S", "A", "1", 3);
        assert_assignment(u, 1, "S", "B", "2", 5);
        assert_assignment(u, 2, "S", "C", "3", 7);
        assert_assignment(u, 3, "S", "D", "4", 9);
}
END_TEST

START_TEST(test_nul_ends_line)
{
        /* The text after a NUL is a new line, not dropped and not part of the value. */
        static const char data[] = "[Service]\nMountFlags=slave\0MountFlags=shared\n";
        _cleanup_unit_file_ UnitFile *u = parse_n(data, sizeof data - 1);

        ck_assert_uint_eq(u->n_assignments, 2);
        assert_assignment(u, 0, "Service", "MountFlags", "slave", 2);
        assert_assignment(u, 1, "Service", "MountFlags", "shared", 3);
}
END_TEST

START_TEST(test_continuation_crlf)
{
        /* The example of systemd-reference.md 1.3: 4 spaces, with LF and with CRLF ends. */
        _cleanup_unit_file_ UnitFile *u = parse("[Unit]\nDescription=crlf \\\n  cont\n");
        _cleanup_unit_file_ UnitFile *w = parse("[Unit]\r\nDescription=crlf \\\r\n  cont\r\n");

        assert_assignment(u, 0, "Unit", "Description", "crlf    cont", 2);
        assert_assignment(w, 0, "Unit", "Description", "crlf    cont", 2);
        ck_assert_uint_eq(w->n_assignments, 1);
}
END_TEST

START_TEST(test_continuation_comment)
{
        _cleanup_unit_file_ UnitFile *u = parse("[Service]\n"
                                                "ExecStart=/usr/bin/dockerd \\\n"
                                                "# this comment is skipped\n"
                                                "    -H fd://\n"
                                                "Type=notify\n");
        /* systemd.syntax(7) "Section C": comments inside, indentation kept. */
        _cleanup_unit_file_ UnitFile *c = parse("[Section C]\n"
                                                "KeyThree=value 3\\\n"
                                                "# this line is ignored\n"
                                                "; this line is ignored too\n"
                                                "       and continues\n");

        ck_assert_uint_eq(u->n_assignments, 2);
        assert_assignment(u, 0, "Service", "ExecStart", "/usr/bin/dockerd      -H fd://", 2);
        assert_assignment(u, 1, "Service", "Type", "notify", 5);
        assert_assignment(c, 0, "Section C", "KeyThree", "value 3        and continues", 2);
}
END_TEST

START_TEST(test_continuation_rules)
{
        /* "\\" at the end is an escaped backslash: no continuation, kept in the value. */
        _cleanup_unit_file_ UnitFile *a = parse("[S]\nA=x\\\\\nB=y\n");
        /* backslash then space: no continuation (checked before trimming), backslash kept */
        _cleanup_unit_file_ UnitFile *b = parse("[S]\nA=foo \\ \nB=y\n");
        /* an empty line ends the continuation */
        _cleanup_unit_file_ UnitFile *c = parse("[S]\nA=x \\\n\nB=y\n");
        /* an open continuation at EOF is parsed */
        _cleanup_unit_file_ UnitFile *d = parse("[S]\nA=x \\\n  y \\");
        /* a comment ending in a backslash inside a continuation is just skipped */
        _cleanup_unit_file_ UnitFile *e = parse("[S]\nA=x\\\n# c \\\nB\n");
        /* a continued section header */
        _cleanup_unit_file_ UnitFile *f = parse("[Ser\\\nvice]\nA=1\n");
        /* the continuation of a line with an escaped backslash before the last one */
        _cleanup_unit_file_ UnitFile *g = parse("[S]\nA=a\\\\\\\nb\n");

        ck_assert_uint_eq(a->n_assignments, 2);
        assert_assignment(a, 0, "S", "A", "x\\\\", 2);
        ck_assert_uint_eq(b->n_assignments, 2);
        assert_assignment(b, 0, "S", "A", "foo \\", 2);
        ck_assert_uint_eq(c->n_assignments, 2);
        assert_assignment(c, 0, "S", "A", "x", 2);
        assert_assignment(c, 1, "S", "B", "y", 4);
        ck_assert_uint_eq(d->n_assignments, 1);
        assert_assignment(d, 0, "S", "A", "x    y", 2);
        ck_assert_uint_eq(e->n_assignments, 1);
        assert_assignment(e, 0, "S", "A", "x B", 2);
        ck_assert_int_eq(f->fatal, 0);
        assert_assignment(f, 0, "Ser vice", "A", "1", 3);
        assert_assignment(g, 0, "S", "A", "a\\\\ b", 2);
}
END_TEST

START_TEST(test_comments)
{
        _cleanup_unit_file_ UnitFile *u = parse("# top\n"
                                                "; top\n"
                                                "[Service]\n"
                                                "   # indented\n"
                                                "\t; indented\n"
                                                "ExecStart=/bin/x # not a comment\n"
                                                "Description=a ; b\n");

        ck_assert(strv_isempty(u->warnings));
        ck_assert_uint_eq(u->n_assignments, 2);
        assert_assignment(u, 0, "Service", "ExecStart", "/bin/x # not a comment", 6);
        assert_assignment(u, 1, "Service", "Description", "a ; b", 7);
}
END_TEST

START_TEST(test_section_header_comment_fatal)
{
        _cleanup_unit_file_ UnitFile *u = parse("[Unit]\nDescription=x\n[Service] # x\nMountFlags=slave\n");

        ck_assert_int_eq(u->fatal, -EBADMSG);
        ck_assert_uint_eq(u->fatal_line, 3);
        ck_assert_str_eq(u->fatal_msg, "/x/a.service:3: Invalid section header '[Service] # x'");
        /* earlier assignments stay, later lines are not parsed */
        ck_assert_uint_eq(u->n_assignments, 1);
        assert_assignment(u, 0, "Unit", "Description", "x", 2);
}
END_TEST

START_TEST(test_section_headers)
{
        _cleanup_unit_file_ UnitFile *a =
                parse("[ Service ]\nA=1\n[service]\nB=2\n[]\nC=3\n  [Service]  \nD=4\n");
        _cleanup_unit_file_ UnitFile *b = parse("[Serv\"ice]\nA=1\n");
        _cleanup_unit_file_ UnitFile *c = parse("[Service]\nA=1\n[\nB=2\n");
        _cleanup_unit_file_ UnitFile *d = parse("[Serv\\ice]\n");
        _cleanup_unit_file_ UnitFile *e = parse("[Serv\tice]\n");
        _cleanup_unit_file_ UnitFile *f = parse("[Serv\x7fice]\n");
        _cleanup_unit_file_ UnitFile *g = parse("[Service\n");

        ck_assert_int_eq(a->fatal, 0);
        ck_assert_uint_eq(a->n_assignments, 4);
        assert_assignment(a, 0, " Service ", "A", "1", 2); /* untrimmed */
        assert_assignment(a, 1, "service", "B", "2", 4); /* case kept */
        assert_assignment(a, 2, "", "C", "3", 6);
        assert_assignment(a, 3, "Service", "D", "4", 8);
        ck_assert_uint_eq(a->n_sections, 4);

        ck_assert_int_eq(b->fatal, -EBADMSG);
        ck_assert_uint_eq(b->fatal_line, 1);
        ck_assert_str_eq(b->fatal_msg, "/x/a.service:1: Bad characters in section header");
        ck_assert_uint_eq(b->n_assignments, 0);
        ck_assert_int_eq(c->fatal, -EBADMSG);
        ck_assert_uint_eq(c->fatal_line, 3);
        ck_assert_uint_eq(c->n_assignments, 1);
        ck_assert_int_eq(d->fatal, -EBADMSG);
        ck_assert_int_eq(e->fatal, -EBADMSG);
        ck_assert_int_eq(f->fatal, -EBADMSG);
        ck_assert_int_eq(g->fatal, -EBADMSG);
}
END_TEST

START_TEST(test_warnings)
{
        _cleanup_unit_file_ UnitFile *u = parse("A=1\n"
                                                "[Service]\n"
                                                "NoEquals\n"
                                                "=value\n"
                                                "  = value\n"
                                                "K=\n");

        ck_assert_int_eq(u->fatal, 0);
        ck_assert_uint_eq(strv_length(u->warnings), 4);
        ck_assert_str_eq(u->warnings[0], "/x/a.service:1: Assignment outside of section. Ignoring.");
        ck_assert_str_eq(u->warnings[1], "/x/a.service:3: Missing '=', ignoring line.");
        ck_assert_str_eq(u->warnings[2], "/x/a.service:4: Missing key name before '=', ignoring line.");
        ck_assert_str_eq(u->warnings[3], "/x/a.service:5: Missing key name before '=', ignoring line.");
        ck_assert_uint_eq(u->n_assignments, 1);
        assert_assignment(u, 0, "Service", "K", "", 6);
}
END_TEST

START_TEST(test_warning_cap)
{
        _cleanup_sb_ StrBuf b = {};
        _cleanup_unit_file_ UnitFile *u = NULL;

        ck_assert_int_eq(sb_append(&b, "[Service]\n"), 0);
        for (int i = 0; i < 3000; i++)
                ck_assert_int_eq(sb_append(&b, "junk\n"), 0);
        ck_assert_int_eq(sb_append(&b, "A=1\n"), 0);
        u = parse_n(b.buf, b.len);
        ck_assert_uint_eq(strv_length(u->warnings), 1001);
        ck_assert_str_eq(u->warnings[999], "/x/a.service:1001: Missing '=', ignoring line.");
        ck_assert_str_eq(u->warnings[1000], "/x/a.service:1002: Too many warnings, not showing more.");
        assert_assignment(u, 0, "Service", "A", "1", 3002);
}
END_TEST

START_TEST(test_dropin_starts_without_section)
{
        /* every file starts outside any section */
        _cleanup_unit_file_ UnitFile *u = parse("MountFlags=shared\n[Service]\nMountFlags=slave\n");

        ck_assert_uint_eq(strv_length(u->warnings), 1);
        ck_assert_uint_eq(u->n_assignments, 1);
        assert_assignment(u, 0, "Service", "MountFlags", "slave", 3);
}
END_TEST

START_TEST(test_utf8)
{
        _cleanup_unit_file_ UnitFile *ok = parse("[Unit]\nDescription=caf\xc3\xa9\n");
        _cleanup_unit_file_ UnitFile *latin1 = parse("[Unit]\nA=1\nDescription=caf\xe9\nB=2\n");
        _cleanup_unit_file_ UnitFile *nonchar = parse("[Unit]\nDescription=\xef\xbf\xbe\n");
        _cleanup_unit_file_ UnitFile *fdd0 = parse("[Unit]\nDescription=\xef\xb7\x90\n");
        _cleanup_unit_file_ UnitFile *overlong = parse("[Unit]\nDescription=\xc0\xaf\n");
        _cleanup_unit_file_ UnitFile *comment = parse("[Unit]\n# caf\xe9\nA=1\n");

        ck_assert_int_eq(ok->fatal, 0);
        assert_assignment(ok, 0, "Unit", "Description", "caf\xc3\xa9", 2);
        ck_assert_int_eq(latin1->fatal, -EINVAL);
        ck_assert_uint_eq(latin1->fatal_line, 3);
        ck_assert_uint_eq(latin1->n_assignments, 1);
        ck_assert_ptr_nonnull(strstr(latin1->fatal_msg, "/x/a.service:3: "));
        ck_assert_int_eq(nonchar->fatal, -EINVAL);
        ck_assert_int_eq(fdd0->fatal, -EINVAL);
        ck_assert_int_eq(overlong->fatal, -EINVAL);
        /* comment lines are dropped before the check */
        ck_assert_int_eq(comment->fatal, 0);
        ck_assert_uint_eq(comment->n_assignments, 1);

        ck_assert(unit_utf8_is_valid("\xf0\x9f\x98\x80", 4));
        ck_assert(!unit_utf8_is_valid("\xf4\x8f\xbf\xbf", 4)); /* U+10FFFF is a noncharacter */
        ck_assert(!unit_utf8_is_valid("\xed\xa0\x80", 3)); /* surrogate */
        ck_assert(unit_utf8_is_valid("\xef\xbb\xbf", 3)); /* U+FEFF is fine */
}
END_TEST

static char *long_line_file(size_t value_len, const char *tail, size_t *ret_size)
{
        /* "[S]\n" + "A=" + value + tail; the physical line is 2 + value_len bytes */
        size_t head = 4, n = head + 2 + value_len + strlen(tail);
        char *d = malloc(n + 1);

        ck_assert_ptr_nonnull(d);
        memcpy(d, "[S]\nA=", 6);
        memset(d + 6, 'x', value_len);
        memcpy(d + 6 + value_len, tail, strlen(tail) + 1);
        *ret_size = n;
        return d;
}

START_TEST(test_line_limit)
{
        size_t n;
        _cleanup_free_ char *ok = long_line_file(LONG_LINE_MAX - 1 - 2, "\nB=1\n", &n);
        _cleanup_unit_file_ UnitFile *u = parse_n(ok, n);
        _cleanup_free_ char *bad = long_line_file(LONG_LINE_MAX - 2, "\nB=1\n", &n);
        _cleanup_unit_file_ UnitFile *v = parse_n(bad, n);
        _cleanup_free_ char *bad_eof = long_line_file(LONG_LINE_MAX - 2, "", &n);
        _cleanup_unit_file_ UnitFile *w = parse_n(bad_eof, n);

        /* 1 048 575 bytes: fine */
        ck_assert_int_eq(u->fatal, 0);
        ck_assert_uint_eq(u->n_assignments, 2);
        ck_assert_uint_eq(strlen(u->assignments[0].value), LONG_LINE_MAX - 3);
        /* 1 048 576 bytes: fatal, even though the newline follows; nothing after it is parsed */
        ck_assert_int_eq(v->fatal, -ENOBUFS);
        ck_assert_uint_eq(v->fatal_line, 2);
        ck_assert_str_eq(v->fatal_msg, "/x/a.service:2: Line too long");
        ck_assert_uint_eq(v->n_assignments, 0);
        ck_assert_int_eq(w->fatal, -ENOBUFS);
}
END_TEST

START_TEST(test_continuation_limit)
{
        /* A joined line may reach 1 048 576 bytes but not more. */
        size_t n1 = 0, n2 = 0, k = LONG_LINE_MAX - 1 - 3; /* line 2 = "A=" + k x + "\" */
        _cleanup_free_ char *a = long_line_file(k, "\\\ny\n", &n1);
        _cleanup_free_ char *b = long_line_file(k, "\\\nyz\n", &n2);
        _cleanup_unit_file_ UnitFile *u = parse_n(a, n1);
        _cleanup_unit_file_ UnitFile *v = parse_n(b, n2);

        ck_assert_int_eq(u->fatal, 0);
        ck_assert_uint_eq(u->n_assignments, 1);
        ck_assert_uint_eq(strlen(u->assignments[0].value), LONG_LINE_MAX - 2);
        ck_assert_int_eq(v->fatal, -ENOBUFS);
        ck_assert_uint_eq(v->fatal_line, 3);
        ck_assert_str_eq(v->fatal_msg, "/x/a.service:3: Continuation line too long");
}
END_TEST

START_TEST(test_bom)
{
        _cleanup_unit_file_ UnitFile *a = parse("\xef\xbb\xbf[Service]\nA=1\n");
        /* the comment check runs first: "BOM# c" is text, outside any section */
        _cleanup_unit_file_ UnitFile *b = parse("\xef\xbb\xbf# comment\n[Service]\nA=1\n");
        /* stripped once only, from the first line that has one */
        _cleanup_unit_file_ UnitFile *c = parse("[Service]\n\xef\xbb\xbf"
                                                "A=1\n\xef\xbb\xbf"
                                                "B=2\n");

        ck_assert_int_eq(a->fatal, 0);
        assert_assignment(a, 0, "Service", "A", "1", 2);
        ck_assert_int_eq(b->fatal, 0);
        ck_assert_uint_eq(strv_length(b->warnings), 1);
        ck_assert_str_eq(b->warnings[0], "/x/a.service:1: Assignment outside of section. Ignoring.");
        ck_assert_uint_eq(c->n_assignments, 2);
        assert_assignment(c, 0, "Service", "A", "1", 2);
        assert_assignment(c, 1, "Service",
                "\xef\xbb\xbf"
                "B",
                "2", 3);
}
END_TEST

START_TEST(test_empty_and_load)
{
        _cleanup_unit_file_ UnitFile *u = parse_n("", 0);
        UnitFile *v = NULL;

        ck_assert_uint_eq(u->n_assignments, 0);
        ck_assert_int_eq(u->fatal, 0);
        ck_assert_int_eq(unit_file_load("/nonexistent/dir/docker.service", &v), -ENOENT);
        ck_assert_ptr_null(v);
        ck_assert_ptr_null(unit_file_free(NULL));
}
END_TEST

static UnitFile *load_fixture(const char *name)
{
        _cleanup_free_ char *p = strdupf("%s/units/%s", FIXTURES, name);
        UnitFile *u = NULL;

        ck_assert_int_eq(unit_file_load(p, &u), 0);
        ck_assert_int_eq(u->fatal, 0);
        ck_assert(strv_isempty(u->warnings));
        return u;
}

static const UnitAssignment *find(const UnitFile *u, const char *section, const char *key, size_t nth)
{
        for (size_t i = 0; i < u->n_assignments; i++)
                if (streq(u->assignments[i].section, section) && streq(u->assignments[i].key, key) &&
                        nth-- == 0)
                        return &u->assignments[i];
        return NULL;
}

START_TEST(test_corpus_units)
{
        static const char *const names[] = {
                "moby-v1.5.0-docker.service",
                "moby-v1.11.2-docker.service",
                "moby-v1.12.0-docker.service",
                "moby-v1.12.0-docker.service.rpm",
                "moby-v17.03.0-ce-docker.service",
                "moby-master-b985e23-docker.service",
                "moby-master-rootless-setuptool-template-docker.service",
                "docker-ce-packaging-v17.06.0-ce-rpm-docker.service",
                "docker-ce-packaging-v18.03.1-ce-deb-docker.service",
                "docker-ce-packaging-18.09-docker.service",
                "docker-ce-packaging-20.10-docker.service",
                "centos-virt7-docker-2-1.13.1-2-docker.service",
                "ubuntu-focal-docker.io-20.10.21-docker.io.docker.service",
                "dropins/haxorof-mountflags-slave.conf",
        };

        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                _cleanup_unit_file_ UnitFile *u = load_fixture(names[i]);
                ck_assert_uint_gt(u->n_assignments, 0);
        }
}
END_TEST

START_TEST(test_corpus_values)
{
        _cleanup_unit_file_ UnitFile *m = load_fixture("moby-v1.11.2-docker.service");
        _cleanup_unit_file_ UnitFile *c = load_fixture("centos-virt7-docker-2-1.13.1-2-docker.service");
        _cleanup_unit_file_ UnitFile *d = load_fixture("dropins/haxorof-mountflags-slave.conf");
        _cleanup_unit_file_ UnitFile *r =
                load_fixture("moby-master-rootless-setuptool-template-docker.service");
        const UnitAssignment *a;

        a = find(m, "Service", "MountFlags", 0);
        ck_assert_ptr_nonnull(a);
        ck_assert_str_eq(a->value, "slave");
        ck_assert_uint_eq(a->line, 13);
        a = find(m, "Service", "ExecStart", 0);
        ck_assert_str_eq(a->value, "/usr/bin/docker daemon -H fd://");
        ck_assert_uint_eq(a->line, 12);
        ck_assert_str_eq(find(m, "Install", "WantedBy", 0)->value, "multi-user.target");

        /* 14 physical lines joined, indentation kept */
        a = find(c, "Service", "ExecStart", 0);
        ck_assert_ptr_nonnull(a);
        ck_assert_uint_eq(a->line, 14);
        ck_assert_ptr_nonnull(strstr(a->value, "/usr/bin/dockerd-current            --add-runtime oci="));
        ck_assert(endswith(a->value, "$BLOCK_REGISTRY            $INSECURE_REGISTRY"));
        ck_assert_str_eq(find(c, "Service", "EnvironmentFile", 2)->value, "-/etc/sysconfig/docker-network");
        ck_assert_str_eq(find(c, "Service", "ExecReload", 0)->value, "/bin/kill -s HUP $MAINPID");
        ck_assert_uint_eq(find(c, "Service", "ExecReload", 0)->line, 28);

        /* no trailing newline in the drop-in */
        ck_assert_uint_eq(d->n_assignments, 1);
        assert_assignment(d, 0, "Service", "MountFlags", "slave", 3);

        ck_assert_str_eq(find(r, "Service", "ExecStart", 0)->value,
                "$BIN/dockerd-rootless.sh $DOCKERD_ROOTLESS_SH_FLAGS");
        ck_assert_str_eq(find(r, "Service", "ExecReload", 0)->value, "/bin/kill -s HUP \\$MAINPID");
}
END_TEST

static char *read_fuzz_body(const char *dir, const char *name, size_t *ret_size)
{
        _cleanup_free_ char *p = strdupf("%s/%s", dir, name), *data = NULL;
        size_t n, skip;
        char *body;

        ck_assert_int_eq(read_full_file(p, &data, &n), 0);
        /* line 1 names the unit type */
        skip = strcspn(data, "\n");
        skip = skip < n ? skip + 1 : n;
        body = malloc(n - skip + 1);
        ck_assert_ptr_nonnull(body);
        memcpy(body, data + skip, n - skip);
        body[n - skip] = 0;
        *ret_size = n - skip;
        return body;
}

START_TEST(test_systemd_fuzz_corpus)
{
        _cleanup_free_ char *dir = strdupf("%s/systemd-fuzz-unit-file", FIXTURES);
        DIR *d = opendir(dir);
        struct dirent *de;
        unsigned files = 0, fatal = 0;

        ck_assert_ptr_nonnull(d);
        while ((de = readdir(d))) {
                _cleanup_unit_file_ UnitFile *u = NULL;
                _cleanup_free_ char *body = NULL;
                size_t n;

                if (de->d_name[0] == '.' || streq(de->d_name, "PROVENANCE.md"))
                        continue;
                body = read_fuzz_body(dir, de->d_name, &n);
                ck_assert_int_eq(unit_file_parse(de->d_name, body, n, &u), 0);
                files++;

                ck_assert(u->fatal == 0 || u->fatal == -ENOBUFS || u->fatal == -EINVAL ||
                          u->fatal == -EBADMSG);
                if (u->fatal) {
                        fatal++;
                        ck_assert_ptr_nonnull(u->fatal_msg);
                        ck_assert(startswith(u->fatal_msg, de->d_name));
                        ck_assert_uint_ge(u->fatal_line, 1);
                } else
                        ck_assert_ptr_null(u->fatal_msg);
                for (size_t i = 0; i < u->n_assignments; i++) {
                        const UnitAssignment *a = &u->assignments[i];

                        ck_assert_uint_ge(a->line, 1);
                        if (i > 0)
                                ck_assert_uint_gt(a->line, u->assignments[i - 1].line);
                        if (u->fatal)
                                ck_assert_uint_lt(a->line, u->fatal_line);
                        ck_assert(*a->key);
                        ck_assert(!strchr(" \t\r\n", a->key[0]) &&
                                  !strchr(" \t\r\n", a->key[strlen(a->key) - 1]));
                        ck_assert(!strchr(a->key, '='));
                        ck_assert(!*a->value || (!strchr(" \t\r\n", a->value[0]) &&
                                                        !strchr(" \t\r\n", a->value[strlen(a->value) - 1])));
                        ck_assert(unit_utf8_is_valid(a->value, strlen(a->value)));
                        ck_assert_uint_le(strlen(a->value), LONG_LINE_MAX);
                }
                for (char **w = u->warnings; w && *w; w++)
                        ck_assert(startswith(*w, de->d_name));
        }
        closedir(d);
        ck_assert_uint_eq(files, 32);
        ck_assert_uint_gt(fatal, 0);
}
END_TEST

START_TEST(test_systemd_fuzz_known)
{
        _cleanup_free_ char *dir = strdupf("%s/systemd-fuzz-unit-file", FIXTURES);
        _cleanup_free_ char *body = NULL, *body2 = NULL;
        _cleanup_unit_file_ UnitFile *u = NULL, *v = NULL;
        size_t n;

        body = read_fuzz_body(dir, "systemd-resolved.service", &n);
        ck_assert_int_eq(unit_file_parse("r", body, n, &u), 0);
        ck_assert_int_eq(u->fatal, 0);
        ck_assert(strv_isempty(u->warnings));
        ck_assert_ptr_nonnull(find(u, "Service", "ExecStart", 0));

        body2 = read_fuzz_body(dir, "directives-all.service", &n);
        ck_assert_int_eq(unit_file_parse("d", body2, n, &v), 0);
        /* every directive name with an empty value, but no section header: all dropped */
        ck_assert_int_eq(v->fatal, 0);
        ck_assert_uint_eq(v->n_assignments, 0);
        ck_assert_uint_eq(strv_length(v->warnings), 981); /* 982 lines, one a comment */
        ck_assert_str_eq(v->warnings[0], "d:1: Assignment outside of section. Ignoring.");
}
END_TEST

static Suite *unitfile_suite(void)
{
        Suite *s = suite_create("unitfile");
        TCase *tc = tcase_create("core");

        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, test_basic);
        tcase_add_test(tc, test_line_ends);
        tcase_add_test(tc, test_line_ends_repeated);
        tcase_add_test(tc, test_nul_ends_line);
        tcase_add_test(tc, test_continuation_crlf);
        tcase_add_test(tc, test_continuation_comment);
        tcase_add_test(tc, test_continuation_rules);
        tcase_add_test(tc, test_comments);
        tcase_add_test(tc, test_section_header_comment_fatal);
        tcase_add_test(tc, test_section_headers);
        tcase_add_test(tc, test_warnings);
        tcase_add_test(tc, test_warning_cap);
        tcase_add_test(tc, test_dropin_starts_without_section);
        tcase_add_test(tc, test_utf8);
        tcase_add_test(tc, test_line_limit);
        tcase_add_test(tc, test_continuation_limit);
        tcase_add_test(tc, test_bom);
        tcase_add_test(tc, test_empty_and_load);
        tcase_add_test(tc, test_corpus_units);
        tcase_add_test(tc, test_corpus_values);
        tcase_add_test(tc, test_systemd_fuzz_corpus);
        tcase_add_test(tc, test_systemd_fuzz_known);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(unitfile_suite());
}
