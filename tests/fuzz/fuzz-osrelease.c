/* SPDX-License-Identifier: MIT */
/* os-release and redhat-release parsing on hostile input. */
#include "formats/os-release.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        OsRelease o = {};
        char *err = NULL, *line = NULL, *text;
        unsigned l;

        if (os_release_parse("/etc/os-release", (const char *) data, size, &o, &err) == 0) {
                (void) os_release_is_rhel_family(&o, &l);
                os_release_done(&o);
        }
        free(err);
        text = strndup((const char *) data, size);
        if (text && redhat_release_first_line(text, &line) == 0) {
                (void) redhat_release_is_rhel_family(line);
                free(line);
        }
        free(text);
        return 0;
}
