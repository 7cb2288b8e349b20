/* SPDX-License-Identifier: MIT */
#include "collect/collect-unit-override.h"

#include "basic/root-file.h"
#include "basic/sha256.h"

static const char *const override_facts[] = {
        "unit_override.present",
        "unit_override.stale",
        "unit_override.vendor_path",
};

static bool is_hex64(const char *s, size_t n)
{
        if (n != 64)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!strchr("0123456789abcdef", s[i]))
                        return false;
        return true;
}

/* One line "MARK /path sha256:HEX" (len bytes at s). */
static int parse_mark(const char *s, size_t len, char **ret_vendor, char **ret_digest)
{
        const char *end = s + len, *path = s + strlen(UNIT_OVERRIDE_MARK), *d;

        while (end > path && strchr(" \t\r", end[-1]))
                end--;
        if (end - path < (ptrdiff_t) (1 + strlen(UNIT_OVERRIDE_DIGEST) + 64) || *path != '/')
                return 0;
        d = end - 64 - strlen(UNIT_OVERRIDE_DIGEST);
        if (!startswith(d, UNIT_OVERRIDE_DIGEST) || !is_hex64(end - 64, 64))
                return 0;
        *ret_vendor = strndup(path, (size_t) (d - path));
        *ret_digest = strndup(end - 64, 64);
        if (!*ret_vendor || !*ret_digest) {
                free(*ret_vendor);
                free(*ret_digest);
                *ret_vendor = *ret_digest = NULL;
                return -ENOMEM;
        }
        return 1;
}

int unit_override_header_parse(const char *text, char **ret_vendor, char **ret_digest, unsigned *ret_line)
{
        unsigned line = 1;

        *ret_vendor = *ret_digest = NULL;
        for (const char *s = text; *s; line++) {
                size_t len = strcspn(s, "\n");

                if (startswith(s, UNIT_OVERRIDE_MARK)) {
                        int r = parse_mark(s, len, ret_vendor, ret_digest);
                        if (r > 0)
                                *ret_line = line;
                        return r;
                }
                if (len > strspn(s, " \t\r") && s[0] != '#' && s[0] != ';')
                        return 0; /* the first setting or section: the header is over */
                s += len + (s[len] == '\n');
        }
        return 0;
}

/* The vendor file against the digest recorded: stale when it changed or is gone. */
static int collect_stale(Facts *f, const CollectOptions *o, const char *vendor, const char *digest)
{
        _cleanup_free_ char *text = NULL, *where = root_path(collect_files_root(o), vendor);
        char now[SHA256_HEX_SIZE];
        size_t size;
        int r;

        if (!where)
                return -ENOMEM;
        r = root_read_file(collect_files_root(o), vendor, &text, &size);
        if (r == -ENOENT)
                return facts_set_bool(f, "unit_override.stale", true, where) < 0 ? -ENOMEM : 0;
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return facts_set_unknown(
                        f, "unit_override.stale", "%s: cannot read: %s", where, read_strerror(r));
        if (sha256_hex(text, size, now) < 0)
                return -ENOMEM;
        if (!streq(now, digest)) {
                _cleanup_free_ char *src =
                        strdupf("%s (sha256 now %.12s..., copied at %.12s...)", where, now, digest);
                if (!src)
                        return -ENOMEM;
                return facts_set_bool(f, "unit_override.stale", true, src);
        }
        return facts_set_bool(f, "unit_override.stale", false, where);
}

int collect_unit_override(Facts *f, const CollectOptions *o)
{
        const char *frag = facts_get_string(f, "unit.fragment_path");
        _cleanup_free_ char *text = NULL, *vendor = NULL, *digest = NULL, *src = NULL;
        size_t size;
        unsigned line = 0;
        int r;

        if (!frag)
                return facts_set_unknown_all(f, override_facts, ELEMENTSOF(override_facts),
                        "the unit's fragment path is unknown");
        if (!*frag)
                return facts_set_bool(f, "unit_override.present", false, "the unit has no fragment file");
        r = root_read_file(collect_files_root(o), frag, &text, &size);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                _cleanup_free_ char *why = strdupf("%s: cannot read: %s", frag, read_strerror(r));
                return why ? facts_set_unknown_all(f, override_facts, ELEMENTSOF(override_facts), why)
                           : -ENOMEM;
        }
        r = unit_override_header_parse(text, &vendor, &digest, &line);
        if (r < 0)
                return r;
        if (r == 0)
                return facts_set_bool(f, "unit_override.present", false, frag);
        src = strdupf("%s:%u", frag, line);
        if (!src)
                return -ENOMEM;
        if ((r = facts_set_bool(f, "unit_override.present", true, src)) < 0 ||
                (r = facts_set_string(f, "unit_override.vendor_path", vendor, src)) < 0)
                return r;
        return collect_stale(f, o, vendor, digest);
}
