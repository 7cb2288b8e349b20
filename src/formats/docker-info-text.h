/* SPDX-License-Identifier: MIT */
/* The docker CLI's text output as an sos report keeps it. `docker info` as text, as an sos report keeps it
 * (sos_commands/docker/docker_info; the same file insights-core's DockerInfo parser reads). Two layouts:
 * before Docker 17.x the server's keys start the line ("Server Version: 1.13.1"); later ones are indented
 * under "Server:" after a "Client:" section. The keys read are the siblings of "Server Version" (same
 * indentation): nested ones ("  Backing Filesystem:") are not confused with them. */
#pragma once

#include "formats/docker-api.h"

/* Fills ret's server_version, driver, root_dir, swarm_state and live_restore (has_live_restore
 * when "Live Restore Enabled" is true or false); api_version and info_path stay NULL.
 * *ret_server is false when the text holds no "Server Version" (the daemon did not answer:
 * "Cannot connect to the Docker daemon..."). -EBADMSG with a message for a NUL byte or text
 * that is not UTF-8; 0 otherwise. */
int docker_info_text_parse(
        const char *text, size_t size, DockerInfo *ret, bool *ret_server, char **ret_error);

/* `docker version` (sos_commands/docker/docker_version): the server's "API version" (the first
 * after the "Server:" line; "1.41 (minimum version 1.12)" gives "1.41"). *ret is NULL when
 * there is none (no server answered). Returns 0, -EBADMSG with a message for a NUL byte or
 * non-UTF-8 text, -ENOMEM. */
int docker_version_text_api(const char *text, size_t size, char **ret, char **ret_error);

/* `docker ps -a` (sos_commands/docker/docker_ps_-a): the columns are found from the header
 * (CONTAINER ID, STATUS, NAMES: Go's tabwriter aligns them, counting characters). Counts the
 * running containers (STATUS "Up ...", paused included, or "Restarting ...") and lists the dead
 * ones ("ID NAME", STATUS "Dead"). -EBADMSG with a message when there is no header or a row is
 * shorter than its columns; 0 otherwise. */
int docker_ps_text_parse(
        const char *text, size_t size, long long *ret_running, char ***ret_dead, char **ret_error);
