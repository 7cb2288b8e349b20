/* SPDX-License-Identifier: MIT */
/* distro.* facts from os-release(5) (/etc/os-release, else /usr/lib/os-release, as systemd
 * reads them) and /etc/redhat-release, under --root when given. */
#include "basic/fileio.h"
#include "basic/root-file.h"
#include "collect/collect.h"
#include "formats/os-release.h"

static const char *const os_facts[] = {
        "distro.id", "distro.id_like", "distro.version_id", "distro.pretty_name"};

static char *source_line(const char *file, unsigned line)
{
        return line > 0 ? strdupf("%s:%u", file, line) : strdup(file);
}

static int read_reason(int r, char **ret)
{
        if (r == -ENOENT)
                *ret = strdup("not present");
        else if (r == -EACCES || r == -EPERM)
                *ret = strdup("permission denied");
        else
                *ret = strdup(read_strerror(r));
        return *ret ? 0 : -ENOMEM;
}

static int set_os_facts(Facts *f, const OsRelease *o, const char *shown)
{
        _cleanup_free_ char *s_id = source_line(shown, o->id_line),
                            *s_like = source_line(shown, o->id_like_line),
                            *s_ver = source_line(shown, o->version_id_line),
                            *s_pretty = source_line(shown, o->pretty_name_line);
        int r;

        if (!s_id || !s_like || !s_ver || !s_pretty)
                return -ENOMEM;
        /* os-release(5): ID defaults to "linux", PRETTY_NAME to "Linux". */
        r = facts_set_string(f, "distro.id", o->id ? o->id : "linux", s_id);
        if (r < 0)
                return r;
        r = facts_set_list(f, "distro.id_like", o->id_like, s_like);
        if (r < 0)
                return r;
        r = o->version_id ? facts_set_version(f, "distro.version_id", o->version_id, s_ver)
                          : facts_set_unknown(f, "distro.version_id", "VERSION_ID= is not set in %s", shown);
        if (r < 0)
                return r;
        return facts_set_string(
                f, "distro.pretty_name", o->pretty_name ? o->pretty_name : "Linux", s_pretty);
}

/* Reads the first os-release that exists. Returns 1 and fills *o when one was parsed,
 * 0 when none could be used (the facts are then unknown with the reason). */
static int collect_os_release(Facts *f, const CollectOptions *o, OsRelease *ret)
{
        static const char *const paths[] = {"/etc/os-release", "/usr/lib/os-release"};
        const char *root = collect_files_root(o);
        _cleanup_free_ char *why = NULL;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(paths); i++) {
                _cleanup_free_ char *data = NULL, *shown = root_path(o ? o->root : NULL, paths[i]),
                                    *err = NULL;
                size_t size;

                if (!shown)
                        return -ENOMEM;
                r = root_read_file(root, paths[i], &data, &size);
                if (r == -ENOMEM)
                        return r;
                if (r == -ENOENT)
                        continue; /* systemd falls back only when /etc/os-release does not exist */
                if (r < 0) {
                        /* It is there and says what this host is, but we could not look. */
                        if (read_reason(r, &err) < 0 || !(why = strdupf("%s: %s", shown, err)) ||
                                facts_add_problem(f, "%s: cannot read: %s", shown, err) < 0)
                                return -ENOMEM;
                        break;
                }
                r = os_release_parse(shown, data, size, ret, &err);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        why = err ? TAKE_PTR(err) : strdupf("%s: %s", shown, read_strerror(r));
                        break;
                }
                r = set_os_facts(f, ret, shown);
                return r < 0 ? r : 1;
        }
        if (!why) {
                _cleanup_free_ char *a = root_path(o ? o->root : NULL, paths[0]),
                                    *b = root_path(o ? o->root : NULL, paths[1]);

                why = a && b ? strdupf("neither %s nor %s is present", a, b) : NULL;
        }
        if (!why)
                return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(os_facts); i++)
                if ((r = facts_set_unknown(f, os_facts[i], "%s", why)) < 0)
                        return r;
        return 0;
}

int collect_distro(Facts *f, const CollectOptions *o)
{
        const char *root = collect_files_root(o);
        _cleanup_(os_release_done) OsRelease osr = {};
        _cleanup_free_ char *rh_shown = root_path(o ? o->root : NULL, "/etc/redhat-release"), *data = NULL,
                            *line = NULL, *rh_source = NULL, *why = NULL;
        bool have_os;
        int r;

        if (!rh_shown)
                return -ENOMEM;
        r = collect_os_release(f, o, &osr);
        if (r < 0)
                return r;
        have_os = r > 0;

        r = root_read_file(root, "/etc/redhat-release", &data, NULL);
        if (r == -ENOMEM)
                return r;
        if (r >= 0) {
                r = redhat_release_first_line(data, &line);
                if (r == -ENOMEM)
                        return r;
        }
        if (r < 0) {
                if (r == -ENODATA)
                        why = strdupf("%s: empty", rh_shown);
                else {
                        _cleanup_free_ char *e = NULL;

                        if (read_reason(r, &e) < 0)
                                return -ENOMEM;
                        why = strdupf("%s: %s", rh_shown, e);
                }
                if (!why)
                        return -ENOMEM;
                r = facts_set_unknown(f, "distro.redhat_release", "%s", why);
        } else {
                rh_source = strdupf("%s:1", rh_shown);
                if (!rh_source)
                        return -ENOMEM;
                r = facts_set_string(f, "distro.redhat_release", line, rh_source);
        }
        if (r < 0)
                return r;

        if (have_os) {
                unsigned l;
                bool yes = os_release_is_rhel_family(&osr, &l);
                _cleanup_free_ char *src = source_line(osr.path, l);

                if (!src)
                        return -ENOMEM;
                return facts_set_bool(f, "distro.rhel_family", yes, src);
        }
        if (line)
                return facts_set_bool(
                        f, "distro.rhel_family", redhat_release_is_rhel_family(line), rh_source);
        return facts_set_unknown(f, "distro.rhel_family", "no usable os-release and %s", why);
}
