/* SPDX-License-Identifier: MIT */
/* dockerd command-line parsing on hostile argv: input is NUL- or newline-separated words;
 * the first word is argv[0]. Also the kernel release parser, on each word. */
#include "formats/dockerd-options.h"
#include "formats/kernel-release.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        ExpandedArgv a = {};
        DockerdOptions o = {};
        size_t start = 0;
        bool b;

        if (size > 65536)
                return 0;
        for (size_t i = 0; i <= size; i++) {
                ExpandedWord *v;

                if (i < size && data[i] != 0 && data[i] != '\n')
                        continue;
                v = realloc(a.v, (a.n + 1) * sizeof *v);
                if (!v)
                        goto finish;
                a.v = v;
                a.v[a.n] = (ExpandedWord){strndup((const char *) data + start, i - start),
                        strdup("fuzz.service"), (unsigned) a.n + 1};
                if (!a.v[a.n].text || !a.v[a.n].file) {
                        free(a.v[a.n].text);
                        free(a.v[a.n].file);
                        goto finish;
                }
                a.n++;
                start = i + 1;
        }
        for (size_t i = 0; i < a.n; i++) {
                KernelRelease k = {};

                if (kernel_release_parse(a.v[i].text, &k) == 0)
                        kernel_release_done(&k);
        }
        if (dockerd_options_parse(&a, &o) == 0) {
                const DockerdOption *x = dockerd_options_find(&o, "live-restore");
                json_t *j = json_pack(
                        "{s:b,s:[],s:{s:s}}", "live-restore", 1, "hosts", "proxies", "http-proxy", "x");
                char **c = NULL, **u = NULL;

                if (x)
                        (void) dockerd_option_bool(x, &b);
                (void) dockerd_options_config_file(&o);
                if (j && dockerd_options_conflicts(&o, j, &c, &u) == 0) {
                        strv_free(c);
                        strv_free(u);
                }
                json_decref(j);
                dockerd_options_done(&o);
        }
finish:
        for (size_t i = 0; i < a.n; i++) {
                free(a.v[i].text);
                free(a.v[i].file);
        }
        free(a.v);
        return 0;
}
