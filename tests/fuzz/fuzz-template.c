/* SPDX-License-Identifier: MIT */
/* Rule message templates ("${fact}", "${fact@source}", "$$") on hostile text, checked and
 * rendered over facts of every type, known and unknown, whose values hold "$", "${...}",
 * control characters and nothing at all. */
#include "rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fill(Facts *f)
{
        char *const list[] = {
                (char *) "a", (char *) "${kernel.release}", (char *) "", (char *) "\x1b]0;x\a", NULL};
        char *const empty[] = {NULL};

        if (facts_set_string(f, "kernel.release", "3.10.0-514.el7 $$ ${unit.name}",
                    "/proc/sys/kernel/osrelease") < 0 ||
                facts_set_string(f, "unit.mount_flags", "", NULL) < 0 ||
                facts_set_version(f, "kernel.version", "3.10.0", "derived") < 0 ||
                facts_set_number(f, "docker.running_containers_count", -9223372036854775807LL - 1, "$") <
                        0 ||
                facts_set_bool(f, "docker.live_restore", true, "/info") < 0 ||
                facts_set_list(f, "leaks.holders", list, "mountinfo\n") < 0 ||
                facts_set_list(f, "unit.dropin_paths", empty, "D-Bus") < 0 ||
                facts_set_unknown(f, "unit.name", "no bus: %s", "${x}") < 0)
                return -ENOMEM;
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static Facts facts;
        static bool ready;
        _cleanup_free_ char *text = NULL, *err = NULL, *out = NULL;
        int checked, r;

        if (!ready) {
                if (fill(&facts) < 0)
                        __builtin_trap();
                ready = true;
        }
        if (size > 65536)
                return 0;
        text = strndup((const char *) data, size);
        if (!text)
                return 0;
        checked = rule_template_check(text, &err);
        r = rule_render_template(text, &facts, &out);
        if (r >= 0 && !out)
                __builtin_trap();
        /* A template the check accepts always renders (unknown facts included). */
        if (checked == 0 && r == -EINVAL)
                __builtin_trap();
        return 0;
}
