/* SPDX-License-Identifier: MIT */
#include "formats/unit-show.h"

#include <limits.h>

#include "basic/alloc-util.h"
#include "basic/error-util.h"
#include "basic/parse-util.h"
#include "basic/strv.h"
#include "systemd/extract-word.h"

/* Space-separated words, quotes and escapes undone (Environment=, DropInPaths=). */
static int words(const char *value, char ***ret)
{
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));
        const char *p = value;
        int r;

        if (!l)
                return -ENOMEM;
        for (;;) {
                char *w = NULL;

                r = extract_first_word(&p, &w, EXTRACT_RELAX_UNKNOWN_ESCAPES);
                if (r < 0)
                        return r;
                if (r == 0)
                        break;
                if (strv_consume(&l, w) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

/* "{ path=/usr/bin/dockerd ; argv[]=/usr/bin/dockerd -H fd:// ; ignore_errors=no ; ... }" */
static int exec_command(const char *value, BusExecCommand *ret)
{
        const char *path = strstr(value, "path="), *argv = strstr(value, "argv[]="), *end;
        _cleanup_free_ char *a = NULL;
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));

        if (!l)
                return -ENOMEM;
        if (!path || !argv)
                return -EBADMSG;
        path += strlen("path=");
        end = strstr(path, " ;");
        if (!end || !(ret->path = strndup(path, end - path)))
                return end ? -ENOMEM : -EBADMSG;
        argv += strlen("argv[]=");
        end = strstr(argv, " ;");
        if (!end || !(a = strndup(argv, end - argv)))
                return end ? -ENOMEM : -EBADMSG;
        for (char *p = a, *w; (w = strsep(&p, " "));)
                if (*w && strv_extend(&l, w) < 0)
                        return -ENOMEM;
        ret->argv = TAKE_PTR(l);
        return 0;
}

/* "/etc/sysconfig/docker (ignore_errors=yes)" */
static int environment_file(const char *value, EnvFileRef *ret)
{
        const char *sp = strrchr(value, ' ');

        if (!sp || (!streq(sp, " (ignore_errors=yes)") && !streq(sp, " (ignore_errors=no)")))
                return -EBADMSG;
        *ret = (EnvFileRef){.path = strndup(value, sp - value),
                .ignore_missing = streq(sp, " (ignore_errors=yes)"),
                .file = NULL,
                .line = 0};
        return ret->path ? 0 : -ENOMEM;
}

static int mount_flags(const char *v, unsigned long long *ret)
{
        if (safe_atou64(v, ret) >= 0)
                return 0;
        return mount_flags_from_string(v, ret) < 0 ? -EBADMSG : 0;
}

static int set_string(char **field, const ShowBlock *b, const char *key, bool required)
{
        const ShowProperty *p = show_block_get(b, key);

        if (!p)
                return required ? -ENODATA : 0;
        *field = strdup(p->value);
        return *field ? 0 : -ENOMEM;
}

/* The error for property p (or key when absent). */
static int show_error(char **ret_error, unsigned *ret_line, const ShowProperty *p, const char *key, int r)
{
        if (r == -ENOMEM)
                return r;
        *ret_line = p ? p->line : 0;
        if (!p)
                return error_setf(ret_error, -EBADMSG, "%s= missing", key);
        return error_setf(ret_error, -EBADMSG, "%s=: cannot read '%s'", key, p->value);
}

static int show_scalars(const ShowBlock *b, UnitInfo *u, char **ret_error, unsigned *ret_line)
{
        const ShowProperty *p;
        unsigned long long pid;
        int r;

        if ((r = set_string(&u->name, b, "Id", true)) < 0)
                return show_error(ret_error, ret_line, NULL, "Id", r);
        if ((r = set_string(&u->load_state, b, "LoadState", true)) < 0)
                return show_error(ret_error, ret_line, NULL, "LoadState", r);
        if ((r = set_string(&u->active_state, b, "ActiveState", true)) < 0)
                return show_error(ret_error, ret_line, NULL, "ActiveState", r);
        if ((r = set_string(&u->fragment_path, b, "FragmentPath", false)) < 0 ||
                (!u->fragment_path && !(u->fragment_path = strdup(""))))
                return -ENOMEM;
        if (!streq(u->load_state, "loaded") && (r = set_string(&u->load_error, b, "LoadError", false)) < 0)
                return r;
        if ((p = show_block_get(b, "NeedDaemonReload"))) {
                if (!streq(p->value, "yes") && !streq(p->value, "no"))
                        return show_error(ret_error, ret_line, p, p->key, -EBADMSG);
                u->need_daemon_reload = streq(p->value, "yes");
        }
        if ((p = show_block_get(b, "MainPID"))) {
                if (safe_atou64(p->value, &pid) < 0 || pid > INT32_MAX)
                        return show_error(ret_error, ret_line, p, p->key, -EBADMSG);
                u->main_pid = (pid_t) pid;
        }
        if ((p = show_block_get(b, "MountFlags")) && (r = mount_flags(p->value, &u->mount_flags)) < 0)
                return show_error(ret_error, ret_line, p, p->key, r);
        return 0;
}

static int show_environment_file(UnitInfo *u, const ShowProperty *p)
{
        int r;

        if (!greedy_realloc((void **) &u->environment_files, u->n_environment_files + 1,
                    sizeof *u->environment_files))
                return -ENOMEM;
        u->environment_files[u->n_environment_files] = (EnvFileRef){};
        r = environment_file(p->value, &u->environment_files[u->n_environment_files]);
        if (r < 0)
                return r;
        u->n_environment_files++;
        return 0;
}

static int show_lists(const ShowBlock *b, UnitInfo *u, char **ret_error, unsigned *ret_line)
{
        const ShowProperty *p;
        int r;

        p = show_block_get(b, "DropInPaths");
        if ((r = words(p ? p->value : "", &u->dropin_paths)) < 0)
                return show_error(ret_error, ret_line, p, "DropInPaths", r);
        p = show_block_get(b, "Environment");
        if ((r = words(p ? p->value : "", &u->environment)) < 0)
                return show_error(ret_error, ret_line, p, "Environment", r);
        for (p = show_block_get(b, "ExecStart"); p; p = show_block_next(b, p)) {
                if (!*p->value)
                        continue; /* no command: systemctl prints "ExecStart=" */
                if (!greedy_realloc((void **) &u->exec_start, u->n_exec_start + 1, sizeof *u->exec_start))
                        return -ENOMEM;
                u->exec_start[u->n_exec_start] = (BusExecCommand){};
                r = exec_command(p->value, &u->exec_start[u->n_exec_start]);
                u->n_exec_start++; /* freed by unit_info_done() also when half filled */
                if (r < 0)
                        return show_error(ret_error, ret_line, p, p->key, r);
        }
        /* systemd 252 prints EnvironmentFiles=, older ones (RHEL 7's 219) EnvironmentFile=. */
        for (size_t k = 0; k < 2; k++)
                for (p = show_block_get(b, k ? "EnvironmentFile" : "EnvironmentFiles"); p;
                        p = show_block_next(b, p))
                        if (*p->value && (r = show_environment_file(u, p)) < 0)
                                return show_error(ret_error, ret_line, p, p->key, r);
        return 0;
}

/* "1024", "infinity" (UINT64_MAX), or "[not set]" / absent (not reported: TasksCurrent of a unit
 * whose tasks are not accounted, or a systemd that has no such property). */
static int unit_number(const ShowBlock *b, const char *key, UnitNumber *ret)
{
        const ShowProperty *p = show_block_get(b, key);
        unsigned long long v;

        *ret = (UnitNumber){};
        if (!p || !*p->value || streq(p->value, "[not set]"))
                return 0;
        if (streq(p->value, "infinity"))
                v = ULLONG_MAX;
        else if (safe_atou64(p->value, &v) < 0)
                return -EBADMSG;
        *ret = (UnitNumber){.v = v, .set = true};
        return 0;
}

/* The limits, KillMode, dependencies and unit file state (what the D-Bus reader reads besides
 * the scalars and lists above); what the output does not name stays not reported. */
static int show_limits(const ShowBlock *b, UnitInfo *u, char **ret_error, unsigned *ret_line)
{
        static const char *const numbers[] = {"LimitNOFILE", "LimitNOFILESoft", "TasksMax", "TasksCurrent"};
        UnitNumber *fields[] = {&u->limit_nofile, &u->limit_nofile_soft, &u->tasks_max, &u->tasks_current};
        const ShowProperty *p;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(numbers); i++)
                if ((r = unit_number(b, numbers[i], fields[i])) < 0)
                        return show_error(ret_error, ret_line, show_block_get(b, numbers[i]), numbers[i], r);
        if ((r = set_string(&u->kill_mode, b, "KillMode", false)) < 0 ||
                (r = set_string(&u->unit_file_state, b, "UnitFileState", false)) < 0)
                return show_error(ret_error, ret_line, NULL, "KillMode", r);
        for (size_t t = 0; t < _UNIT_DEP_MAX; t++)
                if ((p = show_block_get(b, unit_dep_type_to_string((UnitDepType) t))) &&
                        (r = words(p->value, &u->deps[t])) < 0)
                        return show_error(ret_error, ret_line, p, p->key, r);
        if ((p = show_block_get(b, "TriggeredBy")) && (r = words(p->value, &u->triggered_by)) < 0)
                return show_error(ret_error, ret_line, p, p->key, r);
        return 0;
}

int unit_info_from_show(const ShowBlock *b, UnitInfo *ret, char **ret_error, unsigned *ret_line)
{
        _cleanup_(unit_info_done) UnitInfo u = {};
        int r;

        *ret_line = 0;
        if ((r = show_scalars(b, &u, ret_error, ret_line)) < 0 ||
                (r = show_lists(b, &u, ret_error, ret_line)) < 0 ||
                (r = show_limits(b, &u, ret_error, ret_line)) < 0)
                return r;
        *ret = TAKE_STRUCT(u);
        return 0;
}
