/* SPDX-License-Identifier: MIT */
/* The files `dockaudit fix` rewrites, read back from hostile old contents: byte 0 picks the
 * drop-in (dropin_render()), the sysctl.d file (sysctl_render()) or daemon.json
 * (daemon_json_edit()); the rest is the old file. A second fix run over what the first one
 * produced must change nothing (no rewrite, reload or restart on every run). */
#include "fix/fix-files.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const DropinSetting unit_settings[] = {
        {(char *) "Service", (char *) "MountFlags", (char *) "slave"},
        {(char *) "Service", (char *) "ExecStart", (char *) ""},
        {(char *) "Service", (char *) "ExecStart", (char *) "/usr/bin/dockerd -H fd://"},
        {(char *) "Unit", (char *) "After", (char *) "containerd.service"},
};
static const DropinSetting sysctl_settings[] = {
        {NULL, (char *) "fs.may_detach_mounts", (char *) "1"},
        {NULL, (char *) "kernel.x", (char *) "a b"},
};
static const JsonEdit edits[] = {
        {(char *) "live-restore", (char *) "true"},
        {(char *) "debug", NULL},
        {(char *) "log-opts", (char *) "{\"max-size\":\"10m\"}"},
};

static int render(unsigned kind, const char *old, char **ret, char **ret_error)
{
        char *const ids[] = {(char *) "rule-a", (char *) "rule.b", NULL};

        switch (kind) {
        case 0:
                return dropin_render(
                        old, unit_settings, ELEMENTSOF(unit_settings), "1.0", ids, ret, ret_error);
        case 1:
                return sysctl_render(
                        old, sysctl_settings, ELEMENTSOF(sysctl_settings), "1.0", ids, ret, ret_error);
        default:
                return daemon_json_edit(
                        "/etc/docker/daemon.json", old, edits, ELEMENTSOF(edits), ret, ret_error);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_free_ char *old = NULL, *first = NULL, *second = NULL, *err = NULL;
        unsigned kind;
        int r;

        if (size < 1 || size > 65536)
                return 0;
        kind = data[0] % 3;
        if (!(data[0] & 0x80)) {
                old = strndup((const char *) data + 1, size - 1);
                if (!old)
                        return 0;
        }
        r = render(kind, old, &first, &err);
        if (r < 0) {
                if (r != -ENOMEM && !err)
                        __builtin_trap(); /* a refused old file always says why */
                return 0;
        }
        if (!first)
                return 0; /* daemon.json: nothing to write */
        free(err);
        err = NULL;
        if (render(kind, first, &second, &err) < 0) {
                fprintf(stderr, "fix refuses its own output: %s\n%s\n", err ? err : "", first);
                __builtin_trap();
        }
        if (!second || !streq(first, second)) {
                fprintf(stderr, "second run changes the file:\n%s\n---\n%s\n", first,
                        second ? second : "(null)");
                __builtin_trap();
        }
        return 0;
}
