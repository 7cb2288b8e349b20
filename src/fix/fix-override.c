/* SPDX-License-Identifier: MIT */
#include "fix/fix-override.h"

#include "basic/fileio.h"
#include "basic/path-util.h"
#include "basic/root-file.h"
#include "fix/fix-paths.h"
#include "systemd/sysctl-d.h"
#include "systemd/unit-lookup.h"
#include "systemd/unitfile.h"

/* What a later file sets: the last assignment seen so far. */
typedef struct Later {
        char *path; /* inside the root */
        unsigned line;
        char *value;
} Later;

static void later_done(Later *l)
{
        free(l->path);
        free(l->value);
}

static int later_set(Later *l, const char *path, unsigned line, const char *value)
{
        later_done(l);
        l->path = strdup(path);
        l->value = strdup(value);
        l->line = line;
        return l->path && l->value ? 0 : -ENOMEM;
}

/* "ROOT/PATH:LINE sets KEY=VALUE, after OURS: ..." when l sets another value than want. */
static int later_refusal(const Later *l, const FixTarget *t, const char *key, const char *want,
        const char *ours, char ***refusals)
{
        _cleanup_free_ char *shown = NULL, *ours_shown = NULL;

        if (!l->path || streq(l->value, want))
                return 0;
        shown = root_path(t->root, l->path);
        ours_shown = root_path(t->root, ours);
        if (!shown || !ours_shown)
                return -ENOMEM;
        if (strv_consume(refusals, strdupf("%s:%u sets %s=%s and is read after %s, so %s=%s would not take "
                                           "effect: change it there (or remove it) and run fix again",
                                           shown, l->line, key, l->value, ours_shown, key, want)) < 0)
                return -ENOMEM;
        return 1;
}

/* A later file that cannot be read may undo ours: a refusal naming it. 1, or -ENOMEM. */
static int unreadable_refusal(
        const FixTarget *t, const char *path, int error, const char *ours, char ***refusals)
{
        _cleanup_free_ char *shown = root_path(t->root, path), *ours_shown = root_path(t->root, ours);

        if (!shown || !ours_shown ||
                strv_consume(refusals, strdupf("%s: cannot read: %s; it is read after %s and may undo it",
                                               shown, read_strerror(error), ours_shown)) < 0)
                return -ENOMEM;
        return 1;
}

/* The unit's drop-ins on disk after ours that assign a->section / a->key. */
static int dropin_override(const PlanAction *a, const FixTarget *t, char ***refusals)
{
        const char *unit = a->unit ? a->unit : t->unit;
        _cleanup_(unit_lookup_done) UnitLookup l = {};
        _cleanup_(unit_lookup_result_done) UnitLookupResult res = {};
        _cleanup_free_ char *dir = NULL, *ours = NULL, *err = NULL;
        _cleanup_(later_done) Later last = {};
        int r, n = 0;

        r = fix_paths_unit_dir(t->user, t->env, &dir, &err);
        if (r == -ENOMEM)
                return r;
        if (r < 0 || !(ours = strdupf("%s/%s.d/" FIX_DROPIN_NAME, dir, unit)))
                return r < 0 ? 0 : -ENOMEM; /* no unit directory: fix_paths_dropin() says why */
        r = unit_lookup_init(&l, t->root, t->user, t->env);
        if (r >= 0)
                r = unit_lookup_resolve(&l, unit, &res);
        if (r < 0)
                return r == -ENOMEM ? r : 0;
        for (char **p = res.dropin_paths; p && *p; p++) {
                _cleanup_unit_file_ UnitFile *u = NULL;
                _cleanup_free_ char *data = NULL;
                size_t size = 0;

                if (strcmp(path_basename(*p), FIX_DROPIN_NAME) <= 0)
                        continue; /* before ours, ours, or ours' namesake (one of them wins) */
                if (unit_lookup_is_mask(t->root, *p))
                        continue;
                r = root_read_file(t->root, *p, &data, &size);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        if ((r = unreadable_refusal(t, *p, r, ours, refusals)) < 0)
                                return r;
                        n++;
                        continue;
                }
                if (unit_file_parse(*p, data, size, &u) < 0)
                        return -ENOMEM;
                for (size_t i = 0; i < u->n_assignments; i++) {
                        const UnitAssignment *x = &u->assignments[i];
                        if (streq(x->section, a->section) && streq(x->key, a->key) &&
                                later_set(&last, *p, x->line, x->value) < 0)
                                return -ENOMEM;
                }
        }
        if ((r = later_refusal(&last, t, a->key, a->value, ours, refusals)) < 0)
                return r;
        return n + r;
}

/* path's last assignment of key into *last. A later file that cannot be read may undo ours:
 * a refusal naming it. */
static int sysctl_file_scan(
        const FixTarget *t, const char *path, const char *key, Later *last, char ***refusals)
{
        _cleanup_free_ char *data = NULL, *value = NULL;
        unsigned line;
        int r;

        if (unit_lookup_is_mask(t->root, path))
                return 0;
        r = root_read_file(t->root, path, &data, NULL);
        if (r == -ENOENT && streq(path, "/etc/sysctl.conf"))
                return 0;
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return unreadable_refusal(t, path, r, FIX_SYSCTL_FILE, refusals);
        r = sysctl_text_lookup(data, key, &value, &line);
        if (r <= 0)
                return r;
        return later_set(last, path, line, value);
}

/* The sysctl.d files after ours, then /etc/sysctl.conf, that assign a->key. */
static int sysctl_override(const PlanAction *a, const FixTarget *t, char ***refusals)
{
        _cleanup_strv_free_ char **files = NULL;
        _cleanup_(later_done) Later last = {};
        int r, n = 0;

        r = sysctl_d_files(t->root, &files);
        if (r < 0)
                return r;
        for (char **p = files; *p; p++)
                if (strcmp(path_basename(*p), path_basename(FIX_SYSCTL_FILE)) > 0) {
                        if ((r = sysctl_file_scan(t, *p, a->key, &last, refusals)) < 0)
                                return r;
                        n += r;
                }
        if ((r = sysctl_file_scan(t, "/etc/sysctl.conf", a->key, &last, refusals)) < 0)
                return r;
        n += r;
        if ((r = later_refusal(&last, t, a->key, a->value, FIX_SYSCTL_FILE, refusals)) < 0)
                return r;
        return n + r;
}

int fix_override_check(const FixPlan *plan, const FixTarget *t, char ***refusals)
{
        int r, n = 0;

        for (size_t i = 0; i < plan->n_actions; i++) {
                const PlanAction *a = &plan->actions[i];

                if (!a->value)
                        continue;
                if (a->type == FIX_ACTION_DROPIN)
                        r = dropin_override(a, t, refusals);
                else if (a->type == FIX_ACTION_SYSCTL)
                        r = sysctl_override(a, t, refusals);
                else
                        r = 0;
                if (r < 0)
                        return r;
                n += r;
        }
        return n;
}
