/* SPDX-License-Identifier: MIT */
/* kernel.* facts: the release from /proc (uname(2) as fallback), what it says about the
 * mount leak, the fs.may_detach_mounts sysctl of RHEL/CentOS 7.4+ (now and as sysctl.d sets it
 * at boot) and fs.nr_open. */
#include <dirent.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "basic/fileio.h"
#include "basic/root-file.h"
#include "basic/vercmp.h"
#include "collect/collect.h"
#include "formats/kernel-release.h"
#include "systemd/sysctl-d.h"
#include "systemd/unit-lookup.h"

#define OSRELEASE "/proc/sys/kernel/osrelease"
#define MAY_DETACH "/proc/sys/fs/may_detach_mounts"
#define NR_OPEN "/proc/sys/fs/nr_open"

static const char *const derived[] = {
        "kernel.version", "kernel.rhel_build", "kernel.el", "kernel.leaks_mounts"};

static bool want(const Facts *f, const char *name, bool force)
{
        return force || !facts_get(f, name);
}

static int derive(Facts *f, bool force)
{
        const Fact *rel = facts_get(f, "kernel.release");
        _cleanup_free_ char *release = NULL, *source = NULL, *why = NULL;
        _cleanup_(kernel_release_done) KernelRelease k = {};
        int r;

        if (!rel || !rel->known) {
                why = strdup(rel ? strempty(rel->reason) : "not collected");
                if (!why)
                        return -ENOMEM;
                for (size_t i = 0; i < ELEMENTSOF(derived); i++)
                        if (want(f, derived[i], force) &&
                                (r = facts_set_unknown(
                                         f, derived[i], "kernel.release is unknown: %s", why)) < 0)
                                return r;
                return 0;
        }
        /* Copies: setting facts may move the array rel points into. */
        release = strdup(rel->str);
        source = rel->source ? strdup(rel->source) : NULL;
        if (!release || (rel->source && !source))
                return -ENOMEM;

        r = kernel_release_parse(release, &k);
        if (r == -EINVAL) {
                for (size_t i = 0; i < ELEMENTSOF(derived); i++)
                        if (want(f, derived[i], force) &&
                                (r = facts_set_unknown(f, derived[i],
                                         "cannot parse kernel release \"%s\" (no leading X.Y version)",
                                         release)) < 0)
                                return r;
                return 0;
        }
        if (r < 0)
                return r;

        if (want(f, "kernel.version", force) &&
                (r = facts_set_version(f, "kernel.version", k.version, source)) < 0)
                return r;
        if (want(f, "kernel.rhel_build", force)) {
                if (k.rhel_build)
                        r = facts_set_version(f, "kernel.rhel_build", k.rhel_build, source);
                else if (k.dist_tag)
                        r = facts_set_unknown(f, "kernel.rhel_build",
                                "not Red Hat's kernel line: \"%s\" carries the %s tag on mainline %s",
                                release, k.dist_tag, k.version);
                else
                        r = facts_set_unknown(f, "kernel.rhel_build",
                                "not a RHEL kernel (no .elN dist tag in \"%s\")", release);
                if (r < 0)
                        return r;
        }
        /* Known and empty for other kernels (EL-tagged third-party ones too), so that
         * kernel.el == "el7" is plainly false. */
        if (want(f, "kernel.el", force) &&
                (r = facts_set_string(f, "kernel.el", strempty(k.el), source)) < 0)
                return r;
        if (want(f, "kernel.leaks_mounts", force) &&
                (r = facts_set_bool(f, "kernel.leaks_mounts", k.leaks_mounts, source)) < 0)
                return r;
        return 0;
}

int kernel_derive_facts(Facts *f)
{
        return derive(f, false);
}

static int collect_release(Facts *f)
{
        _cleanup_free_ char *rel = NULL;
        struct utsname u;
        int r;

        r = read_one_line_file(OSRELEASE, &rel);
        if (r == -ENOMEM)
                return r;
        if (r >= 0 && *strstrip(rel))
                return facts_set_string(f, "kernel.release", strstrip(rel), OSRELEASE);
        if (uname(&u) < 0)
                return facts_set_unknown(f, "kernel.release", "%s: %s; uname(2): %s", OSRELEASE,
                        r < 0 ? strerror(-r) : "empty", strerror(errno));
        return facts_set_string(f, "kernel.release", u.release, "uname(2)");
}

/* A number from a /proc/sys file; unknown with the reason when it cannot be read. */
static int collect_proc_number(Facts *f, const char *name, const char *path)
{
        _cleanup_free_ char *s = NULL;
        long long v;
        int r;

        r = read_one_line_file(path, &s);
        if (r == -ENOENT)
                return facts_set_unknown(f, name, "%s: not present on this kernel", path);
        if (r == -EACCES || r == -EPERM)
                return facts_set_unknown(f, name, "%s: permission denied", path);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return facts_set_unknown(f, name, "%s: %s", path, strerror(-r));
        if (safe_atoi64(strstrip(s), &v) < 0)
                return facts_set_unknown(f, name, "%s: not a number: \"%s\"", path, s);
        return facts_set_number(f, name, v, path);
}

/* Names in dir (inside root) starting with prefix, the prefix removed: directories or files. */
static int list_dir(const char *root, const char *dir, const char *prefix, bool want_dir, char ***l)
{
        _cleanup_free_ char *canon = NULL, *full = NULL;
        struct dirent *de;
        DIR *d;
        int r = 0;

        if (unit_lookup_chase(root, dir, &canon) < 0)
                return 0;
        if (!(full = root_path(root, canon)))
                return -ENOMEM;
        if (!(d = opendir(full)))
                return 0;
        while (r >= 0 && (de = readdir(d))) {
                const char *rel = startswith(de->d_name, prefix);
                _cleanup_free_ char *p = NULL;
                struct stat st;

                /* vmlinuz-0-rescue-MACHINEID is dracut's rescue image, not a kernel release */
                if (!rel || !*rel || rel[0] == '.' || startswith(rel, "0-rescue-") || strv_contains(*l, rel))
                        continue;
                if (!(p = strdupf("%s/%s", full, de->d_name))) {
                        r = -ENOMEM;
                        break;
                }
                if (stat(p, &st) < 0 || (want_dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)))
                        continue;
                r = strv_extend(l, rel);
        }
        closedir(d);
        return r;
}

static int cmp_newest_first(const void *a, const void *b)
{
        return -rpmvercmp(*(char *const *) a, *(char *const *) b);
}

/* The boot loader's default: the longest installed release named in grubenv's saved_entry
 * (a menu title on EL7, "MACHINEID-RELEASE" with BLS). NULL when there is none. */
static const char *grub_default(const char *root, char *const *releases, const char **ret_file)
{
        static const char *const envs[] = {"/boot/grub2/grubenv", "/boot/grub/grubenv"};
        const char *best = NULL;

        for (size_t i = 0; i < ELEMENTSOF(envs) && !best; i++) {
                _cleanup_free_ char *data = NULL;
                char *line, *save = NULL;

                if (root_read_file(root, envs[i], &data, NULL) < 0)
                        continue;
                for (line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                        const char *v = startswith(line, "saved_entry=");
                        if (!v)
                                continue;
                        for (char *const *k = releases; *k; k++)
                                if (strstr(v, *k) && (!best || strlen(*k) > strlen(best)))
                                        best = *k;
                }
                if (best)
                        *ret_file = envs[i];
        }
        return best;
}

/* --root: the kernels installed in the image, not the running one. */
static int collect_installed(Facts *f, const char *root)
{
        _cleanup_strv_free_ char **rel = calloc(1, sizeof(char *));
        _cleanup_free_ char *src = NULL, *rsrc = NULL, *mods = root_path(root, "/lib/modules/*"),
                            *boot = root_path(root, "/boot/vmlinuz-*");
        const char *pick, *grubfile = NULL;
        size_t n;
        int r;

        if (!rel || !mods || !boot)
                return -ENOMEM;
        if ((r = list_dir(root, "/lib/modules", "", true, &rel)) < 0 ||
                (r = list_dir(root, "/boot", "vmlinuz-", false, &rel)) < 0)
                return r;
        n = strv_length(rel);
        qsort(rel, n, sizeof(char *), cmp_newest_first);
        src = strdupf("%s, %s", mods, boot);
        if (!src || (r = facts_set_list(f, "kernel.installed", rel, src)) < 0)
                return src ? r : -ENOMEM;
        if (n == 0)
                return facts_set_unknown(f, "kernel.release", "offline: no kernel installed in %s", src);
        pick = grub_default(root, rel, &grubfile);
        if (pick) {
                _cleanup_free_ char *g = root_path(root, grubfile);
                rsrc = g ? strdupf("%s saved_entry (default boot entry; %zu installed)", g, n) : NULL;
        } else {
                pick = rel[0];
                rsrc = strdupf("newest of %zu installed kernels (%s)", n, src);
        }
        return rsrc ? facts_set_string(f, "kernel.release", pick, rsrc) : -ENOMEM;
}

/* The last assignment of key in the sysctl.d files systemd-sysctl applies at boot (sysctl.d(5):
 * sorted by file name across the directories, later assignments win). *ret_value NULL when
 * none sets it. A file that cannot be read may set it: the value is unknown (returns 0 with
 * *ret_unreadable set), and a problem when report is set (once per file: the first lookup). */
static int sysctl_d_lookup(Facts *f, const char *root, const char *key, bool report, char **ret_value,
        char **ret_source, bool *ret_unreadable)
{
        _cleanup_strv_free_ char **files = NULL;
        int r;

        *ret_value = *ret_source = NULL;
        *ret_unreadable = false;
        if ((r = sysctl_d_files(root, &files)) < 0)
                return r;
        for (char **p = files; *p; p++) {
                _cleanup_free_ char *data = NULL, *value = NULL, *shown = root_path(root, *p);
                unsigned line;

                if (!shown)
                        return -ENOMEM;
                if (unit_lookup_is_mask(root, *p))
                        continue;
                r = root_read_file(root, *p, &data, NULL);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        *ret_unreadable = true;
                        if (report && (r = facts_add_problem(
                                               f, "%s: cannot read: %s", shown, read_strerror(r))) < 0)
                                return r;
                        continue;
                }
                if ((r = sysctl_text_lookup(data, key, &value, &line)) <= 0) {
                        if (r < 0)
                                return r;
                        continue;
                }
                free(*ret_value);
                free(*ret_source);
                *ret_value = TAKE_PTR(value);
                if (!(*ret_source = strdupf("%s:%u (sysctl.d, applied at boot)", shown, line)))
                        return -ENOMEM;
        }
        return 0;
}

/* A sysctl's boot value from sysctl.d as the number fact name, with FILE:LINE; unknown when a file
 * cannot be read (*ret_unreadable set) or the value is not a number. 1 when the fact was set, 0
 * when no file sets key (nothing set). */
static int sysctl_d_number(
        Facts *f, const char *root, const char *key, const char *name, bool report, bool *ret_unreadable)
{
        _cleanup_free_ char *value = NULL, *source = NULL;
        long long v;
        int r;

        if ((r = sysctl_d_lookup(f, root, key, report, &value, &source, ret_unreadable)) < 0)
                return r;
        if (*ret_unreadable)
                r = facts_set_unknown(f, name, "a sysctl.d file that may set %s could not be read", key);
        else if (!value)
                return 0;
        else if (safe_atoi64(value, &v) < 0)
                r = facts_set_unknown(f, name, "%s: %s is not a number: \"%s\"", source, key, value);
        else
                r = facts_set_number(f, name, v, source);
        return r < 0 ? r : 1;
}

/* kernel.may_detach_mounts_persistent: what fs.may_detach_mounts is set to at every boot, and
 * kernel.sysctl_d_read. 1 when a sysctl.d file sets it (or may: unreadable), 0 when none does. */
static int collect_may_detach_persistent(Facts *f, const char *root)
{
        bool unreadable;
        int r, set;

        set = sysctl_d_number(
                f, root, "fs.may_detach_mounts", "kernel.may_detach_mounts_persistent", true, &unreadable);
        if (set < 0)
                return set;
        if (set == 0 && (r = facts_set_unknown(f, "kernel.may_detach_mounts_persistent",
                                 "not set in sysctl.d: no sysctl.d file sets fs.may_detach_mounts")) < 0)
                return r;
        /* Each unreadable file is a problem already (the lookup above); this says it to the rules. */
        r = unreadable ? facts_set_unknown(f, "kernel.sysctl_d_read", "a sysctl.d file could not be read")
                       : facts_set_bool(f, "kernel.sysctl_d_read", true,
                                 "sysctl.d (/etc, /run, /usr/local/lib, /usr/lib, /lib)");
        return r < 0 ? r : set;
}

/* --root: fs.may_detach_mounts exists only on RHEL/CentOS 7.4+ kernels (3.10.0-693.el7 and later),
 * where it defaults to 0; its boot value is the sysctl.d setting (kernel.may_detach_mounts_persistent,
 * when in_sysctl_d), else that default. */
static int collect_may_detach_offline(Facts *f, bool in_sysctl_d)
{
        const Fact *rel = facts_get(f, "kernel.release"),
                   *p = facts_get(f, "kernel.may_detach_mounts_persistent");
        _cleanup_(kernel_release_done) KernelRelease k = {};
        _cleanup_free_ char *why = NULL, *source = NULL;
        long long v;
        bool has;
        int r;

        if (!rel || !rel->known)
                return facts_set_unknown(f, "kernel.may_detach_mounts", "offline: no installed kernel");
        r = kernel_release_parse(rel->str, &k);
        if (r == -ENOMEM)
                return r;
        has = r >= 0 && k.el && streq(k.el, "el7") && rpmvercmp(k.rhel_build, KERNEL_RHEL7_FIXED_BUILD) >= 0;
        if (!has)
                return facts_set_unknown(f, "kernel.may_detach_mounts",
                        "offline: not present on kernel %s (RHEL/CentOS 7.4+ only)", rel->str);
        if (!in_sysctl_d || !p)
                return facts_set_number(f, "kernel.may_detach_mounts", 0,
                        "kernel default (no sysctl.d file sets fs.may_detach_mounts)");
        /* Copies: setting a fact may move the array p points into. */
        v = p->num;
        if (!(source = strdup(strempty(p->source))) || !(why = strdup(strempty(p->reason))))
                return -ENOMEM;
        return p->known ? facts_set_number(f, "kernel.may_detach_mounts", v, source)
                        : facts_set_unknown(f, "kernel.may_detach_mounts", "%s", why);
}

/* --root: the running kernel's fs.nr_open says nothing about the image. At boot the kernel's
 * default (1048576) is raised to the maximum by systemd >= 240 (PID 1), then systemd-sysctl
 * applies sysctl.d: only a sysctl.d setting is known for sure. */
static int collect_nr_open_offline(Facts *f, const char *root)
{
        bool unreadable;
        int r;

        r = sysctl_d_number(f, root, "fs.nr_open", "kernel.nr_open", false, &unreadable);
        if (r != 0)
                return r < 0 ? r : 0;
        return facts_set_unknown(f, "kernel.nr_open",
                "offline: set at boot (kernel default 1048576, raised by systemd >= 240); not set in "
                "sysctl.d");
}

int collect_kernel(Facts *f, const CollectOptions *o)
{
        const char *root = o ? o->root : NULL;
        int r, in_sysctl_d;

        r = root ? collect_installed(f, root) : collect_release(f);
        if (r < 0 || (!root && (r = facts_set_unknown(f, "kernel.installed",
                                        "listed only offline (--root): the running kernel is audited")) < 0))
                return r;
        /* Before the offline sysctl value, which is this boot value. */
        if ((in_sysctl_d = collect_may_detach_persistent(f, root)) < 0)
                return in_sysctl_d;
        if (root) {
                if ((r = collect_may_detach_offline(f, in_sysctl_d > 0)) < 0 ||
                        (r = collect_nr_open_offline(f, root)) < 0)
                        return r;
        } else if ((r = collect_proc_number(f, "kernel.may_detach_mounts", MAY_DETACH)) < 0 ||
                   (r = collect_proc_number(f, "kernel.nr_open", NR_OPEN)) < 0)
                return r;
        return derive(f, true);
}
