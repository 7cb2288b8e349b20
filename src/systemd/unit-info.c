/* SPDX-License-Identifier: MIT */
#include "systemd/unit-info.h"

void unit_info_done(UnitInfo *u)
{
        free(u->name);
        free(u->load_state);
        free(u->active_state);
        free(u->fragment_path);
        free(u->load_error);
        strv_free(u->dropin_paths);
        for (size_t i = 0; i < u->n_exec_start; i++) {
                free(u->exec_start[i].path);
                strv_free(u->exec_start[i].argv);
        }
        free(u->exec_start);
        strv_free(u->environment);
        for (size_t i = 0; i < u->n_environment_files; i++) {
                free(u->environment_files[i].path);
                free(u->environment_files[i].file);
        }
        free(u->environment_files);
        free(u->unit_file_state);
        free(u->kill_mode);
        free(u->limit_nofile_note);
        free(u->tasks_max_note);
        for (size_t i = 0; i < _UNIT_DEP_MAX; i++)
                strv_free(u->deps[i]);
        strv_free(u->triggered_by);
        free(u->manager_version);
        free(u->manager_address);
        *u = (UnitInfo){};
}
