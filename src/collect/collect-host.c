/* SPDX-License-Identifier: MIT */
/* The audited host's identity: hostname, machine id, boot id and the collection time. */
#include "basic/root-file.h"
#include "basic/time-util.h"
#include "collect/collect.h"

/* The first line of PATH (inside root) that is neither empty nor a comment (systemd skips
 * those in /etc/hostname), stripped; *ret NULL with *ret_reason when it cannot be read or
 * holds no such line. -ENOMEM only. */
static int read_first_line(const char *root, const char *path, char **ret, char **ret_reason)
{
        _cleanup_free_ char *text = NULL, *where = root_path(root, path);
        char *line, *save = NULL;
        size_t size;
        int r;

        *ret = *ret_reason = NULL;
        if (!where)
                return -ENOMEM;
        r = root_read_file(root, path, &text, &size);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                *ret_reason = strdupf("%s: %s", where, read_strerror(r));
        else if (memchr(text, 0, size))
                *ret_reason = strdupf("%s: holds a NUL byte", where);
        if (r < 0 || *ret_reason)
                return *ret_reason ? 0 : -ENOMEM;
        for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                line = strstrip(line);
                if (*line && *line != '#') {
                        *ret = strdup(line);
                        return *ret ? 0 : -ENOMEM;
                }
        }
        *ret_reason = strdupf("%s: empty", where);
        return *ret_reason ? 0 : -ENOMEM;
}

/* 32 hex digits, as systemd's sd_id128 text form (lower case is what systemd writes). */
static bool id128_valid(const char *s, bool dashes)
{
        size_t n = 0;

        for (const char *p = s; *p; p++) {
                if (dashes && *p == '-')
                        continue;
                if (!strchr("0123456789abcdefABCDEF", *p))
                        return false;
                n++;
        }
        return n == 32;
}

/* Field f from PATH inside root, checked with id128_valid() when id is set. */
static int host_field_from_file(HostIdentity *h, HostField f, const char *root, const char *path, bool id)
{
        _cleanup_free_ char *v = NULL, *why = NULL, *where = NULL;

        if (read_first_line(root, path, &v, &why) < 0)
                return -ENOMEM;
        if (why)
                return host_identity_set_unknown(h, f, "%s", why);
        if (id && !id128_valid(v, f == HOST_BOOT_ID)) {
                where = root_path(root, path);
                if (!where)
                        return -ENOMEM;
                if (streq(v, "uninitialized"))
                        return host_identity_set_unknown(
                                h, f, "%s: uninitialized (first boot pending)", where);
                return host_identity_set_unknown(h, f, "%s: not a 128-bit id", where);
        }
        return host_identity_set(h, f, v);
}

static int host_hostname(HostIdentity *h, const char *root)
{
        char name[256];

        if (!root_is_host(root))
                return host_field_from_file(h, HOST_HOSTNAME, root, "/etc/hostname", false);
        if (gethostname(name, sizeof name) < 0)
                return host_identity_set_unknown(h, HOST_HOSTNAME, "gethostname(): %m");
        name[sizeof name - 1] = 0;
        return host_identity_set(h, HOST_HOSTNAME, name);
}

/* An sos report keeps the output of `hostname` (its host plugin), /etc/hostname only sometimes. */
static int host_hostname_sos(HostIdentity *h, const char *sos)
{
        _cleanup_free_ char *v = NULL, *why = NULL;

        if (read_first_line(sos, "/sos_commands/host/hostname", &v, &why) < 0)
                return -ENOMEM;
        if (v)
                return host_identity_set(h, HOST_HOSTNAME, v);
        return host_field_from_file(h, HOST_HOSTNAME, sos, "/etc/hostname", false);
}

int collect_host_identity(const CollectOptions *o, time_t now, HostIdentity *ret)
{
        _cleanup_(host_identity_done) HostIdentity h = {};
        /* an image or an sos report: its files; --host-root: the host's machine-id under it,
         * its name and boot from the kernel the container shares (--uts=host) */
        const char *root = o->sos ? o->sos : o->root, *files = root ? root : o->files_root;
        char when[32];
        int r;

        format_rfc3339(now, when);
        if ((o->sos ? host_hostname_sos(&h, o->sos) : host_hostname(&h, root)) < 0 ||
                host_field_from_file(&h, HOST_MACHINE_ID, files, "/etc/machine-id", true) < 0 ||
                host_identity_set(&h, HOST_TIME, when) < 0)
                return -ENOMEM;
        if (o->sos)
                r = host_field_from_file(&h, HOST_BOOT_ID, o->sos, "/proc/sys/kernel/random/boot_id", true);
        else if (root_is_host(root))
                r = host_field_from_file(&h, HOST_BOOT_ID, NULL, "/proc/sys/kernel/random/boot_id", true);
        else
                r = host_identity_set_unknown(&h, HOST_BOOT_ID, "offline image (--root): it has no boot");
        if (r < 0)
                return -ENOMEM;
        *ret = TAKE_STRUCT(h);
        return 0;
}
