/* SPDX-License-Identifier: MIT */
/* Reading the reports a summary is made of: every field the summary uses is checked for its
 * type here, so that the formats can trust the documents. Fields a report lacks (older
 * schemas: no host identity, no waivers) are simply absent; a field of the wrong type makes the
 * report malformed. */
#include <fcntl.h>
#include <sys/stat.h>

#include "basic/alloc-util.h"
#include "basic/dir-list.h"
#include "basic/error-util.h"
#include "basic/fileio.h"
#include "basic/string-util.h"
#include "basic/strv.h"
#include "formats/json-util.h"
#include "report/summary.h"

const char *summary_str(const json_t *o, const char *key)
{
        return json_string_value(json_object_get(o, key));
}

/* o.key must be absent, null or of the type check accepts. */
static bool member_ok(const json_t *o, const char *key, int (*check)(const json_t *))
{
        const json_t *v = json_object_get(o, key);

        return !v || json_is_null(v) || check(v);
}

static int is_string(const json_t *v)
{
        return json_is_string(v);
}
static int is_array(const json_t *v)
{
        return json_is_array(v);
}
static int is_object(const json_t *v)
{
        return json_is_object(v);
}
static int is_integer(const json_t *v)
{
        return json_is_integer(v);
}

/* One results[] entry: {"id": string, "status": string, ...}. NULL, or what is wrong. */
static const char *result_invalid(const json_t *e)
{
        static const char *const statuses[] = {"pass", "fail", "waived", "skip", "error", "disabled"};
        const char *status = summary_str(e, "status");

        if (!json_is_object(e))
                return "an entry of \"results\" is not an object";
        if (!summary_str(e, "id") || !status)
                return "an entry of \"results\" lacks its \"id\" or \"status\" string";
        if (summary_str(e, "severity") && severity_from_string(summary_str(e, "severity")) < 0)
                return "an entry of \"results\" has an unknown \"severity\"";
        for (size_t i = 0; i < ELEMENTSOF(statuses); i++)
                if (streq(status, statuses[i]))
                        return !member_ok(e, "severity", is_string) || !member_ok(e, "message", is_string) ||
                                               !member_ok(e, "title", is_string) ||
                                               !member_ok(e, "waiver", is_object)
                                       ? "an entry of \"results\" has a field of the wrong type"
                                       : NULL;
        return "an entry of \"results\" has an unknown \"status\"";
}

/* The parts of a report the summary reads. NULL, or what is wrong. */
static const char *report_invalid(const json_t *doc)
{
        const json_t *host = json_object_get(doc, "host"), *summary = json_object_get(doc, "summary"), *e;
        size_t i;

        if (!json_is_object(doc) || !streq_ptr(summary_str(doc, "schema"), "dockaudit-report/1"))
                return "not a dockaudit report (\"schema\" must be dockaudit-report/1)";
        if (!json_is_array(json_object_get(doc, "results")))
                return "\"results\" must be an array";
        if (!json_is_object(summary) || !json_is_integer(json_object_get(summary, "exit_status")))
                return "\"summary\" must be an object with an integer \"exit_status\"";
        if (!member_ok(doc, "host", is_object) || !member_ok(host, "hostname", is_string) ||
                !member_ok(host, "machine_id", is_string) || !member_ok(host, "time", is_string) ||
                !member_ok(doc, "problems", is_array) || !member_ok(doc, "waivers", is_object) ||
                !member_ok(json_object_get(doc, "waivers"), "stale", is_array) ||
                !member_ok(json_object_get(doc, "tool"), "rules_digest", is_string))
                return "\"host\", \"tool\", \"problems\" or \"waivers\" has a member of the wrong type";
        json_array_foreach(json_object_get(doc, "results"), i, e)
        {
                const char *bad = result_invalid(e);
                if (bad)
                        return bad;
        }
        json_array_foreach(json_object_get(doc, "problems"), i, e)
        {
                if (!json_is_string(e))
                        return "\"problems\" must hold strings";
        }
        json_array_foreach(json_object_get(json_object_get(doc, "waivers"), "stale"), i, e)
        {
                if (!json_is_object(e) || !member_ok(e, "rule", is_string) ||
                        !member_ok(e, "file", is_string) || !member_ok(e, "line", is_integer))
                        return "\"waivers.stale\" must hold objects with \"file\", \"line\" and \"rule\"";
        }
        return NULL;
}

/* The file name without its directory and ".json": the name of a host its report does not name. */
static char *name_from_file(const char *path)
{
        const char *b = strrchr(path, '/');
        char *n = strdup(b ? b + 1 : path);

        if (n && endswith(n, ".json") && strlen(n) > 5)
                n[strlen(n) - 5] = 0;
        return n;
}

/* host.time, else the file's modification time. */
static int host_set_time(SummaryHost *h, const struct stat *st, char **ret_error)
{
        h->time_text = summary_str(json_object_get(h->doc, "host"), "time");
        if (h->time_text && summary_parse_time(h->time_text, &h->time) < 0)
                return error_setf(ret_error, -EINVAL, "%s: host.time '%s' is not an RFC 3339 time", h->file,
                        h->time_text);
        if (!h->time_text) {
                h->time = st->st_mtime;
                h->time_from_file = true;
        }
        return 0;
}

static void host_done(SummaryHost *h)
{
        free(h->name);
        free(h->file);
        json_decref(h->doc);
        free(h->cells);
        strv_free(h->problems);
        *h = (SummaryHost){};
}

static SummaryHost *summary_find(Summary *s, const char *name)
{
        for (size_t i = 0; i < s->n_hosts; i++)
                if (streq(s->hosts[i].name, name))
                        return &s->hosts[i];
        return NULL;
}

/* Adds h, or replaces the host of the same name when h is newer; h is consumed. */
static int summary_put(Summary *s, SummaryHost *h)
{
        SummaryHost *old = summary_find(s, h->name);

        if (old) {
                if (old->missing || h->time > old->time ||
                        (h->time == old->time && strcmp(h->file, strempty(old->file)) > 0)) {
                        host_done(old);
                        *old = TAKE_STRUCT(*h);
                } else
                        host_done(h);
                return 0;
        }
        if (!greedy_realloc((void **) &s->hosts, s->n_hosts + 1, sizeof *s->hosts))
                return -ENOMEM;
        s->hosts[s->n_hosts++] = TAKE_STRUCT(*h);
        return 0;
}

int summary_add_file(Summary *s, const char *path, char **ret_error)
{
        _cleanup_(host_done) SummaryHost h = {.exit_status = -1};
        _cleanup_free_ char *text = NULL;
        _cleanup_close_ int fd = -EBADF;
        const char *bad, *hostname;
        json_error_t err;
        struct stat st;
        size_t size;
        int r;

        /* basic/fileio.h: a FIFO or device given as a report must not block. */
        fd = open_regular_at(AT_FDCWD, path, 0);
        if (fd < 0)
                return error_setf(ret_error, fd, "%s: %s", path, read_strerror(fd));
        if (fstat(fd, &st) < 0)
                return error_setf(ret_error, -errno, "%s: %m", path);
        r = read_full_fd(fd, &text, &size);
        if (r < 0)
                return r == -ENOMEM ? r : error_setf(ret_error, r, "%s: %s", path, read_strerror(r));
        h.file = strdup(path);
        if (!h.file)
                return -ENOMEM;
        h.doc = json_loadb(text, size, JSON_REJECT_DUPLICATES, &err);
        if (!h.doc)
                return error_setf(ret_error, -EINVAL, "%s:%d:%d: %s", path, err.line, err.column, err.text);
        bad = report_invalid(h.doc);
        if (bad)
                return error_setf(ret_error, -EINVAL, "%s: %s", path, bad);
        hostname = summary_str(json_object_get(h.doc, "host"), "hostname");
        h.name = hostname && *hostname ? strdup(hostname) : name_from_file(path);
        if (!h.name)
                return -ENOMEM;
        h.machine_id = summary_str(json_object_get(h.doc, "host"), "machine_id");
        h.rules_digest = summary_str(json_object_get(h.doc, "tool"), "rules_digest");
        h.exit_status =
                (int) json_integer_value(json_object_get(json_object_get(h.doc, "summary"), "exit_status"));
        r = host_set_time(&h, &st, ret_error);
        if (r < 0)
                return r;
        return summary_put(s, &h);
}

int summary_add_dir(Summary *s, const char *dir, char **ret_error)
{
        _cleanup_strv_free_ char **names = NULL;
        int r = dir_list_names(dir, false, ".json", "reports", &names, ret_error);

        for (char **n = names; r >= 0 && *n; n++) {
                _cleanup_free_ char *path = strdupf("%s%s%s", dir, endswith(dir, "/") ? "" : "/", *n);

                r = path ? summary_add_file(s, path, ret_error) : -ENOMEM;
        }
        return r;
}

int summary_expect(Summary *s, char *const *names)
{
        for (; names && *names; names++) {
                SummaryHost h = {.exit_status = -1, .missing = true};
                int r;

                if (!**names || summary_find(s, *names))
                        continue;
                h.name = strdup(*names);
                if (!h.name)
                        return -ENOMEM;
                r = summary_put(s, &h);
                if (r < 0) {
                        host_done(&h);
                        return r;
                }
        }
        return 0;
}

void summary_done(Summary *s)
{
        for (size_t i = 0; i < s->n_hosts; i++)
                host_done(&s->hosts[i]);
        free(s->hosts);
        free(s->rules);
        *s = (Summary){};
}
