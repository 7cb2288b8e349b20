/* SPDX-License-Identifier: MIT */
#include "rules/problems.h"

int facts_problems(const Facts *f, char ***ret)
{
        const Fact *load = facts_get(f, "unit.load_state");
        const Fact *err = facts_get(f, "unit.load_error");
        const Fact *unit = facts_get(f, "unit.name");
        const Fact *frag = facts_get(f, "unit.fragment_path");
        const Fact *present = facts_get(f, "daemon_json.present");
        const Fact *valid = facts_get(f, "daemon_json.valid");
        const Fact *jerr = facts_get(f, "daemon_json.error");
        const Fact *collected = facts_get(f, "audit.problems");
        const char *name = unit && unit->known ? unit->str : "the unit";
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));

        if (!l)
                return -ENOMEM;
        if (load && !load->known) {
                if (strv_consume(&l, strdupf("cannot read %s: %s", name, strempty(load->reason))) < 0)
                        return -ENOMEM;
        } else if (load && (streq(load->str, "error") || streq(load->str, "bad-setting"))) {
                if (strv_consume(&l,
                            strdupf("%s%s%s failed to load (%s)%s%s", frag && frag->known ? frag->str : "",
                                    frag && frag->known && *frag->str ? ": " : "", name, load->str,
                                    err && err->known && *err->str ? ": " : "",
                                    err && err->known ? err->str : "")) < 0)
                        return -ENOMEM;
        }
        if (collected && collected->known)
                for (char **p = collected->list; p && *p; p++)
                        if (strv_extend(&l, *p) < 0)
                                return -ENOMEM;
        if (present && present->known && present->b && valid && valid->known && !valid->b)
                if (strv_consume(&l,
                            strdupf("%s", jerr && jerr->known ? jerr->str : "daemon.json is invalid")) < 0)
                        return -ENOMEM;
        *ret = TAKE_PTR(l);
        return 0;
}

int audit_problems(const Facts *f, const Findings *fs, char ***ret)
{
        _cleanup_strv_free_ char **l = NULL;
        int r = facts_problems(f, &l);

        if (r < 0)
                return r;
        for (size_t i = 0; i < fs->n; i++)
                if (fs->v[i].status == FINDING_ERROR &&
                        strv_consume(&l,
                                strdupf("rule %s: %s", fs->v[i].rule->id, strempty(fs->v[i].reason))) < 0)
                        return -ENOMEM;
        *ret = TAKE_PTR(l);
        return 0;
}

int strict_problems(const Findings *fs, char ***list)
{
        for (size_t i = 0; i < fs->n; i++)
                if (fs->v[i].status == FINDING_SKIP && !fs->v[i].not_applicable &&
                        strv_consume(list, strdupf("rule %s skipped: %s", fs->v[i].rule->id,
                                                   strempty(fs->v[i].reason))) < 0)
                        return -ENOMEM;
        return 0;
}
