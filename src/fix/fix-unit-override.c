/* SPDX-License-Identifier: MIT */
#include "fix/fix-unit-override.h"

#include <sys/stat.h>

#include "basic/root-file.h"
#include "basic/sha256.h"
#include "basic/strbuf.h"
#include "collect/collect-unit-override.h"
#include "fix/fix-files.h"
#include "fix/fix-paths.h"
#include "systemd/unitfile.h"

/* The physical lines of a text: where each starts and how long it is (without its "\n"). */
typedef struct Lines {
        const char *text;
        size_t *start, *len;
        size_t n;
} Lines;

static void lines_done(Lines *l)
{
        free(l->start);
        free(l->len);
}

/* Every line ending in "\n", and the rest after the last one when it is not empty. */
static int lines_split(const char *text, Lines *ret)
{
        size_t n = 1;

        for (const char *s = text; *s; s++)
                n += *s == '\n';
        *ret = (Lines){.text = text, .start = calloc(n, sizeof(size_t)), .len = calloc(n, sizeof(size_t))};
        if (!ret->start || !ret->len)
                return -ENOMEM;
        for (const char *s = text; *s;) {
                size_t len = strcspn(s, "\n");
                ret->start[ret->n] = (size_t) (s - text);
                ret->len[ret->n++] = len;
                s += len + (s[len] == '\n');
        }
        return 0;
}

/* A requirement taken out still leaves the unit wanted and ordered after the item. */
static bool is_requirement(const char *key)
{
        return streq(key, "BindsTo") || streq(key, "Requires") || streq(key, "Requisite");
}

/* The [Unit] assignments of key, each with its words and the edits made to them. */
typedef struct Edit {
        const UnitAssignment *a;
        char **words;
        bool touched;
        char **insert; /* lines to add after this one */
} Edit;

static int words_split(const UnitAssignment *a, char ***ret)
{
        _cleanup_free_ char *copy = strdup(a->value);
        char *save = NULL;

        if (!copy)
                return -ENOMEM;
        *ret = calloc(1, sizeof(char *));
        if (!*ret)
                return -ENOMEM;
        for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
                if (strv_extend(ret, w) < 0)
                        return -ENOMEM;
        return 0;
}

static void edits_free(Edit *e, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                strv_free(e[i].words);
                strv_free(e[i].insert);
        }
        free(e);
}

/* One Edit per [Unit] assignment of a dependency setting. */
static int edits_build(const UnitFile *u, Edit **ret, size_t *ret_n)
{
        Edit *e = calloc(u->n_assignments + 1, sizeof *e);
        size_t n = 0;
        int r;

        if (!e)
                return -ENOMEM;
        for (size_t i = 0; i < u->n_assignments; i++) {
                const UnitAssignment *a = &u->assignments[i];
                if (!streq(a->section, "Unit"))
                        continue;
                e[n].a = a;
                if ((r = words_split(a, &e[n++].words)) < 0) {
                        edits_free(e, n);
                        return r;
                }
        }
        *ret = e;
        *ret_n = n;
        return 0;
}

static bool edits_have(const Edit *e, size_t n, const char *key, const char *item)
{
        for (size_t i = 0; i < n; i++)
                if (streq(e[i].a->key, key) && strv_contains(e[i].words, item))
                        return true;
        return false;
}

/* Takes item out of every KEY= line; the first such line gets what must be added. */
static int edits_remove(
        Edit *e, size_t n, const Lines *l, const char *path, const UnitOverrideRemoval *rm, char **ret_error)
{
        Edit *first = NULL;
        _cleanup_strv_free_ char **kept = NULL;

        for (size_t i = 0; i < n; i++) {
                const UnitAssignment *a = e[i].a;
                size_t ln = a->line - 1;

                if (!streq(a->key, rm->key) || !strstr(a->value, rm->item))
                        continue;
                if (strpbrk(a->value, "\"'\\") || ln >= l->n ||
                        (l->len[ln] > 0 && l->text[l->start[ln] + l->len[ln] - 1] == '\\'))
                        return error_setf(ret_error, -EINVAL,
                                "%s:%u: %s= is quoted or continued over lines: take %s out of it by hand",
                                path, a->line, a->key, rm->item);
                if (!strv_contains(e[i].words, rm->item))
                        continue;
                for (char **w = e[i].words; *w; w++)
                        if (!streq(*w, rm->item) && strv_extend(&kept, *w) < 0)
                                return -ENOMEM;
                strv_free(e[i].words);
                e[i].words = kept ? TAKE_PTR(kept) : calloc(1, sizeof(char *));
                if (!e[i].words)
                        return -ENOMEM;
                e[i].touched = true;
                first = first ? first : &e[i];
        }
        if (!first)
                return error_setf(ret_error, -ENOENT, "%s has no %s=%s in [Unit]", path, rm->key, rm->item);
        if (!is_requirement(rm->key))
                return 0;
        if (!edits_have(e, n, "Wants", rm->item) &&
                strv_consume(&first->insert, strdupf("Wants=%s", rm->item)) < 0)
                return -ENOMEM;
        if (!edits_have(e, n, "After", rm->item) &&
                strv_consume(&first->insert, strdupf("After=%s", rm->item)) < 0)
                return -ENOMEM;
        return 0;
}

static int render_header(StrBuf *b, const char *vendor_path, const char *digest,
        const UnitOverrideRemoval *removals, size_t n, const char *version, char *const *rule_ids)
{
        _cleanup_free_ char *ids = strv_join(rule_ids, ", ");
        _cleanup_sb_ StrBuf what = {};

        if (!ids)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                if (sb_printf(&what, "%s%s=%s", i ? ", " : "", removals[i].key, removals[i].item) < 0)
                        return -ENOMEM;
        return sb_printf(b,
                FIX_HEADER_PREFIX
                "%s" FIX_HEADER_RULES "%s\n" UNIT_OVERRIDE_MARK "%s" UNIT_OVERRIDE_DIGEST "%s\n"
                "# A full copy of that file without %s (a drop-in cannot take a dependency\n"
                "# out). systemd reads this file instead of that one, so package updates of it do not\n"
                "# apply here: dockaudit audit reports when it changes (unit-override-stale). Remove\n"
                "# this file (and reload) to go back to it. Drop-ins of the unit still apply.\n\n",
                version, ids, vendor_path, digest, what.buf ? what.buf : "");
}

static int render_lines(StrBuf *b, const Lines *l, const Edit *e, size_t n)
{
        for (size_t ln = 0; ln < l->n; ln++) {
                const Edit *ed = NULL;
                _cleanup_free_ char *joined = NULL;

                for (size_t i = 0; i < n && !ed; i++)
                        if (e[i].touched && e[i].a->line == ln + 1)
                                ed = &e[i];
                if (!ed) {
                        if (sb_append_len(b, l->text + l->start[ln], l->len[ln]) < 0 || sb_putc(b, '\n') < 0)
                                return -ENOMEM;
                        continue;
                }
                if (!strv_isempty(ed->words)) {
                        if (!(joined = strv_join(ed->words, " ")) ||
                                sb_printf(b, "%s=%s\n", ed->a->key, joined) < 0)
                                return -ENOMEM;
                }
                for (char **x = ed->insert; x && *x; x++)
                        if (sb_printf(b, "%s\n", *x) < 0)
                                return -ENOMEM;
        }
        return 0;
}

int unit_override_render(const char *vendor_path, const char *vendor_text, size_t vendor_size,
        const UnitOverrideRemoval *removals, size_t n, const char *version, char *const *rule_ids,
        char **ret_text, char **ret_error)
{
        _cleanup_unit_file_ UnitFile *u = NULL;
        _cleanup_(lines_done) Lines l = {};
        _cleanup_sb_ StrBuf b = {};
        char digest[SHA256_HEX_SIZE];
        Edit *e = NULL;
        size_t n_e = 0;
        int r;

        if (strlen(vendor_text) != vendor_size || strchr(vendor_text, '\r'))
                return error_setf(ret_error, -EINVAL,
                        "%s holds a NUL or CR byte: dockaudit does not copy it; make the override by hand",
                        vendor_path);
        if ((r = unit_file_parse(vendor_path, vendor_text, vendor_size, &u)) < 0)
                return r;
        if (u->fatal)
                return error_setf(ret_error, -EINVAL, "%s", strempty(u->fatal_msg));
        if ((r = sha256_hex(vendor_text, vendor_size, digest)) < 0 ||
                (r = lines_split(vendor_text, &l)) < 0 || (r = edits_build(u, &e, &n_e)) < 0)
                return r;
        for (size_t i = 0; i < n && r >= 0; i++)
                r = edits_remove(e, n_e, &l, vendor_path, &removals[i], ret_error);
        if (r >= 0 && (r = render_header(&b, vendor_path, digest, removals, n, version, rule_ids)) >= 0)
                r = render_lines(&b, &l, e, n_e);
        edits_free(e, n_e);
        if (r < 0)
                return r;
        *ret_text = sb_steal(&b);
        return *ret_text ? 0 : -ENOMEM;
}

/* The removals and rule ids of the plan's override actions (pointing into the plan). */
static int plan_removals(const FixPlan *p, UnitOverrideRemoval **ret, size_t *ret_n, char ***ret_ids)
{
        _cleanup_free_ UnitOverrideRemoval *rm = calloc(p->n_actions + 1, sizeof *rm);
        size_t n = 0;

        if (!rm)
                return -ENOMEM;
        for (size_t i = 0; i < p->n_actions; i++) {
                const PlanAction *a = &p->actions[i];
                if (a->type != FIX_ACTION_UNIT_OVERRIDE)
                        continue;
                rm[n++] = (UnitOverrideRemoval){.key = a->key, .item = a->value};
                for (char **id = a->rule_ids; id && *id; id++)
                        if (!strv_contains(*ret_ids, *id) && strv_extend(ret_ids, *id) < 0)
                                return -ENOMEM;
        }
        *ret = TAKE_PTR(rm);
        *ret_n = n;
        return 0;
}

/* UNIT_DIR/UNIT from UNIT_DIR/UNIT.d/50-dockaudit.conf. */
static int override_path(const char *dropin_path, char **ret, char **ret_error)
{
        const char *tail = "/" FIX_DROPIN_NAME;
        size_t n = strlen(dropin_path);

        if (n < strlen(tail) + 3 || !endswith(dropin_path, tail) ||
                !startswith(dropin_path + n - strlen(tail) - 2, ".d"))
                return error_setf(ret_error, -EINVAL, "%s is not a drop-in of ours", dropin_path);
        *ret = strndup(dropin_path, n - strlen(tail) - 2);
        return *ret ? 0 : -ENOMEM;
}

/* Where the fragment may not be: a directory systemd reads before the admin's. */
static int check_fragment(const char *frag, const char *target, char **ret_error)
{
        static const char *const before[] = {"/systemd/system.control/", "/systemd/user.control/",
                "/systemd/transient/", "/systemd/generator.early/"};
        const char *fb = strrchr(frag, '/'), *tb = strrchr(target, '/');

        if (*frag != '/' || !fb)
                return error_setf(ret_error, -EINVAL, "the unit's fragment path '%s' is not absolute", frag);
        for (size_t i = 0; i < ELEMENTSOF(before); i++)
                if (strstr(frag, before[i]))
                        return error_setf(ret_error, -EINVAL,
                                "%s is in a directory systemd reads before %s: a full override there would "
                                "not "
                                "be used",
                                frag, target);
        if (!tb || !streq(fb, tb))
                return error_setf(ret_error, -EINVAL,
                        "the unit is loaded from %s, another name than %s: make the override by hand", frag,
                        tb ? tb + 1 : target);
        return 0;
}

/* The text to copy: the fragment, or the vendor file that our override in its place names. */
static int override_source(const char *root, const char *frag, const char *target, char **ret_vendor,
        char **ret_text, size_t *ret_size, char **ret_error)
{
        _cleanup_free_ char *text = NULL, *vendor = NULL, *digest = NULL,
                            *frag_rooted = root_path(root, frag);
        struct stat st;
        unsigned line;
        size_t size;
        int r;

        if (!frag_rooted)
                return -ENOMEM;
        if ((r = root_read_file(root, frag, &text, &size)) < 0)
                return error_setf(ret_error, r, "%s: cannot read: %s", frag_rooted, read_strerror(r));
        if ((r = unit_override_header_parse(text, &vendor, &digest, &line)) < 0)
                return r;
        if (r > 0) {
                free(text);
                text = NULL;
                if ((r = root_read_file(root, vendor, &text, &size)) < 0)
                        return error_setf(ret_error, r, "%s:%u names %s, which cannot be read: %s",
                                frag_rooted, line, vendor, read_strerror(r));
                *ret_vendor = TAKE_PTR(vendor);
        } else if (streq(frag_rooted, target))
                return error_setf(ret_error, -EEXIST,
                        "%s is already a full copy of the unit, not written by dockaudit: edit it there by "
                        "hand",
                        frag_rooted);
        else if (lstat(target, &st) == 0)
                return error_setf(ret_error, -EEXIST,
                        "%s is in the way of the override (systemd loads the unit from %s): remove it or "
                        "edit it by hand",
                        target, frag_rooted);
        else if (!(*ret_vendor = strdup(frag)))
                return -ENOMEM;
        *ret_text = TAKE_PTR(text);
        *ret_size = size;
        return 0;
}

int fix_unit_override_plan(const FixPlan *p, const Facts *facts, const char *root, const char *dropin_path,
        char **ret_path, char **ret_text, char **ret_error)
{
        _cleanup_free_ UnitOverrideRemoval *rm = NULL;
        _cleanup_strv_free_ char **ids = NULL;
        _cleanup_free_ char *target = NULL, *vendor = NULL, *text = NULL, *out = NULL;
        const char *frag = facts_get_string(facts, "unit.fragment_path");
        size_t n, size = 0;
        int r;

        *ret_path = *ret_text = NULL;
        if ((r = plan_removals(p, &rm, &n, &ids)) < 0)
                return r;
        if (n == 0)
                return 0;
        if (!frag || !*frag)
                return error_setf(
                        ret_error, -ENOENT, "the plan overrides the unit, but its fragment file is unknown");
        if ((r = override_path(dropin_path, &target, ret_error)) < 0 ||
                (r = check_fragment(frag, target, ret_error)) < 0 ||
                (r = override_source(root, frag, target, &vendor, &text, &size, ret_error)) < 0 ||
                (r = unit_override_render(
                         vendor, text, size, rm, n, PACKAGE_VERSION, ids, &out, ret_error)) < 0)
                return r;
        *ret_path = TAKE_PTR(target);
        *ret_text = TAKE_PTR(out);
        return 1;
}

/* The drop-in lines that set item in key, as refusals. */
static int check_dropin(const char *root, const char *path, const PlanAction *a, char ***refusals)
{
        _cleanup_unit_file_ UnitFile *u = NULL;
        _cleanup_free_ char *text = NULL, *where = root_path(root, path);
        size_t size;
        int r, n = 0;

        if (!where)
                return -ENOMEM;
        r = root_read_file(root, path, &text, &size);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return strv_consume(refusals,
                               strdupf("%s: cannot read: %s (it may set %s=%s, which a full override "
                                       "cannot take out)",
                                       where, read_strerror(r), a->key, a->value)) < 0
                               ? -ENOMEM
                               : 1;
        if ((r = unit_file_parse(where, text, size, &u)) < 0)
                return r;
        for (size_t i = 0; i < u->n_assignments; i++) {
                const UnitAssignment *x = &u->assignments[i];
                _cleanup_free_ char *copy = NULL;
                char *save = NULL;
                bool hit = false;

                if (!streq(x->section, "Unit") || !streq(x->key, a->key))
                        continue;
                if (!(copy = strdup(x->value)))
                        return -ENOMEM;
                for (char *w = strtok_r(copy, " \t", &save); w && !hit; w = strtok_r(NULL, " \t", &save))
                        hit = streq(w, a->value);
                if (!hit)
                        continue;
                if (strv_consume(refusals,
                            strdupf("%s:%u sets %s=%s in a drop-in, which applies on top of a full "
                                    "override: take it out there",
                                    where, x->line, a->key, a->value)) < 0)
                        return -ENOMEM;
                n++;
        }
        return n;
}

int fix_unit_override_check(const FixPlan *p, const Facts *facts, const char *root, char ***refusals)
{
        const Fact *dropins = facts_get(facts, "unit.dropin_paths");
        int r, n = 0;

        for (size_t i = 0; i < p->n_actions; i++) {
                if (p->actions[i].type != FIX_ACTION_UNIT_OVERRIDE || !dropins || !dropins->known ||
                        dropins->type != FACT_LIST)
                        continue;
                for (char **d = dropins->list; d && *d; d++) {
                        if ((r = check_dropin(root, *d, &p->actions[i], refusals)) < 0)
                                return r;
                        n += r;
                }
        }
        return n;
}
