/* SPDX-License-Identifier: MIT */
#include "formats/os-release.h"

#include "systemd/envfile.h"

void os_release_done(OsRelease *o)
{
        free(o->path);
        free(o->id);
        strv_free(o->id_like);
        free(o->version_id);
        free(o->pretty_name);
        *o = (OsRelease){};
}

static int take(const EnvBlock *e, const char *name, char **ret, unsigned *ret_line)
{
        const EnvVar *v = env_block_get(e, name);

        if (!v)
                return 0;
        *ret = strdup(v->value);
        if (!*ret)
                return -ENOMEM;
        *ret_line = v->line;
        return 0;
}

static int split_words(const char *s, char ***ret)
{
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));
        const char *ws = " \t\n\r";

        if (!l)
                return -ENOMEM;
        for (s += strspn(s, ws); *s; s += strspn(s, ws)) {
                size_t n = strcspn(s, ws);
                char *w = strndup(s, n);

                if (!w || strv_consume(&l, w) < 0)
                        return -ENOMEM;
                s += n;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

int os_release_parse(const char *path, const char *data, size_t size, OsRelease *ret, char **ret_error)
{
        _cleanup_(env_block_done) EnvBlock e = {};
        _cleanup_strv_free_ char **warnings = NULL;
        _cleanup_free_ char *id_like = NULL;
        _cleanup_(os_release_done) OsRelease o = {};
        int r;

        r = env_file_parse(path, data, size, &e, &warnings, ret_error);
        if (r < 0)
                return r;
        o.path = strdup(path);
        if (!o.path)
                return -ENOMEM;
        if (take(&e, "ID", &o.id, &o.id_line) < 0 || take(&e, "ID_LIKE", &id_like, &o.id_like_line) < 0 ||
                take(&e, "VERSION_ID", &o.version_id, &o.version_id_line) < 0 ||
                take(&e, "PRETTY_NAME", &o.pretty_name, &o.pretty_name_line) < 0 ||
                split_words(strempty(id_like), &o.id_like) < 0)
                return -ENOMEM;
        *ret = TAKE_STRUCT(o);
        return 0;
}

bool os_release_is_rhel_family(const OsRelease *o, unsigned *ret_line)
{
        static const char *const ids[] = {"rhel", "centos", "ol", "scientific", "almalinux", "rocky"};
        unsigned line = 0;
        bool yes = false;

        if (o->id)
                for (size_t i = 0; i < ELEMENTSOF(ids) && !yes; i++)
                        if (streq(o->id, ids[i])) {
                                yes = true;
                                line = o->id_line;
                        }
        if (!yes && (strv_contains(o->id_like, "rhel") || strv_contains(o->id_like, "centos"))) {
                yes = true;
                line = o->id_like_line;
        }
        if (ret_line)
                *ret_line = yes ? line : (o->id ? o->id_line : o->id_like_line);
        return yes;
}

int redhat_release_first_line(const char *data, char **ret)
{
        size_t n = strcspn(data, "\n");

        while (n > 0 && strchr(" \t\r", data[n - 1]))
                n--;
        if (n == 0)
                return -ENODATA;
        *ret = strndup(data, n);
        return *ret ? 0 : -ENOMEM;
}

bool redhat_release_is_rhel_family(const char *line)
{
        static const char *const prefixes[] = {"Red Hat Enterprise Linux", "CentOS", "Scientific Linux",
                "Oracle Linux", "AlmaLinux", "Rocky Linux"};

        for (size_t i = 0; i < ELEMENTSOF(prefixes); i++)
                if (startswith(line, prefixes[i]))
                        return true;
        return false;
}
