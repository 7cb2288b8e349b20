/* SPDX-License-Identifier: MIT */
/* The kernel facts of an offline image (collect_kernel() with --root): installed releases,
 * grubenv's saved_entry and the sysctl.d files that set fs.may_detach_mounts at boot. The
 * input is split at NULs: a release installed as /lib/modules/NAME (besides two fixed
 * ones), grubenv, /etc/sysctl.d/90-fuzz.conf and /usr/lib/sysctl.d/50-fuzz.conf. */
#include <sys/stat.h>

#include "collect/collect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[] = "/tmp/fuzz-kernel-offline.XXXXXX";

static void put(const char *rel, const char *text, size_t n)
{
        _cleanup_free_ char *p = strdupf("%s%s", root, rel);
        FILE *f = p ? fopen(p, "we") : NULL;

        if (!f)
                return;
        fwrite(text, 1, n, f);
        fclose(f);
}

static void make_root(void)
{
        static const char *const dirs[] = {"/boot", "/boot/grub2", "/etc", "/etc/sysctl.d", "/lib",
                "/lib/modules", "/lib/modules/3.10.0-693.el7.x86_64",
                "/lib/modules/3.10.0-514.26.2.el7.x86_64", "/usr", "/usr/lib", "/usr/lib/sysctl.d"};

        if (!mkdtemp(root))
                __builtin_trap();
        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                _cleanup_free_ char *p = strdupf("%s%s", root, dirs[i]);
                if (!p || mkdir(p, 0755) < 0)
                        __builtin_trap();
        }
}

/* The next NUL-terminated part of [*p, end). */
static const char *next_part(const char **p, const char *end, size_t *ret_len)
{
        const char *s = *p, *z = memchr(s, 0, (size_t) (end - s));

        *ret_len = (size_t) ((z ? z : end) - s);
        *p = z ? z + 1 : end;
        return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static bool ready;
        static const char *const files[] = {
                "/boot/grub2/grubenv", "/etc/sysctl.d/90-fuzz.conf", "/usr/lib/sysctl.d/50-fuzz.conf"};
        const char *p = (const char *) data, *end = p + size, *s;
        _cleanup_free_ char *release = NULL, *moddir = NULL;
        _cleanup_facts_ Facts f = {};
        CollectOptions o = {.unit = "docker.service", .root = root};
        const Fact *x;
        size_t n;

        if (size > 65536)
                return 0;
        if (!ready) {
                make_root();
                ready = true;
        }
        s = next_part(&p, end, &n);
        release = strndup(s, n);
        if (!release)
                return 0;
        /* A name readdir() can return: no '/', not "." or "..". */
        if (*release && !strchr(release, '/') && !streq(release, ".") && !streq(release, "..")) {
                moddir = strdupf("%s/lib/modules/%s", root, release);
                if (moddir && mkdir(moddir, 0755) < 0 && errno != EEXIST) {
                        free(moddir);
                        moddir = NULL;
                }
        }
        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                s = next_part(&p, end, &n);
                put(files[i], s, n);
        }
        if (collect_kernel(&f, &o) < 0)
                return 0;
        /* Offline, the release is always one of the installed ones. */
        x = facts_get(&f, "kernel.release");
        if (!x || !x->known)
                __builtin_trap();
        if (moddir && !streq(release, "3.10.0-693.el7.x86_64") &&
                !streq(release, "3.10.0-514.26.2.el7.x86_64"))
                (void) rmdir(moddir);
        return 0;
}
