/* SPDX-License-Identifier: MIT */
/* mountinfo tables (whole, filtered by a prefix) and the unescaper on hostile input; the
 * same bytes also go through the leak path classifier and the cgroup unit parser. */
#include "formats/mountinfo.h"
#include "leaks/leaks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const char *const unders[] = {NULL, "/var/lib/docker", "/a b", "/"};
        const char *text = (const char *) data;
        char *s;

        for (size_t i = 0; i < ELEMENTSOF(unders); i++) {
                MountTable t = {};
                char *err = NULL;

                if (mountinfo_parse(text, size, "fuzz", unders[i], &t, &err) < 0) {
                        free(err);
                        continue;
                }
                for (size_t k = 0; k < t.n; k++) {
                        char *key = NULL;

                        if (leak_classify("/var/lib/docker", t.v[k].mount_point, &key))
                                free(key);
                        (void) path_is_under(t.v[k].mount_point, "/var/lib/docker");
                }
                mount_table_done(&t);
        }
        s = mountinfo_unescape(text, size);
        free(s);
        s = strndup(text, size);
        if (s) {
                char *u = NULL;

                if (cgroup_text_to_unit(s, &u) == 0)
                        free(u);
                free(s);
        }
        return 0;
}
