/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <jansson.h>
#include <sys/stat.h>

#include "basic/atomic-write.h"
#include "basic/sysctl-util.h"
#include "fix/fix-files.h"
#include "formats/daemon-json.h"
#include "formats/json-util.h"
#include "systemd/unitfile.h"

/* Label for errors in a file we wrote before (the caller knows the full path). */
#define OWN_FILE_LABEL "50-dockaudit.conf"

typedef struct Entry {
        char *section; /* "" for sysctl */
        char *key;
        char *value;
        size_t order; /* position among equal section+key, for a stable sort */
} Entry;

typedef struct EntryList {
        Entry *e;
        size_t n;
} EntryList;

static void entry_list_free(EntryList *l)
{
        for (size_t i = 0; i < l->n; i++) {
                free(l->e[i].section);
                free(l->e[i].key);
                free(l->e[i].value);
        }
        free(l->e);
        *l = (EntryList){};
}
#define _cleanup_entries_ _cleanup_(entry_list_free)

static int entry_list_add(EntryList *l, const char *section, const char *key, const char *value)
{
        Entry *e = reallocarray(l->e, l->n + 1, sizeof *e);
        if (!e)
                return -ENOMEM;
        l->e = e;
        e = &l->e[l->n];
        *e = (Entry){strdup(section), strdup(key), strdup(value), l->n};
        if (!e->section || !e->key || !e->value) {
                free(e->section);
                free(e->key);
                free(e->value);
                return -ENOMEM;
        }
        l->n++;
        return 0;
}

static int section_rank(const char *s)
{
        if (streq(s, "Unit"))
                return 0;
        if (streq(s, "Install"))
                return 2;
        return 1;
}

static int entry_cmp(const void *x, const void *y)
{
        const Entry *a = x, *b = y;
        int r = section_rank(a->section) - section_rank(b->section);
        if (r == 0)
                r = strcmp(a->section, b->section);
        if (r == 0)
                r = strcmp(a->key, b->key);
        if (r == 0)
                r = a->order < b->order ? -1 : a->order > b->order;
        return r;
}

static bool entry_lists_equal(const EntryList *a, const EntryList *b)
{
        if (a->n != b->n)
                return false;
        for (size_t i = 0; i < a->n; i++)
                if (!streq(a->e[i].section, b->e[i].section) || !streq(a->e[i].key, b->e[i].key) ||
                        !streq(a->e[i].value, b->e[i].value))
                        return false;
        return true;
}

static bool chars_only(const char *s, const char *extra)
{
        if (!s || !*s)
                return false;
        for (; *s; s++)
                if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
                            strchr(extra, *s)))
                        return false;
        return true;
}

static bool has_control_chars(const char *s)
{
        for (; *s; s++)
                if ((unsigned char) *s < 0x20 || *s == 0x7f)
                        return true;
        return false;
}

/* A value systemd will read back exactly as given: whitespace would be trimmed, a trailing
 * backslash continues the line, '%' is a specifier, control characters end or break lines. */
static int check_value(const char *what, const char *value, bool allow_empty, char **ret_error)
{
        size_t l;

        if (!value)
                return error_setf(ret_error, -EINVAL, "%s: no value", what);
        l = strlen(value);
        if (l == 0)
                return allow_empty ? 0 : error_setf(ret_error, -EINVAL, "%s: empty value", what);
        if (has_control_chars(value) || !utf8_is_valid_n(value, l))
                return error_setf(
                        ret_error, -EINVAL, "%s: value contains control characters or invalid UTF-8", what);
        if (value[0] == ' ' || value[l - 1] == ' ')
                return error_setf(ret_error, -EINVAL, "%s: value \"%s\" has leading or trailing whitespace",
                        what, value);
        if (value[l - 1] == '\\')
                return error_setf(ret_error, -EINVAL, "%s: value \"%s\" ends in a backslash", what, value);
        if (strchr(value, '%'))
                return error_setf(ret_error, -EINVAL, "%s: value \"%s\" contains '%%' (a systemd specifier)",
                        what, value);
        return 0;
}

/* A setting of our old file is written back as it was read; one that would read differently
 * once written (a newline or a trailing backslash joins lines, a '%' becomes a specifier) is
 * refused with the file to mend, as a planned value would be. */
static int check_kept_value(const UnitAssignment *a, char **ret_error)
{
        _cleanup_free_ char *what = strdupf("%s: [%s] %s", OWN_FILE_LABEL, a->section, a->key);

        if (!what)
                return -ENOMEM;
        return check_value(what, a->value, true, ret_error);
}

static int check_rule_ids(char *const *rule_ids, const char *version, char **ret_error)
{
        if (!version || !chars_only(version, "._+~-"))
                return error_setf(ret_error, -EINVAL, "invalid version \"%s\"", strempty(version));
        for (char *const *id = rule_ids; id && *id; id++)
                if (!chars_only(*id, "._-"))
                        return error_setf(ret_error, -EINVAL, "invalid rule id \"%s\"", *id);
        return 0;
}

/* Rule ids from our header line in old_text, if there is one. */
static int parse_header_ids(const char *old_text, char ***ret)
{
        _cleanup_strv_free_ char **ids = NULL;
        const char *p, *q;
        int r;

        p = old_text ? startswith(old_text, FIX_HEADER_PREFIX) : NULL;
        if (p && (q = strstr(p, FIX_HEADER_RULES)) && q < strchrnul(p, '\n')) {
                q += strlen(FIX_HEADER_RULES);
                const char *eol = strchrnul(q, '\n');
                while (q < eol) {
                        const char *c = memchr(q, ',', (size_t) (eol - q));
                        const char *end = c ? c : eol;
                        _cleanup_free_ char *id = strndup(q, (size_t) (end - q));
                        if (!id)
                                return -ENOMEM;
                        const char *t = strstrip(id);
                        if (*t && !strv_contains(ids, t) && (r = strv_extend(&ids, t)) < 0)
                                return r;
                        q = c ? c + 1 : eol;
                }
        }
        *ret = TAKE_PTR(ids);
        return 0;
}

/* Old entries minus those the plan replaces, plus the plan; then sorted. Sets *ret_same when
 * the result equals the old entries and the header already names every rule id. */
static int merge(const EntryList *old, const DropinSetting *settings, size_t n, bool use_section,
        EntryList *ret, bool *ret_same)
{
        _cleanup_entries_ EntryList m = {}, o = {};
        int r;

        for (size_t i = 0; i < old->n; i++) {
                bool replaced = false;
                for (size_t j = 0; j < n && !replaced; j++)
                        replaced = (!use_section || streq(old->e[i].section, settings[j].section)) &&
                                   streq(old->e[i].key, settings[j].key);
                if (!replaced &&
                        (r = entry_list_add(&m, old->e[i].section, old->e[i].key, old->e[i].value)) < 0)
                        return r;
                if ((r = entry_list_add(&o, old->e[i].section, old->e[i].key, old->e[i].value)) < 0)
                        return r;
        }
        for (size_t j = 0; j < n; j++)
                if ((r = entry_list_add(&m, use_section ? settings[j].section : "", settings[j].key,
                             settings[j].value)) < 0)
                        return r;
        if (m.n > 0) /* qsort(NULL, 0) is undefined */
                qsort(m.e, m.n, sizeof *m.e, entry_cmp);
        if (o.n > 0)
                qsort(o.e, o.n, sizeof *o.e, entry_cmp);
        *ret_same = entry_lists_equal(&m, &o);
        *ret = m;
        m = (EntryList){};
        return 0;
}

static int render_header(StrBuf *b, const char *version, char *const *old_ids, char *const *rule_ids)
{
        _cleanup_strv_free_ char **ids = strv_copy(old_ids ? old_ids : (char *const[]){NULL});
        _cleanup_free_ char *joined = NULL;
        int r;

        if (!ids)
                return -ENOMEM;
        for (char *const *id = rule_ids; id && *id; id++)
                if (!strv_contains(ids, *id) && (r = strv_extend(&ids, *id)) < 0)
                        return r;
        joined = strv_join(ids, ", ");
        if (!joined)
                return -ENOMEM;
        return sb_printf(
                b, FIX_HEADER_PREFIX "%s" FIX_HEADER_RULES "%s\n" FIX_HEADER_LINE2 "\n", version, joined);
}

static bool ids_all_known(char *const *old_ids, char *const *rule_ids)
{
        for (char *const *id = rule_ids; id && *id; id++)
                if (!strv_contains(old_ids, *id))
                        return false;
        return true;
}

static int finish(const char *old_text, bool same, StrBuf *b, char **ret_text)
{
        char *s = same ? strdup(old_text) : sb_steal(b);
        if (!s)
                return -ENOMEM;
        *ret_text = s;
        return 0;
}

int dropin_render(const char *old_text, const DropinSetting *settings, size_t n, const char *version,
        char *const *rule_ids, char **ret_text, char **ret_error)
{
        _cleanup_unit_file_ UnitFile *u = NULL;
        _cleanup_entries_ EntryList old = {}, merged = {};
        _cleanup_strv_free_ char **old_ids = NULL;
        _cleanup_sb_ StrBuf b = {};
        bool same;
        int r;

        r = check_rule_ids(rule_ids, version, ret_error);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                const DropinSetting *s = &settings[i];
                if (!chars_only(s->section, "_-.:"))
                        return error_setf(
                                ret_error, -EINVAL, "invalid section name \"%s\"", strempty(s->section));
                if (!chars_only(s->key, "_-"))
                        return error_setf(
                                ret_error, -EINVAL, "invalid setting name \"%s\"", strempty(s->key));
                _cleanup_free_ char *what = strdupf("[%s] %s", s->section, s->key);
                if (!what)
                        return -ENOMEM;
                /* An empty value resets list settings ("ExecStart="), but never MountFlags. */
                r = check_value(what, s->value, !streq(s->key, "MountFlags"), ret_error);
                if (r < 0)
                        return r;
                if (streq(s->key, "MountFlags") && !streq(s->value, "shared") && !streq(s->value, "slave") &&
                        !streq(s->value, "private"))
                        return error_setf(ret_error, -EINVAL,
                                "%s: must be shared, slave or private, not \"%s\"", what, s->value);
        }

        if (old_text) {
                r = unit_file_parse(OWN_FILE_LABEL, old_text, strlen(old_text), &u);
                if (r < 0)
                        return r;
                if (u->fatal)
                        return error_setf(ret_error, -EINVAL, "%s", u->fatal_msg);
                for (size_t i = 0; i < u->n_assignments; i++) {
                        const UnitAssignment *a = &u->assignments[i];
                        /* A key systemd cannot know (it starts with a BOM that was not the
                         * file's first) does nothing here, but moved to another line it could
                         * become a setting (systemd strips the first BOM it meets): dropped. */
                        if (!chars_only(a->key, "_-"))
                                continue;
                        if ((r = check_kept_value(a, ret_error)) < 0)
                                return r;
                        if ((r = entry_list_add(&old, a->section, a->key, a->value)) < 0)
                                return r;
                }
                if ((r = parse_header_ids(old_text, &old_ids)) < 0)
                        return r;
        }

        r = merge(&old, settings, n, true, &merged, &same);
        if (r < 0)
                return r;
        same = same && old_text && ids_all_known(old_ids, rule_ids);
        if (!same) {
                if ((r = render_header(&b, version, old_ids, rule_ids)) < 0)
                        return r;
                for (size_t i = 0; i < merged.n; i++) {
                        const Entry *e = &merged.e[i];
                        if ((i == 0 || !streq(e->section, merged.e[i - 1].section)) &&
                                (r = sb_printf(&b, "\n[%s]\n", e->section)) < 0)
                                return r;
                        if ((r = sb_printf(&b, "%s=%s\n", e->key, e->value)) < 0)
                                return r;
                }
        }
        return finish(old_text, same, &b, ret_text);
}

static int parse_sysctl_text(const char *text, EntryList *ret, char **ret_error)
{
        unsigned line = 0;
        int r;

        for (const char *p = text; *p;) {
                const char *eol = strchrnul(p, '\n');
                _cleanup_free_ char *l = strndup(p, (size_t) (eol - p));
                if (!l)
                        return -ENOMEM;
                line++;
                p = *eol ? eol + 1 : eol;
                char *s = strstrip(l);
                if (!*s || *s == '#' || *s == ';')
                        continue;
                char *eq = strchr(s, '=');
                if (!eq)
                        return error_setf(
                                ret_error, -EINVAL, OWN_FILE_LABEL ":%u: line is not \"key = value\"", line);
                *eq = '\0';
                char *key = strstrip(s), *value = strstrip(eq + 1);
                if (!sysctl_key_is_valid(key))
                        return error_setf(ret_error, -EINVAL,
                                OWN_FILE_LABEL ":%u: invalid sysctl name \"%s\"", line, key);
                if ((r = entry_list_add(ret, "", key, value)) < 0)
                        return r;
        }
        return 0;
}

int sysctl_render(const char *old_text, const DropinSetting *settings, size_t n, const char *version,
        char *const *rule_ids, char **ret_text, char **ret_error)
{
        _cleanup_entries_ EntryList old = {}, merged = {};
        _cleanup_strv_free_ char **old_ids = NULL;
        _cleanup_sb_ StrBuf b = {};
        bool same;
        int r;

        r = check_rule_ids(rule_ids, version, ret_error);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                if (!sysctl_key_is_valid(settings[i].key))
                        return error_setf(
                                ret_error, -EINVAL, "invalid sysctl name \"%s\"", strempty(settings[i].key));
                r = check_value(settings[i].key, settings[i].value, false, ret_error);
                if (r < 0)
                        return r;
                for (size_t j = 0; j < i; j++)
                        if (streq(settings[i].key, settings[j].key))
                                return error_setf(ret_error, -EINVAL, "%s: set twice", settings[i].key);
        }
        if (old_text) {
                if ((r = parse_sysctl_text(old_text, &old, ret_error)) < 0)
                        return r;
                if ((r = parse_header_ids(old_text, &old_ids)) < 0)
                        return r;
        }
        r = merge(&old, settings, n, false, &merged, &same);
        if (r < 0)
                return r;
        same = same && old_text && ids_all_known(old_ids, rule_ids);
        if (!same) {
                if ((r = render_header(&b, version, old_ids, rule_ids)) < 0)
                        return r;
                if (merged.n > 0 && (r = sb_putc(&b, '\n')) < 0)
                        return r;
                for (size_t i = 0; i < merged.n; i++) {
                        /* Several old lines for one key: the last wins in systemd-sysctl too. */
                        if (i + 1 < merged.n && streq(merged.e[i].key, merged.e[i + 1].key))
                                continue;
                        if ((r = sb_printf(&b, "%s = %s\n", merged.e[i].key, merged.e[i].value)) < 0)
                                return r;
                }
        }
        return finish(old_text, same, &b, ret_text);
}

/* The object an edit of key lands in, and the member name: the top level, or for "parent.child"
 * the object under parent (created when create is set and it is missing). NULL *ret_obj: there
 * is nothing to remove. -EINVAL when parent holds something other than an object. */
static int edit_target(const DaemonJson *d, const char *key, bool create, json_t **ret_obj,
        char **ret_member, char **ret_error)
{
        const char *dot = strchr(key, '.');
        _cleanup_free_ char *parent = NULL;
        json_t *obj;

        if (!dot) {
                *ret_obj = d->root;
                *ret_member = strdup(key);
                return *ret_member ? 0 : -ENOMEM;
        }
        if (!(parent = strndup(key, (size_t) (dot - key))))
                return -ENOMEM;
        obj = json_object_get(d->root, parent);
        if (obj && !json_is_object(obj))
                return error_setf(ret_error, -EINVAL,
                        "%s:%u: \"%s\" is %s, not an object: cannot set \"%s\" in it", d->path,
                        daemon_json_key_line(d, parent), parent, json_kind(obj), dot + 1);
        if (!obj && create) {
                /* Appended at the end, like a new top-level key. */
                if (json_object_set_new(d->root, parent, json_object()) < 0)
                        return -ENOMEM;
                obj = json_object_get(d->root, parent);
        }
        *ret_obj = obj;
        *ret_member = strdup(dot + 1);
        return *ret_member ? 0 : -ENOMEM;
}

/* One edit; *changed is set when the document changed. */
static int apply_edit(DaemonJson *d, const JsonEdit *e, bool *changed, char **ret_error)
{
        _cleanup_free_ char *member = NULL;
        _cleanup_json_ json_t *v = NULL;
        json_error_t err;
        json_t *obj = NULL, *cur;
        int r;

        if (!e->key || !utf8_is_valid_n(e->key, strlen(e->key)))
                return error_setf(ret_error, -EINVAL, "%s: invalid key in edit", d->path);
        if (e->json_value && !(v = json_loads(e->json_value, JSON_DECODE_ANY, &err)))
                return error_setf(ret_error, -EINVAL, "%s: invalid JSON value: %s", e->key, err.text);
        if ((r = edit_target(d, e->key, !!v, &obj, &member, ret_error)) < 0)
                return r;
        cur = obj ? json_object_get(obj, member) : NULL;
        if (!v) {
                if (cur) {
                        json_object_del(obj, member);
                        *changed = true;
                }
                return 0;
        }
        if (cur && json_equal(cur, v))
                return 0;
        /* Replacing a key keeps its position: jansson's objects are ordered. */
        if (json_object_set(obj, member, v) < 0)
                return -ENOMEM;
        *changed = true;
        return 0;
}

int daemon_json_edit(const char *path, const char *old_text, const JsonEdit *edits, size_t n,
        char **ret_text, char **ret_error)
{
        _cleanup_(daemon_json_done) DaemonJson d = {};
        _cleanup_free_ char *dump = NULL;
        bool changed = false;
        int r;

        r = daemon_json_parse(path, strempty(old_text), strlen(strempty(old_text)), &d, ret_error);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++)
                if ((r = apply_edit(&d, &edits[i], &changed, ret_error)) < 0)
                        return r;
        if (!changed) {
                if (!old_text) {
                        *ret_text = NULL;
                        return 0;
                }
                *ret_text = strdup(old_text);
                return *ret_text ? 0 : -ENOMEM;
        }
        dump = json_dumps(d.root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (!dump)
                return -ENOMEM;
        *ret_text = strdupf("%s\n", dump);
        return *ret_text ? 0 : -ENOMEM;
}

int backup_file(const char *path, char **ret_error)
{
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *bak = NULL, *data = NULL;
        struct stat st;
        size_t size;
        int r;

        /* Regular files only, as every read: a FIFO here must not block the fixer. */
        fd = open_regular_at(AT_FDCWD, path, O_NOFOLLOW);
        if (fd == -ELOOP)
                return error_setf(ret_error, fd, "%s: is a symlink, refusing to back it up", path);
        if (fd < 0)
                return error_setf(ret_error, fd, "%s: %s", path, read_strerror(fd));
        if (fstat(fd, &st) < 0)
                return error_setf(ret_error, -errno, "%s: %s", path, strerror(errno));
        r = read_full_fd(fd, &data, &size);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return error_setf(
                        ret_error, r, "%s: %s", path, r == -EFBIG ? "too large" : read_strerror(r));
        bak = strdupf("%s.dockaudit-bak", path);
        if (!bak)
                return -ENOMEM;
        /* The backup gets the original's owner, group and mode; our stale temp files for it (a
         * fixer killed while writing it) go first. */
        return atomic_write_file_full(bak, data, size, st.st_mode, &st, 0, ret_error);
}
