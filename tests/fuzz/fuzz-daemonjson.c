/* SPDX-License-Identifier: MIT */
/* daemon.json loading, key lines, bools, the flag/file conflict check and dockerd's verdict
 * (dockerd_config_check()) on hostile input. */
#include "formats/daemon-json.h"
#include "formats/dockerd-options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const char *const keys[] = {"live-restore", "hosts", "debug", "log-opts", ""};
        DaemonJson d = {};
        char *err = NULL, **l = NULL;
        bool b;

        if (daemon_json_parse("daemon.json", (const char *) data, size, &d, &err) < 0) {
                free(err);
                return 0;
        }
        for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
                (void) daemon_json_key_line(&d, keys[i]);
                (void) daemon_json_get_bool(&d, keys[i], &b, &err);
                free(err);
                err = NULL;
        }
        if (daemon_json_keys(&d, &l) == 0) {
                for (size_t i = 0; l[i]; i++)
                        (void) daemon_json_key_line(&d, l[i]);
                strv_free(l);
        }
        {
                DockerdOptions o = {.args = NULL};
                char **c = NULL, **u = NULL;

                if (dockerd_options_conflicts(&o, d.root, &c, &u) == 0) {
                        strv_free(c);
                        strv_free(u);
                }
        }
        /* dockerd's own verdict on the file, by any version and by two releases: a refusal always
         * says why. */
        for (size_t i = 0; i < 3; i++) {
                static const char *const versions[] = {NULL, "20.10.24+dfsg1", "1.13.1"};
                char **unknown = NULL;
                int r = dockerd_config_check(&d, versions[i], &err);

                if (r < 0 && r != -ENOMEM && !err)
                        __builtin_trap();
                free(err);
                err = NULL;
                if (dockerd_config_unknown_keys(&d, versions[i], &unknown) == 0)
                        strv_free(unknown);
        }
        free(err);
        daemon_json_done(&d);
        return 0;
}
