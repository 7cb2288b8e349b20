/* SPDX-License-Identifier: MIT */
/* The waiver directories: every "*.waiver" of each, by name, into one set. */
#include "rules/waiver.h"

#include "basic/dir-list.h"

static int load_dir(WaiverSet *s, const char *dir, const RuleSet *rules, char **ret_error)
{
        _cleanup_strv_free_ char **names = NULL;
        bool optional = dir[0] == '-';
        const char *d = dir + optional;
        int r;

        r = dir_list_names(d, optional, ".waiver", "waivers", &names, ret_error);
        if (r < 0)
                return r;
        for (char **n = names; *n; n++) {
                _cleanup_free_ char *path = strdupf("%s%s%s", d, endswith(d, "/") ? "" : "/", *n);

                if (!path)
                        return -ENOMEM;
                r = waiver_load_file(s, path, rules, ret_error);
                if (r < 0)
                        return r;
        }
        return 0;
}

int waiver_set_load(WaiverSet *s, char *const *dirs, const RuleSet *rules, char **ret_error)
{
        int r;

        *s = (WaiverSet){};
        for (size_t i = 0; dirs && dirs[i]; i++) {
                r = load_dir(s, dirs[i], rules, ret_error);
                if (r < 0) {
                        if (r == -ENOMEM)
                                error_setf(ret_error, r, "out of memory loading waivers");
                        waiver_set_done(s);
                        return r;
                }
        }
        return 0;
}
