/* SPDX-License-Identifier: MIT */
/* The few Docker Engine API calls we need, over the daemon's unix socket with libcurl:
 * GET /_ping for the Api-Version header (version negotiation: we ask in the daemon's own
 * version, which every daemon accepts), then GET /vX.Y/info. */
#pragma once

#include "util.h"

#define DOCKER_API_TIMEOUT_MS 2000L

typedef struct DockerInfo {
        char *api_version; /* from /_ping's Api-Version header; NULL if the daemon sent none */
        char *info_path; /* "/v1.41/info" (or "/info" without a version) */
        bool has_live_restore; /* LiveRestoreEnabled present (API >= 1.25) */
        bool live_restore;
        char *server_version; /* ServerVersion, NULL if absent */
        char *driver; /* Driver */
        char *root_dir; /* DockerRootDir */
        char *swarm_state; /* Swarm.LocalNodeState */
} DockerInfo;

void docker_info_done(DockerInfo *i);

/* Parses an /info response body into the fields above (api_version/info_path untouched).
 * -EBADMSG with a message when it is not a JSON object. */
int docker_info_parse(const char *body, size_t size, DockerInfo *i, char **ret_error);

/* Asks the daemon at socket_path. Errors (with a message naming the socket):
 * -ENOENT no socket, -ECONNREFUSED nobody listening, -EACCES/-EPERM not allowed,
 * -ETIMEDOUT no answer in DOCKER_API_TIMEOUT_MS, -EPROTO/-EBADMSG unexpected answer. */
int docker_api_info(const char *socket_path, DockerInfo *ret, char **ret_error);
