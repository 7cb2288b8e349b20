/* SPDX-License-Identifier: MIT */
/* %-specifiers as systemd v252 unit_full_printf() (src/core/unit-printf.c) and
 * specifier_printf() (src/shared/specifier.c). The set of letters was checked against
 * systemd-analyze verify of 252.39: every other letter or digit is -EBADSLT. */
#include "systemd/specifier.h"

#include <grp.h>
#include <pwd.h>
#include <sys/utsname.h>

#include "basic/path-util.h"
#include "basic/root-file.h"

#define LONG_LINE_MAX (1U * 1024U * 1024U)

/* ---- unit names (src/basic/unit-name.c) ---- */

static int unit_name(const SpecifierContext *ctx, const char **ret)
{
        const char *n = ctx->unit_name;

        /* A unit name needs a suffix; everything below relies on it. */
        if (!n || !strrchr(n, '.') || n[0] == '.' || n[0] == '@')
                return -EINVAL;
        *ret = n;
        return 0;
}

/* "foo@bar.service" -> "foo"; "docker.service" -> "docker". */
static int unit_prefix(const SpecifierContext *ctx, char **ret)
{
        const char *n, *e;
        int r = unit_name(ctx, &n);

        if (r < 0)
                return r;
        e = strchr(n, '@');
        if (!e)
                e = strrchr(n, '.');
        *ret = strndup(n, (size_t) (e - n));
        return *ret ? 0 : -ENOMEM;
}

/* The instance, "" when there is none. */
static int unit_instance(const SpecifierContext *ctx, char **ret)
{
        const char *n, *at, *dot;
        int r = unit_name(ctx, &n);

        if (r < 0)
                return r;
        at = strchr(n, '@');
        dot = strrchr(n, '.');
        if (!at || at > dot)
                *ret = strdup("");
        else
                *ret = strndup(at + 1, (size_t) (dot - at - 1));
        return *ret ? 0 : -ENOMEM;
}

/* unit_name_unescape(): '-' -> '/', "\xHH" -> byte, any other '\' is an error. */
static int unit_unescape(const char *f, char **ret)
{
        _cleanup_sb_ StrBuf b = {};
        int r = 0;

        for (; *f && r >= 0; f++) {
                if (*f == '-')
                        r = sb_putc(&b, '/');
                else if (*f == '\\') {
                        int a, c;

                        if (f[1] != 'x' || (a = unhexchar(f[2])) < 0 || (c = unhexchar(f[3])) < 0)
                                return -EINVAL;
                        r = sb_putc(&b, (char) (a << 4 | c));
                        f += 3;
                } else
                        r = sb_putc(&b, *f);
        }
        if (r < 0)
                return r;
        *ret = sb_steal(&b);
        return *ret ? 0 : -ENOMEM;
}

/* unit_name_path_unescape(): "-" is "/", else unescape and prefix a slash. */
static int unit_path_unescape(const char *f, char **ret)
{
        _cleanup_free_ char *w = NULL;
        int r;

        if (!*f)
                return -EINVAL;
        if (streq(f, "-")) {
                *ret = strdup("/");
                return *ret ? 0 : -ENOMEM;
        }
        r = unit_unescape(f, &w);
        if (r < 0)
                return r;
        if (w[0] == '/' || endswith(w, "/"))
                return -EINVAL;
        *ret = strdupf("/%s", w);
        if (!*ret)
                return -ENOMEM;
        if (!path_is_normalized(*ret)) {
                free(*ret);
                *ret = NULL;
                return -EINVAL;
        }
        return 0;
}

/* ---- host values ---- */

static int read_rooted(const SpecifierContext *ctx, const char *path, char **ret, size_t *ret_size)
{
        _cleanup_free_ char *full = NULL;

        if (!ctx->root)
                return read_full_file(path, ret, ret_size);
        full = root_path(ctx->root, path);
        if (!full)
                return -ENOMEM;
        return read_full_file(full, ret, ret_size);
}

/* "3d1219c7..." from a plain 32-hex or a UUID formatted id, lower case. */
static int format_id128(const char *s, char **ret)
{
        char out[33];
        size_t n = 0;

        for (; *s && *s != '\n'; s++) {
                if (*s == '-' && n > 0)
                        continue;
                if (unhexchar(*s) < 0 || n >= 32)
                        return -EINVAL;
                out[n++] = (char) (*s >= 'A' && *s <= 'F' ? *s - 'A' + 'a' : *s);
        }
        if (n != 32)
                return -EINVAL;
        out[32] = 0;
        *ret = strdup(out);
        return *ret ? 0 : -ENOMEM;
}

static int spec_machine_id(const SpecifierContext *ctx, char **ret)
{
        _cleanup_free_ char *s = NULL;
        int r;

        r = read_rooted(ctx, "/etc/machine-id", &s, NULL);
        if (r < 0)
                return r;
        if (strncmp(s, "uninitialized", 13) == 0 || s[0] == '\0' || s[0] == '\n')
                return -ENOMEDIUM;
        return format_id128(s, ret);
}

static int spec_boot_id(char **ret)
{
        _cleanup_free_ char *s = NULL;
        int r;

        /* A property of the running kernel, never under --root. */
        r = read_one_line_file("/proc/sys/kernel/random/boot_id", &s);
        if (r < 0)
                return r;
        return format_id128(s, ret);
}

/* systemd's FALLBACK_HOSTNAME (Debian: "localhost") replaces an unset host name. */
static int spec_hostname(const SpecifierContext *ctx, char **ret)
{
        struct utsname u;

        if (ctx->root) {
                _cleanup_free_ char *s = NULL;

                if (read_rooted(ctx, "/etc/hostname", &s, NULL) >= 0) {
                        char *save = NULL;

                        for (char *l = strtok_r(s, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                                strstrip(l);
                                if (l[0] && l[0] != '#') {
                                        *ret = strdup(l);
                                        return *ret ? 0 : -ENOMEM;
                                }
                        }
                }
        }
        if (uname(&u) < 0)
                return -errno;
        *ret = strdup(u.nodename[0] && !streq(u.nodename, "(none)") ? u.nodename : "localhost");
        return *ret ? 0 : -ENOMEM;
}

static int spec_short_hostname(const SpecifierContext *ctx, char **ret)
{
        int r = spec_hostname(ctx, ret);

        if (r >= 0)
                (*ret)[strcspn(*ret, ".")] = 0;
        return r;
}

/* Value of KEY in an os-release/machine-info style file: shell-like quoting. NULL if unset. */
static int env_style_get(const char *data, const char *key, char **ret)
{
        size_t kl = strlen(key);

        *ret = NULL;
        for (const char *l = data; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
                _cleanup_sb_ StrBuf b = {};
                const char *v;
                char q = 0;
                int r = 0;

                l += strspn(l, " \t");
                if (strncmp(l, key, kl) != 0 || l[kl] != '=')
                        continue;
                v = l + kl + 1;
                for (; *v && (q || *v != '\n') && r >= 0; v++) {
                        if (q == '\'' && *v == '\'')
                                q = 0;
                        else if (q == '\'')
                                r = sb_putc(&b, *v);
                        else if (*v == '\\' && v[1] && v[1] != '\n')
                                r = sb_putc(&b, *++v);
                        else if (*v == q)
                                q = 0;
                        else if (!q && (*v == '"' || *v == '\''))
                                q = *v;
                        else
                                r = sb_putc(&b, *v);
                }
                if (r < 0)
                        return r;
                free(*ret);
                *ret = sb_steal(&b);
                if (!*ret)
                        return -ENOMEM;
                strstrip(*ret);
        }
        return 0;
}

static int spec_os_release(const SpecifierContext *ctx, const char *field, char **ret)
{
        _cleanup_free_ char *s = NULL;
        int r;

        r = read_rooted(ctx, "/etc/os-release", &s, NULL);
        if (r == -ENOENT)
                r = read_rooted(ctx, "/usr/lib/os-release", &s, NULL);
        if (r < 0)
                return r;
        r = env_style_get(s, field, ret);
        if (r >= 0 && !*ret) {
                /* A missing field resolves to "". */
                *ret = strdup("");
                if (!*ret)
                        return -ENOMEM;
        }
        return r;
}

static int spec_pretty_hostname(const SpecifierContext *ctx, char **ret)
{
        _cleanup_free_ char *s = NULL;

        if (read_rooted(ctx, "/etc/machine-info", &s, NULL) >= 0) {
                int r = env_style_get(s, "PRETTY_HOSTNAME", ret);
                if (r < 0)
                        return r;
                if (*ret && (*ret)[0])
                        return 0;
                free(*ret);
                *ret = NULL;
        }
        return spec_short_hostname(ctx, ret);
}

/* systemd's architecture names (src/basic/architecture.c). */
static int spec_architecture(char **ret)
{
        static const char *const map[][2] = {
                {"x86_64", "x86-64"},
                {"i386", "x86"},
                {"i486", "x86"},
                {"i586", "x86"},
                {"i686", "x86"},
                {"aarch64", "arm64"},
                {"aarch64_be", "arm64-be"},
                {"ppc64le", "ppc64-le"},
                {"ppc64", "ppc64"},
                {"ppcle", "ppc-le"},
                {"ppc", "ppc"},
                {"s390x", "s390x"},
                {"s390", "s390"},
                {"riscv64", "riscv64"},
                {"riscv32", "riscv32"},
                {"loongarch64", "loongarch64"},
                {"mips64", "mips64"},
                {"mips", "mips"},
                {"parisc64", "parisc64"},
                {"parisc", "parisc"},
                {"sparc64", "sparc64"},
                {"sparc", "sparc"},
                {"alpha", "alpha"},
                {"ia64", "ia64"},
                {"sh", "sh"},
                {"m68k", "m68k"},
                {"arc", "arc"},
        };
        struct utsname u;
        const char *a = NULL;

        if (uname(&u) < 0)
                return -errno;
        for (size_t i = 0; i < ELEMENTSOF(map) && !a; i++)
                if (streq(u.machine, map[i][0]))
                        a = map[i][1];
        if (!a && strncmp(u.machine, "arm", 3) == 0)
                a = endswith(u.machine, "b") ? "arm-be" : "arm";
        *ret = strdup(a ? a : u.machine);
        return *ret ? 0 : -ENOMEM;
}

static int spec_kernel_release(char **ret)
{
        struct utsname u;

        if (uname(&u) < 0)
                return -errno;
        *ret = strdup(u.release);
        return *ret ? 0 : -ENOMEM;
}

static const char *xdg_dir(const char *env)
{
        const char *e = getenv(env);
        return e && e[0] == '/' ? e : NULL;
}

static int spec_home(const SpecifierContext *ctx, char **ret)
{
        const char *h = ctx->home;

        if (!h && !ctx->user)
                h = "/root";
        if (!h)
                h = xdg_dir("HOME");
        if (!h) {
                struct passwd *pw = getpwuid(getuid());
                h = pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : NULL;
        }
        if (!h)
                return -ENXIO;
        *ret = strdup(h);
        return *ret ? 0 : -ENOMEM;
}

static int spec_runtime_dir(const SpecifierContext *ctx, char **ret)
{
        const char *t = ctx->runtime_dir;

        if (!t)
                t = ctx->user ? xdg_dir("XDG_RUNTIME_DIR") : "/run";
        if (!t)
                return -ENXIO;
        *ret = strdup(t);
        return *ret ? 0 : -ENOMEM;
}

/* %S %C %L %E: fixed for the system manager, XDG dirs (v252 man page) for the user manager. */
static int spec_special_dir(const SpecifierContext *ctx, char letter, char **ret)
{
        _cleanup_free_ char *home = NULL;
        const char *sys, *xdg_env, *xdg_default, *sub;
        const char *x;
        int r;

        switch (letter) {
        case 'S':
                sys = "/var/lib", xdg_env = "XDG_CONFIG_HOME", xdg_default = ".config", sub = "";
                break;
        case 'C':
                sys = "/var/cache", xdg_env = "XDG_CACHE_HOME", xdg_default = ".cache", sub = "";
                break;
        case 'L':
                sys = "/var/log", xdg_env = "XDG_CONFIG_HOME", xdg_default = ".config", sub = "/log";
                break;
        default:
                sys = "/etc", xdg_env = "XDG_CONFIG_HOME", xdg_default = ".config", sub = "";
                break;
        }
        if (!ctx->user) {
                *ret = strdup(sys);
                return *ret ? 0 : -ENOMEM;
        }
        x = xdg_dir(xdg_env);
        if (x)
                *ret = strdupf("%s%s", x, sub);
        else {
                r = spec_home(ctx, &home);
                if (r < 0)
                        return r;
                *ret = strdupf("%s/%s%s", home, xdg_default, sub);
        }
        return *ret ? 0 : -ENOMEM;
}

/* %u %U %g %G: root for the system manager, the caller's ids for the user manager. */
static int spec_creds(const SpecifierContext *ctx, char letter, char **ret)
{
        uid_t uid = ctx->user ? getuid() : 0;
        gid_t gid = ctx->user ? getgid() : 0;

        switch (letter) {
        case 'U':
                *ret = strdupf("%u", (unsigned) uid);
                break;
        case 'G':
                *ret = strdupf("%u", (unsigned) gid);
                break;
        case 'u': {
                struct passwd *pw = uid == 0 ? NULL : getpwuid(uid);
                *ret = uid == 0 ? strdup("root") : pw ? strdup(pw->pw_name) : strdupf("%u", (unsigned) uid);
                break;
        }
        default: {
                struct group *gr = gid == 0 ? NULL : getgrgid(gid);
                *ret = gid == 0 ? strdup("root") : gr ? strdup(gr->gr_name) : strdupf("%u", (unsigned) gid);
                break;
        }
        }
        return *ret ? 0 : -ENOMEM;
}

static int spec_shell(const SpecifierContext *ctx, char **ret)
{
        const char *s = NULL;

        /* PID 1 has no $SHELL; root's shell is the compiled-in default (Debian: /bin/bash). */
        if (ctx->user) {
                struct passwd *pw;

                s = xdg_dir("SHELL");
                if (!s && (pw = getpwuid(getuid())) && pw->pw_shell && pw->pw_shell[0] == '/')
                        s = pw->pw_shell;
        }
        *ret = strdup(s ? s : ctx->user ? "/bin/sh" : "/bin/bash");
        return *ret ? 0 : -ENOMEM;
}

/* Deprecated %c %r %R: the cgroup layout of a real manager (the default slice). */
static int spec_cgroup(const SpecifierContext *ctx, char letter, char **ret)
{
        _cleanup_free_ char *root = NULL;
        const char *n;
        int r;

        if (ctx->user)
                root = strdupf("/user.slice/user-%u.slice/user@%u.service", (unsigned) getuid(),
                        (unsigned) getuid());
        else
                root = strdup("");
        if (!root)
                return -ENOMEM;
        if (letter == 'R') {
                *ret = TAKE_PTR(root);
                return 0;
        }
        if (letter == 'r') {
                *ret = strdupf("%s/%s", root, ctx->user ? "app.slice" : "system.slice");
                return *ret ? 0 : -ENOMEM;
        }
        r = unit_name(ctx, &n);
        if (r < 0)
                return r;
        *ret = strdupf("%s/%s/%s", root, ctx->user ? "app.slice" : "system.slice", n);
        return *ret ? 0 : -ENOMEM;
}

/* %y %Y: the fragment's real path, or its directory. */
static int spec_real_path(const SpecifierContext *ctx, char letter, char **ret)
{
        bool dir = letter == 'Y';
        char *p;

        if (!ctx->fragment_path)
                return -ENOENT;
        /* Under --root the link targets belong to another tree: keep the path as given. */
        if (ctx->root)
                p = strdup(ctx->fragment_path);
        else {
                p = realpath(ctx->fragment_path, NULL);
                if (!p)
                        return errno == ENOMEM ? -ENOMEM : -errno;
        }
        if (!p)
                return -ENOMEM;
        if (dir) {
                char *s = strrchr(p, '/');
                if (s == p)
                        s[1] = 0;
                else if (s)
                        *s = 0;
        }
        *ret = p;
        return 0;
}

/* %n %N %p %P %i %I %j %J %f: the unit's name and its parts. */
static int spec_unit_name(const SpecifierContext *ctx, char letter, char **ret)
{
        _cleanup_free_ char *t = NULL;
        const char *n, *dash;
        int r;

        switch (letter) {
        case 'n':
        case 'N':
                r = unit_name(ctx, &n);
                if (r < 0)
                        return r;
                *ret = letter == 'n' ? strdup(n) : strndup(n, (size_t) (strrchr(n, '.') - n));
                return *ret ? 0 : -ENOMEM;
        case 'p':
                return unit_prefix(ctx, ret);
        case 'P':
                r = unit_prefix(ctx, &t);
                return r < 0 ? r : unit_unescape(t, ret);
        case 'i':
                return unit_instance(ctx, ret);
        case 'I':
                r = unit_instance(ctx, &t);
                return r < 0 ? r : unit_unescape(t, ret);
        case 'j':
        case 'J':
                r = unit_prefix(ctx, &t);
                if (r < 0)
                        return r;
                dash = strrchr(t, '-');
                if (letter == 'j') {
                        *ret = strdup(dash ? dash + 1 : t);
                        return *ret ? 0 : -ENOMEM;
                }
                return unit_unescape(dash ? dash + 1 : t, ret);
        default: /* 'f' */
                /* The instance as a path if there is one (even empty: then an error), else the prefix. */
                r = unit_name(ctx, &n);
                if (r < 0)
                        return r;
                r = strchr(n, '@') < strrchr(n, '.') && strchr(n, '@') ? unit_instance(ctx, &t)
                                                                       : unit_prefix(ctx, &t);
                return r < 0 ? r : unit_path_unescape(t, ret);
        }
}

/* %t %d: the runtime directory and the unit's credentials directory in it. */
static int spec_runtime(const SpecifierContext *ctx, char letter, char **ret)
{
        _cleanup_free_ char *t = NULL;
        const char *n;
        int r;

        if (letter == 't')
                return spec_runtime_dir(ctx, ret);
        r = unit_name(ctx, &n);
        if (r < 0)
                return r;
        if (!ctx->user) {
                *ret = strdupf("/run/credentials/%s", n);
                return *ret ? 0 : -ENOMEM;
        }
        r = spec_runtime_dir(ctx, &t);
        if (r < 0)
                return r;
        *ret = strdupf("%s/credentials/%s", t, n);
        return *ret ? 0 : -ENOMEM;
}

/* %a %b %H %l %q %m %v and the os-release fields %A %B %M %o %w %W: the machine. */
static int spec_machine(const SpecifierContext *ctx, char letter, char **ret)
{
        static const struct {
                char letter;
                const char *field;
        } os_release[] = {
                {'A', "IMAGE_VERSION"},
                {'B', "BUILD_ID"},
                {'M', "IMAGE_ID"},
                {'o', "ID"},
                {'w', "VERSION_ID"},
                {'W', "VARIANT_ID"},
        };

        for (size_t i = 0; i < ELEMENTSOF(os_release); i++)
                if (os_release[i].letter == letter)
                        return spec_os_release(ctx, os_release[i].field, ret);
        switch (letter) {
        case 'a':
                return spec_architecture(ret);
        case 'b':
                return spec_boot_id(ret);
        case 'H':
                return spec_hostname(ctx, ret);
        case 'l':
                return spec_short_hostname(ctx, ret);
        case 'q':
                return spec_pretty_hostname(ctx, ret);
        case 'm':
                return spec_machine_id(ctx, ret);
        default: /* 'v' */
                return spec_kernel_release(ret);
        }
}

/* %h %s %T %V: the user's home and shell, the temporary directories. */
static int spec_user_env(const SpecifierContext *ctx, char letter, char **ret)
{
        switch (letter) {
        case 'h':
                return spec_home(ctx, ret);
        case 's':
                return spec_shell(ctx, ret);
        case 'T':
                /* The manager's $TMPDIR; PID 1 has none. */
                *ret = strdup("/tmp");
                return *ret ? 0 : -ENOMEM;
        default: /* 'V' */
                *ret = strdup("/var/tmp");
                return *ret ? 0 : -ENOMEM;
        }
}

/* Every letter systemd 252 knows, by group; each function handles exactly its letters. */
static const struct {
        const char *letters;
        int (*expand)(const SpecifierContext *ctx, char letter, char **ret);
} specifier_groups[] = {
        {"nNpPiIjJf", spec_unit_name},
        {"yY", spec_real_path},
        {"crR", spec_cgroup},
        {"CELS", spec_special_dir},
        {"td", spec_runtime},
        {"aAbBHlqmMovwW", spec_machine},
        {"gGuU", spec_creds},
        {"hsTV", spec_user_env},
};

static int lookup(const SpecifierContext *ctx, char letter, char **ret)
{
        *ret = NULL;
        for (size_t i = 0; i < ELEMENTSOF(specifier_groups); i++)
                if (strchr(specifier_groups[i].letters, letter))
                        return specifier_groups[i].expand(ctx, letter, ret);
        return -EBADSLT;
}

static bool is_alnum(char c)
{
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int specifier_expand_full(const char *text, const SpecifierContext *ctx, size_t max_length, char **ret)
{
        static const SpecifierContext empty = {};
        _cleanup_sb_ StrBuf b = {};
        int r = 0;

        if (!ctx)
                ctx = &empty;
        *ret = NULL;
        for (const char *f = text; *f; f++) {
                if (*f != '%')
                        r = sb_putc(&b, *f);
                else if (f[1] == '\0')
                        r = sb_putc(&b, '%'); /* a stray '%' at the end stays */
                else if (f[1] == '%')
                        r = sb_putc(&b, *++f);
                else if (!is_alnum(f[1]))
                        r = sb_append_len(&b, f++, 2);
                else {
                        _cleanup_free_ char *v = NULL;

                        r = lookup(ctx, *++f, &v);
                        if (r < 0)
                                return r;
                        r = sb_append(&b, v);
                }
                if (r < 0)
                        return r;
                if (b.len > max_length)
                        return -ENAMETOOLONG;
        }
        *ret = sb_steal(&b);
        return *ret ? 0 : -ENOMEM;
}

int specifier_expand(const char *text, const SpecifierContext *ctx, char **ret)
{
        return specifier_expand_full(text, ctx, LONG_LINE_MAX, ret);
}
