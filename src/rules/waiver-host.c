/* SPDX-License-Identifier: MIT */
/* The host a waiver's hosts= is matched against and the moment its expires= is compared
 * with: the audited host, not the one evaluating. A facts file says it in its "host"
 * object (the report's, and facts files once they carry it); a host audited here has its
 * name (under --root, the image's /etc/hostname). Small on purpose: host identity proper
 * (machine id, boot id, collection time in the facts) replaces these reads. */
#include "rules/waiver.h"

#include <jansson.h>

#include "basic/fileio.h"
#include "basic/root-file.h"
#include "formats/json-util.h"

int waiver_host_from_facts_file(const char *path, char **ret_hostname, int64_t *ret_time)
{
        _cleanup_free_ char *text = NULL;
        _cleanup_json_ json_t *doc = NULL;
        json_t *host, *name, *when;
        size_t size;
        int r;

        *ret_hostname = NULL;
        *ret_time = -1;
        r = read_full_file(path, &text, &size);
        if (r < 0)
                return r;
        doc = json_loadb(text, size, 0, NULL);
        if (!doc)
                return -EINVAL;
        host = json_object_get(doc, "host");
        name = json_object_get(host, "hostname");
        when = json_object_get(host, "time");
        if (json_is_string(when) && waiver_parse_rfc3339(json_string_value(when), ret_time) < 0)
                *ret_time = -1;
        if (json_is_string(name) && *json_string_value(name) && !streq(json_string_value(name), "unknown") &&
                !(*ret_hostname = strdup(json_string_value(name))))
                return -ENOMEM;
        return 0;
}

int waiver_host_local(const char *root, char **ret_hostname)
{
        _cleanup_free_ char *text = NULL;
        char h[256];
        size_t size, n;
        const char *s;

        *ret_hostname = NULL;
        if (!root_is_host(root)) {
                /* hostname(5): the first line, comments (#) ignored; no file: unknown. */
                if (root_read_file(root, "/etc/hostname", &text, &size) < 0)
                        return 0;
                for (s = text; *s; s += strcspn(s, "\n"), s += *s == '\n') {
                        s += strspn(s, " \t");
                        if (*s == '#' || *s == '\n' || !*s)
                                continue;
                        n = strcspn(s, " \t\n");
                        return (*ret_hostname = strndup(s, n)) ? 0 : -ENOMEM;
                }
                return 0;
        }
        if (gethostname(h, sizeof h) < 0)
                return 0;
        h[sizeof h - 1] = 0;
        return (*ret_hostname = strdup(h)) ? 0 : -ENOMEM;
}
