/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the offline loader on a fake root. Input: byte 0 picks the layout (which
 * files are links, masks, aliases), bytes 1.. are a symlink target (up to the first NUL) and
 * then the file contents used for the fragment, a drop-in and dpkg's status file. */
#include <sys/stat.h>

#include "systemd/unit-offline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[] = "/tmp/fuzz-unit-offline.XXXXXX";

static void put(const char *rel, const char *text, size_t n)
{
        _cleanup_free_ char *p = strdupf("%s%s", root, rel);
        FILE *f = p ? fopen(p, "we") : NULL;

        if (!f)
                return;
        fwrite(text, 1, n, f);
        fclose(f);
}

static void link_(const char *target, const char *rel)
{
        _cleanup_free_ char *p = strdupf("%s%s", root, rel);
        if (p)
                (void) symlink(target, p);
}

static void clear(const char *rel)
{
        _cleanup_free_ char *p = strdupf("%s%s", root, rel);
        if (p)
                (void) unlink(p);
}

static const char *const files[] = {
        "/etc/systemd/system/docker.service",
        "/lib/systemd/system/docker.service",
        "/etc/systemd/system/docker.service.d/a.conf",
        "/etc/systemd/system/service.d/b.conf",
        "/etc/systemd/system/docker-.service.d/c.conf",
        "/etc/systemd/system/moby.service",
        "/var/lib/dpkg/status",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static bool ready;
        _cleanup_(unit_info_done) UnitInfo u = {};
        _cleanup_(unit_settings_done) UnitSettings s = {};
        _cleanup_free_ char *err = NULL, *target = NULL;
        char *const env[] = {NULL};
        const char *body;
        size_t tlen, blen;
        unsigned sel;

        if (size < 1 || size > 65536)
                return 0;
        if (!ready) {
                static const char *const dirs[] = {"/etc", "/etc/systemd", "/etc/systemd/system",
                        "/etc/systemd/system/docker.service.d", "/etc/systemd/system/service.d",
                        "/etc/systemd/system/docker-.service.d", "/lib", "/lib/systemd",
                        "/lib/systemd/system", "/var", "/var/lib", "/var/lib/dpkg"};
                if (!mkdtemp(root))
                        __builtin_trap();
                for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                        _cleanup_free_ char *p = strdupf("%s%s", root, dirs[i]);
                        if (!p || mkdir(p, 0755) < 0)
                                __builtin_trap();
                }
                ready = true;
        }
        sel = data[0];
        tlen = strnlen((const char *) data + 1, size - 1);
        target = strndup((const char *) data + 1, tlen);
        if (!target)
                return 0;
        body = (const char *) data + 1 + tlen + (tlen < size - 1);
        blen = size - (size_t) (body - (const char *) data);

        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                clear(files[i]);
                if (sel & (1u << i))
                        link_(target, files[i]); /* any target text: must never leave root */
                else
                        put(files[i], body, blen);
        }
        if (unit_info_read_offline_env(
                    root, false, (sel & 0x80) ? "moby.service" : "docker.service", env, &u, &s, &err) < 0)
                return 0;
        if (!u.load_state || !u.fragment_path || !u.dropin_paths)
                __builtin_trap();
        for (char **d = u.dropin_paths; *d; d++)
                if ((*d)[0] != '/')
                        __builtin_trap();
        return 0;
}
