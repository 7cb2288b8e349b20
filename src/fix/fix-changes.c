/* SPDX-License-Identifier: MIT */
#include "fix/fix-changes.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "basic/atomic-write.h"
#include "basic/diff.h"
#include "basic/root-file.h"
#include "basic/sysctl-util.h"
#include "fix/fix-files.h"
#include "fix/fix-paths.h"
#include "fix/fix-unit-override.h"

static void change_done(FixChange *ch)
{
        free(ch->unit);
        free(ch->path);
        free(ch->old_text);
        free(ch->new_text);
        free(ch->key);
        free(ch->diff);
}

void fix_changes_done(FixChanges *c)
{
        for (size_t i = 0; i < c->n; i++)
                change_done(&c->v[i]);
        free(c->v);
        *c = (FixChanges){};
}

static FixChange *changes_add(FixChanges *c)
{
        FixChange *n = realloc(c->v, (c->n + 1) * sizeof *n);

        if (!n)
                return NULL;
        c->v = n;
        c->v[c->n] = (FixChange){};
        return &c->v[c->n++];
}

/* Reads a file we may replace; NULL text when missing. Refuses symlinks and non-files. */
static int read_target(const char *path, char **ret, mode_t *ret_mode, char **ret_error)
{
        struct stat st;
        size_t size;

        if (lstat(path, &st) < 0) {
                if (errno != ENOENT)
                        return error_setf(ret_error, -errno, "%s: %s", path, strerror(errno));
                *ret = NULL;
                return 0;
        }
        if (S_ISLNK(st.st_mode))
                return error_setf(ret_error, -ELOOP,
                        "%s is a symbolic link: refusing to write through it "
                        "(replace it with a file, or edit its target by hand)",
                        path);
        if (!S_ISREG(st.st_mode))
                return error_setf(ret_error, -EINVAL, "%s is not a regular file", path);
        *ret_mode = st.st_mode & 07777;
        /* No symlink followed and only a regular file read, even if one was swapped in since. */
        int r = read_full_file_at(AT_FDCWD, path, O_NOFOLLOW, ret, &size);
        return r < 0 ? error_setf(ret_error, r, "%s: cannot read: %s", path, read_strerror(r)) : 0;
}

/* The ids of the rules behind the actions of one kind (and unit), each once, in plan order. */
static int collect_rule_ids(const FixPlan *p, FixActionType type, const char *unit, char ***ret)
{
        for (size_t i = 0; i < p->n_actions; i++)
                if (p->actions[i].type == type && streq_ptr(p->actions[i].unit, unit))
                        for (char **id = p->actions[i].rule_ids; id && *id; id++)
                                if (!strv_contains(*ret, *id) && strv_extend(ret, *id) < 0)
                                        return -ENOMEM;
        return 0;
}

/* The settings of one action kind (and unit), as the renderers take them (pointing into the
 * plan). */
static int settings_of(
        const FixPlan *p, FixActionType type, const char *unit, DropinSetting **ret, size_t *ret_n)
{
        DropinSetting *s = calloc(p->n_actions + 1, sizeof *s);
        size_t n = 0;

        if (!s)
                return -ENOMEM;
        for (size_t i = 0; i < p->n_actions; i++)
                if (p->actions[i].type == type && streq_ptr(p->actions[i].unit, unit))
                        s[n++] = (DropinSetting){.section = p->actions[i].section,
                                .key = p->actions[i].key,
                                .value = p->actions[i].value};
        *ret = s;
        *ret_n = n;
        return 0;
}

/* Adds the replacement of the file at *path, taking *path, *old and *new_text; nothing when
 * new_text is NULL (daemon.json missing and nothing to put in it) or equals the old text. */
static int add_file_change(
        FixChanges *c, FixActionType type, char **path, char **old, char **new_text, mode_t mode)
{
        FixChange *ch;

        if (!*new_text || (*old && streq(*old, *new_text)))
                return 0;
        ch = changes_add(c);
        if (!ch)
                return -ENOMEM;
        *ch = (FixChange){.type = type,
                .path = TAKE_PTR(*path),
                .old_text = TAKE_PTR(*old),
                .new_text = TAKE_PTR(*new_text),
                .mode = mode};
        return unified_diff(
                ch->old_text ? ch->path : "/dev/null", ch->old_text, ch->path, ch->new_text, &ch->diff);
}

/* dropin_render() and sysctl_render(): our own file of settings, merged with its old text. */
typedef int (*SettingsRender)(const char *old_text, const DropinSetting *settings, size_t n,
        const char *version, char *const *rule_ids, char **ret_text, char **ret_error);

/* The file at path that holds the plan's settings of one type (and unit), rendered by render.
 * Sets *ret_settings (and *ret_n) to those settings: none, no file change. */
static int plan_settings_file(const FixPlan *p, FixActionType type, const char *unit, const char *path,
        SettingsRender render, FixChanges *c, DropinSetting **ret_settings, size_t *ret_n, char **ret_error)
{
        _cleanup_free_ DropinSetting *settings = NULL;
        _cleanup_strv_free_ char **ids = NULL;
        _cleanup_free_ char *old = NULL, *text = NULL, *target = NULL;
        mode_t mode = 0644;
        size_t n;
        int r;

        if ((r = settings_of(p, type, unit, &settings, &n)) < 0)
                return r;
        if (n > 0) {
                size_t before = c->n;

                if (!(target = strdup(path)) || collect_rule_ids(p, type, unit, &ids) < 0)
                        return -ENOMEM;
                if ((r = read_target(target, &old, &mode, ret_error)) < 0)
                        return r;
                if ((r = render(old, settings, n, PACKAGE_VERSION, ids, &text, ret_error)) < 0)
                        return r;
                if ((r = add_file_change(c, type, &target, &old, &text, mode)) < 0)
                        return r;
                if (unit && c->n > before && !(c->v[c->n - 1].unit = strdup(unit)))
                        return -ENOMEM;
        }
        if (ret_settings)
                *ret_settings = TAKE_PTR(settings);
        if (ret_n)
                *ret_n = n;
        return 0;
}

static int plan_daemon_json(
        const FixPlan *p, const Facts *facts, const char *root, FixChanges *c, char **ret_error)
{
        _cleanup_free_ JsonEdit *edits = calloc(p->n_actions + 1, sizeof *edits);
        _cleanup_free_ char *old = NULL, *text = NULL, *path = NULL;
        const char *dj = facts_get_string(facts, "daemon_json.path");
        mode_t mode = 0644;
        size_t n = 0;
        int r;

        if (!edits)
                return -ENOMEM;
        for (size_t i = 0; i < p->n_actions; i++)
                if (p->actions[i].type == FIX_ACTION_DAEMON_JSON)
                        edits[n++] = (JsonEdit){.key = p->actions[i].key, .json_value = p->actions[i].value};
        if (n == 0)
                return 0;
        if (!dj || *dj != '/')
                return error_setf(ret_error, -ENOENT,
                        "the plan edits dockerd's configuration file, but its path is unknown");
        if (!(path = root_path(root, dj)))
                return -ENOMEM;
        if ((r = read_target(path, &old, &mode, ret_error)) < 0)
                return r;
        if ((r = daemon_json_edit(path, old, edits, n, &text, ret_error)) < 0)
                return r;
        return add_file_change(c, FIX_ACTION_DAEMON_JSON, &path, &old, &text, mode);
}

/* The live value of one sysctl, when it differs from the setting (or cannot be read). */
static int plan_proc_sys(const DropinSetting *s, FixChanges *c)
{
        _cleanup_free_ char *proc = strdupf("/proc/sys/%s", s->key), *cur = NULL;
        FixChange *ch;

        if (!proc)
                return -ENOMEM;
        for (char *q = proc + strlen("/proc/sys/"); *q; q++)
                if (*q == '.')
                        *q = '/';
        if (read_one_line_file(proc, &cur) >= 0 && streq(strstrip(cur), s->value))
                return 0;
        if (!(ch = changes_add(c)))
                return -ENOMEM;
        *ch = (FixChange){.type = FIX_ACTION_SYSCTL, .proc_sys = true, .path = TAKE_PTR(proc)};
        if (!(ch->key = strdup(s->key)) || !(ch->new_text = strdup(s->value)) ||
                !(ch->diff = strdupf(
                          "write %s to %s (now %s)\n", s->value, ch->path, cur ? cur : "unreadable")))
                return -ENOMEM;
        return 0;
}

/* sysctl.d, and (on this host, not in an image) the live values. */
static int plan_sysctl(const FixPlan *p, const char *root, FixChanges *c, char **ret_error)
{
        _cleanup_free_ DropinSetting *settings = NULL;
        _cleanup_free_ char *path = root_path(root, FIX_SYSCTL_FILE);
        size_t n = 0;
        int r;

        if (!path)
                return -ENOMEM;
        r = plan_settings_file(p, FIX_ACTION_SYSCTL, NULL, path, sysctl_render, c, &settings, &n, ret_error);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n && !root; i++)
                if ((r = plan_proc_sys(&settings[i], c)) < 0)
                        return r;
        return 0;
}

/* The full override of the unit (fix-unit-override.h), when the plan takes a dependency out. */
static int plan_unit_override(const FixPlan *p, const Facts *facts, const char *root,
        const char *dropin_path, FixChanges *c, char **ret_error)
{
        _cleanup_free_ char *path = NULL, *old = NULL, *text = NULL;
        mode_t mode = 0644;
        int r;

        r = fix_unit_override_plan(p, facts, root, dropin_path, &path, &text, ret_error);
        if (r <= 0)
                return r;
        if ((r = read_target(path, &old, &mode, ret_error)) < 0)
                return r;
        return add_file_change(c, FIX_ACTION_UNIT_OVERRIDE, &path, &old, &text, mode);
}

/* The audited unit's drop-in, then each other unit's (in plan order). */
static int plan_dropins(const FixPlan *p, const char *dropin_path, FixChanges *c, char **ret_error)
{
        int r;

        if ((r = plan_settings_file(
                     p, FIX_ACTION_DROPIN, NULL, dropin_path, dropin_render, c, NULL, NULL, ret_error)) < 0)
                return r;
        for (size_t i = 0; i < p->n_actions; i++) {
                const char *unit = p->actions[i].unit;
                _cleanup_free_ char *path = NULL;
                bool seen = false;

                if (p->actions[i].type != FIX_ACTION_DROPIN || !unit)
                        continue;
                for (size_t k = 0; k < i && !seen; k++)
                        seen = p->actions[k].type == FIX_ACTION_DROPIN &&
                               streq_ptr(p->actions[k].unit, unit);
                if (seen)
                        continue;
                if ((r = fix_paths_dropin_sibling(dropin_path, unit, &path, ret_error)) < 0 ||
                        (r = plan_settings_file(p, FIX_ACTION_DROPIN, unit, path, dropin_render, c, NULL,
                                 NULL, ret_error)) < 0)
                        return r;
        }
        return 0;
}

int fix_changes_plan(const FixPlan *p, const Facts *facts, const char *root, const char *dropin_path,
        FixChanges *ret, char **ret_error)
{
        _cleanup_(fix_changes_done) FixChanges c = {};
        int r;

        if ((r = plan_dropins(p, dropin_path, &c, ret_error)) < 0 ||
                (r = plan_unit_override(p, facts, root, dropin_path, &c, ret_error)) < 0 ||
                (r = plan_daemon_json(p, facts, root, &c, ret_error)) < 0 ||
                (r = plan_sysctl(p, root, &c, ret_error)) < 0)
                return r;
        *ret = c;
        c = (FixChanges){};
        return 0;
}

int fix_change_apply(const FixChange *ch, char **ret_error)
{
        _cleanup_free_ char *dir = NULL;
        const char *base;
        int r;

        if (ch->proc_sys)
                return write_proc_sys(ch->key, ch->new_text, ret_error);
        base = strrchr(ch->path, '/');
        if (!base || !(dir = strndup(ch->path, base == ch->path ? 1 : (size_t) (base - ch->path))))
                return -ENOMEM;
        base++;
        /* leftovers of a fixer killed while writing this file */
        r = atomic_remove_stale_temps(dir, base);
        if (r < 0)
                return error_setf(ret_error, r, "%s: removing stale temp files: %s", dir, strerror(-r));
        if (ch->type == FIX_ACTION_DAEMON_JSON && ch->old_text && (r = backup_file(ch->path, ret_error)) < 0)
                return r;
        return atomic_write_file(ch->path, ch->new_text, strlen(ch->new_text), ch->mode, ret_error);
}
