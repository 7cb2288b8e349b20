/* SPDX-License-Identifier: MIT */
/* dockaudit leaks' output; see report-leaks.h. */
#include "report/report-leaks.h"

#include "formats/json-util.h"
#include "leaks/leaks-text.h"

#define MAX_HOLDERS_SHOWN 5

char *report_leaks_namespace_name(const LeakNamespace *ns)
{
        return strdupf("mnt:[%lu]", (unsigned long) ns->ino);
}

int report_leaks_holders(const LeakNamespace *ns, StrBuf *b)
{
        for (size_t k = 0; k < ns->n_holders && k < MAX_HOLDERS_SHOWN; k++) {
                const LeakHolder *h = &ns->holders[k];
                _cleanup_free_ char *comm = leaks_escape(h->comm, true), *unit = leaks_escape(h->unit, true);

                if (!comm || (h->unit && !unit) ||
                        sb_printf(b, "%s%ld %s", k ? ", " : "", (long) h->pid, comm) < 0 ||
                        (unit && sb_printf(b, " (%s)", unit) < 0))
                        return -ENOMEM;
        }
        if (ns->n_holders > MAX_HOLDERS_SHOWN &&
                sb_printf(b, " and %zu more", ns->n_holders - MAX_HOLDERS_SHOWN) < 0)
                return -ENOMEM;
        return 0;
}

/* Leaks of one container (or, without one, of one layer id or volume) are listed together. */
static bool same_group(const Leak *a, const Leak *b)
{
        if (a->container_id || b->container_id)
                return streq_ptr(a->container_id, b->container_id);
        return streq(a->key, b->key);
}

/* The end of the group that starts at leaks[i]. */
static size_t group_end(const LeakReport *rep, size_t i)
{
        size_t j = i;

        while (j < rep->n_leaks && same_group(&rep->leaks[i], &rep->leaks[j]))
                j++;
        return j;
}

static int text_group(const LeakReport *rep, size_t i, size_t end, FILE *out)
{
        const Leak *first = &rep->leaks[i];
        _cleanup_free_ char *name = leaks_escape(first->container_name, true);
        _cleanup_free_ char *id = leaks_escape(first->container_id, true),
                            *st = leaks_escape(first->container_state, true);
        _cleanup_free_ char *key = leaks_escape(first->key, true);

        if (!key || (first->container_id && (!name || !id || !st)))
                return -ENOMEM;
        if (first->container_id)
                fprintf(out, "%s (%.12s, %s)\n", name, id, st);
        else
                fprintf(out, "%s %s (no container known)\n", streq(first->kind, "volume") ? "volume" : "id",
                        key);
        for (size_t j = i; j < end; j++) {
                const Leak *l = &rep->leaks[j];
                const LeakNamespace *ns = &rep->namespaces[l->ns];
                _cleanup_sb_ StrBuf b = {};
                _cleanup_free_ char *nsname = report_leaks_namespace_name(ns),
                                    *mp = leaks_escape(l->mount_point, true);

                if (!nsname || !mp || report_leaks_holders(ns, &b) < 0)
                        return -ENOMEM;
                fprintf(out, "  %-15s %s\n  %-15s held in %s by %s\n", l->kind, mp, "", nsname,
                        b.buf ? b.buf : "");
        }
        return 0;
}

static int text_summary(const LeakReport *rep, size_t n_groups, FILE *out)
{
        _cleanup_free_ char *root = leaks_escape(rep->root_dir, true);

        if (!root)
                return -ENOMEM;
        if (rep->n_leaks == 0)
                fprintf(out, "No leaked container mounts under %s", root);
        else
                fprintf(out, "%zu leaked mount%s of %zu container%s or layer%s in %zu namespace%s",
                        rep->n_leaks, rep->n_leaks == 1 ? "" : "s", n_groups, n_groups == 1 ? "" : "s",
                        n_groups == 1 ? "" : "s", rep->n_namespaces, rep->n_namespaces == 1 ? "" : "s");
        fprintf(out, " (%zu processes, %zu mount namespaces scanned", rep->n_processes,
                rep->n_scanned_namespaces);
        if (rep->n_inaccessible > 0)
                fprintf(out, "; %zu processes not readable: run as root", rep->n_inaccessible);
        fprintf(out, ").\n");
        for (char **p = rep->problems; p && *p; p++) {
                _cleanup_free_ char *t = leaks_escape(*p, true);

                if (!t)
                        return -ENOMEM;
                fprintf(out, "Incomplete: %s\n", t);
        }
        return 0;
}

int report_leaks_text(const LeakReport *rep, FILE *out)
{
        size_t n_groups = 0;
        int r;

        for (size_t i = 0, end; i < rep->n_leaks; i = end) {
                end = group_end(rep, i);
                r = text_group(rep, i, end, out);
                if (r < 0)
                        return r;
                n_groups++;
        }
        return text_summary(rep, n_groups, out);
}

/* A JSON string of s, its invalid UTF-8 bytes written as \\xNN; JSON null for NULL. */
static json_t *jstr(const char *s)
{
        _cleanup_free_ char *t = leaks_escape(s, false);

        return s ? (t ? json_string(t) : NULL) : json_null();
}

static json_t *json_holders(const LeakNamespace *ns)
{
        _cleanup_json_ json_t *a = json_array();

        for (size_t k = 0; a && k < ns->n_holders; k++) {
                const LeakHolder *h = &ns->holders[k];
                json_t *o = json_pack("{s:I,s:o,s:o}", "pid", (json_int_t) h->pid, "comm", jstr(h->comm),
                        "unit", jstr(h->unit));

                if (!o || json_array_append_new(a, o) < 0)
                        return NULL;
        }
        return TAKE_PTR(a);
}

/* {"id", "name", "state", "key", "mounts": [...]} for the group leaks[i..end). */
static json_t *json_group(const LeakReport *rep, size_t i, size_t end)
{
        const Leak *first = &rep->leaks[i];
        _cleanup_json_ json_t *mounts = json_array();

        if (!mounts)
                return NULL;
        for (size_t j = i; j < end; j++) {
                const Leak *l = &rep->leaks[j];
                _cleanup_free_ char *ns = report_leaks_namespace_name(&rep->namespaces[l->ns]);
                json_t *m = ns ? json_pack("{s:o,s:s,s:o,s:s}", "mount_point", jstr(l->mount_point), "kind",
                                         l->kind, "fstype", jstr(l->fstype), "namespace", ns)
                               : NULL;

                if (!m || json_array_append_new(mounts, m) < 0)
                        return NULL;
        }
        return json_pack("{s:o,s:o,s:o,s:o,s:O}", "id", jstr(first->container_id), "name",
                jstr(first->container_name), "state", jstr(first->container_state), "key", jstr(first->key),
                "mounts", mounts);
}

static json_t *json_groups(const LeakReport *rep)
{
        _cleanup_json_ json_t *groups = json_array();

        for (size_t i = 0, end; groups && i < rep->n_leaks; i = end) {
                end = group_end(rep, i);
                if (json_array_append_new(groups, json_group(rep, i, end)) < 0)
                        return NULL;
        }
        return TAKE_PTR(groups);
}

static json_t *json_namespaces(const LeakReport *rep)
{
        _cleanup_json_ json_t *nss = json_array();

        for (size_t i = 0; nss && i < rep->n_namespaces; i++) {
                _cleanup_json_ json_t *h = json_holders(&rep->namespaces[i]);
                _cleanup_free_ char *name = report_leaks_namespace_name(&rep->namespaces[i]);
                json_t *o = h && name ? json_pack("{s:s,s:O}", "namespace", name, "holders", h) : NULL;

                if (!o || json_array_append_new(nss, o) < 0)
                        return NULL;
        }
        return TAKE_PTR(nss);
}

static json_t *json_skipped(const LeakReport *rep)
{
        _cleanup_json_ json_t *a = json_array();

        for (size_t i = 0; a && i < rep->n_skipped; i++) {
                const LeakSkip *k = &rep->skipped[i];
                _cleanup_free_ char *name = strdupf("mnt:[%lu]", (unsigned long) k->ino);
                json_t *o = name ? json_pack("{s:s,s:I,s:o}", "namespace", name, "pid", (json_int_t) k->pid,
                                           "reason", jstr(k->reason))
                                 : NULL;

                if (!o || json_array_append_new(a, o) < 0)
                        return NULL;
        }
        return TAKE_PTR(a);
}

static json_t *json_strv(char **l)
{
        _cleanup_json_ json_t *a = json_array();

        for (char **p = l; a && p && *p; p++)
                if (json_array_append_new(a, jstr(*p)) < 0)
                        return NULL;
        return TAKE_PTR(a);
}

json_t *report_leaks_to_json(const LeakReport *rep)
{
        _cleanup_json_ json_t *groups = json_groups(rep), *nss = json_namespaces(rep);
        _cleanup_json_ json_t *skipped = json_skipped(rep), *problems = json_strv(rep->problems);
        _cleanup_free_ char *ref = strdupf("mnt:[%lu]", (unsigned long) rep->ref_ino);
        json_t *pid = rep->dockerd_pid > 0 ? json_integer(rep->dockerd_pid) : json_null();

        if (!groups || !nss || !ref || !skipped || !problems || !pid) {
                json_decref(pid);
                return NULL;
        }
        return json_pack("{s:s,s:o,s:{s:I,s:I,s:I},s:O,s:O,s:s,s:o,s:b,s:o,s:O,s:b,s:O}", "schema",
                LEAKS_SCHEMA, "root_dir", jstr(rep->root_dir), "scanned", "processes",
                (json_int_t) rep->n_processes, "namespaces", (json_int_t) rep->n_scanned_namespaces,
                "inaccessible", (json_int_t) rep->n_inaccessible, "containers", groups, "namespaces", nss,
                "dockerd_namespace", ref, "dockerd_pid", pid, "dockerd_namespace_known", rep->dockerd_known,
                "reference", jstr(rep->reference), "skipped", skipped, "complete", leak_report_complete(rep),
                "problems", problems);
}

int report_leaks_json_update(json_t *doc, const LeakReport *rep, const char *error)
{
        if (json_object_set_new(doc, "problems", json_strv(rep->problems)) < 0 ||
                json_object_set_new(doc, "complete", json_boolean(leak_report_complete(rep))) < 0 ||
                (error && json_object_set_new(doc, "error", jstr(error)) < 0))
                return -ENOMEM;
        return 0;
}

json_t *report_leaks_error_json(const char *error)
{
        return json_pack("{s:s,s:o,s:b,s:[o]}", "schema", LEAKS_SCHEMA, "error", jstr(error), "complete",
                false, "problems", jstr(error));
}

void report_leaks_release_text(const LeakRelease *rel, const char *ns_name, FILE *out)
{
        for (size_t i = 0; i < rel->n; i++) {
                const char *why = leak_release_error(rel, i);
                _cleanup_free_ char *mp = leaks_escape(rel->mount_points[i], true),
                                    *w = leaks_escape(why, true);

                fprintf(out, "%s %s in %s%s%s\n", why ? "failed" : "released", strempty(mp), ns_name,
                        why ? ": " : "", strempty(w));
        }
}

int report_leaks_release_json(const LeakRelease *rel, const char *ns_name, json_t *array)
{
        for (size_t i = 0; i < rel->n; i++) {
                const char *why = leak_release_error(rel, i);
                json_t *o = json_pack("{s:s,s:o,s:s,s:o}", "namespace", ns_name, "mount_point",
                        jstr(rel->mount_points[i]), "result", why ? "failed" : "released", "error",
                        jstr(why));

                if (!o || json_array_append_new(array, o) < 0)
                        return -ENOMEM;
        }
        return 0;
}

void report_leaks_removal_text(const DockerContainer *c, const char *error, FILE *out)
{
        _cleanup_free_ char *name = leaks_escape(c->name, true), *id = leaks_escape(c->id, true);
        _cleanup_free_ char *e = leaks_escape(error, true);

        fprintf(out, "%s Dead container %s (%.12s)%s%s\n", error ? "could not remove" : "removed",
                strempty(name), strempty(id), error ? ": " : "", strempty(e));
}

int report_leaks_removal_json(const DockerContainer *c, const char *error, json_t *array)
{
        json_t *o = json_pack("{s:o,s:o,s:s,s:o}", "id", jstr(c->id), "name", jstr(c->name), "result",
                error ? "failed" : "removed", "error", jstr(error));

        if (!o || json_array_append_new(array, o) < 0)
                return -ENOMEM;
        return 0;
}
