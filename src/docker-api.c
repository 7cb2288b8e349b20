/* SPDX-License-Identifier: MIT */
#include "docker-api.h"

#include <curl/curl.h>
#include <jansson.h>
#include <strings.h>

/* /info is a few KiB; refuse to buffer more than this from a misbehaving peer. */
#define MAX_BODY (4U * 1024U * 1024U)

void docker_info_done(DockerInfo *i)
{
        free(i->api_version);
        free(i->info_path);
        free(i->server_version);
        free(i->driver);
        free(i->root_dir);
        free(i->swarm_state);
        *i = (DockerInfo){};
}

static int dup_string(json_t *o, const char *key, char **ret)
{
        json_t *v = json_object_get(o, key);

        if (!json_is_string(v))
                return 0;
        free(*ret);
        *ret = strdup(json_string_value(v));
        return *ret ? 0 : -ENOMEM;
}

int docker_info_parse(const char *body, size_t size, DockerInfo *i, char **ret_error)
{
        json_error_t err;
        json_t *root = json_loadb(body, size, 0, &err), *v;
        int r = 0;

        if (!json_is_object(root)) {
                json_decref(root);
                return error_setf(ret_error, -EBADMSG, "/info: not a JSON object (%d:%d: %s)", err.line,
                        err.column, err.text);
        }
        v = json_object_get(root, "LiveRestoreEnabled");
        i->has_live_restore = json_is_boolean(v);
        i->live_restore = json_is_true(v);
        if (dup_string(root, "ServerVersion", &i->server_version) < 0 ||
                dup_string(root, "Driver", &i->driver) < 0 ||
                dup_string(root, "DockerRootDir", &i->root_dir) < 0 ||
                dup_string(json_object_get(root, "Swarm"), "LocalNodeState", &i->swarm_state) < 0)
                r = -ENOMEM;
        json_decref(root);
        return r;
}

typedef struct Response {
        StrBuf body;
        char *api_version;
        bool too_big, oom;
} Response;

static size_t on_body(char *data, size_t size, size_t n, void *userdata)
{
        Response *resp = userdata;

        if (resp->body.len + size * n > MAX_BODY) {
                resp->too_big = true;
                return 0;
        }
        if (sb_append_len(&resp->body, data, size * n) < 0) {
                resp->oom = true;
                return 0;
        }
        return size * n;
}

static size_t on_header(char *data, size_t size, size_t n, void *userdata)
{
        Response *resp = userdata;
        size_t len = size * n, k = strlen("Api-Version:");

        if (len > k && strncasecmp(data, "Api-Version:", k) == 0) {
                _cleanup_free_ char *raw = strndup(data + k, len - k);
                char *v = raw ? strdup(strstrip(raw)) : NULL;

                if (!v) {
                        resp->oom = true;
                        return 0;
                }
                free(resp->api_version);
                resp->api_version = v;
        }
        return len;
}

static void curl_cleanupp(CURL **c)
{
        if (*c)
                curl_easy_cleanup(*c);
}

static int get(const char *socket_path, const char *path, Response *resp, char **ret_error)
{
        _cleanup_(curl_cleanupp) CURL *c = curl_easy_init();
        _cleanup_free_ char *url = strdupf("http://localhost%s", path);
        char errbuf[CURL_ERROR_SIZE] = "";
        long status = 0, os_errno = 0;
        CURLcode cc;

        if (!c || !url)
                return -ENOMEM;
        if (curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, socket_path) != CURLE_OK ||
                curl_easy_setopt(c, CURLOPT_URL, url) != CURLE_OK ||
                curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, DOCKER_API_TIMEOUT_MS) != CURLE_OK ||
                curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, DOCKER_API_TIMEOUT_MS) != CURLE_OK ||
                curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
                curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf) != CURLE_OK ||
                curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK ||
                curl_easy_setopt(c, CURLOPT_WRITEDATA, resp) != CURLE_OK ||
                curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header) != CURLE_OK ||
                curl_easy_setopt(c, CURLOPT_HEADERDATA, resp) != CURLE_OK)
                return error_setf(ret_error, -ENOMEM, "%s: cannot set up libcurl", socket_path);
        cc = curl_easy_perform(c);
        if (resp->oom)
                return -ENOMEM;
        if (cc != CURLE_OK) {
                (void) curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &os_errno);
                if (cc == CURLE_OPERATION_TIMEDOUT)
                        return error_setf(ret_error, -ETIMEDOUT, "no answer within %ld ms on %s",
                                DOCKER_API_TIMEOUT_MS, socket_path);
                if (resp->too_big)
                        return error_setf(ret_error, -EBADMSG, "%s: GET %s: answer larger than %u bytes",
                                socket_path, path, MAX_BODY);
                if (cc == CURLE_COULDNT_CONNECT && os_errno == ENOENT)
                        return error_setf(ret_error, -ENOENT, "%s: no such socket", socket_path);
                if (cc == CURLE_COULDNT_CONNECT && os_errno == ECONNREFUSED)
                        return error_setf(ret_error, -ECONNREFUSED, "connection refused on %s", socket_path);
                if (cc == CURLE_COULDNT_CONNECT && (os_errno == EACCES || os_errno == EPERM))
                        return error_setf(ret_error, -EACCES, "permission denied on %s", socket_path);
                if (cc == CURLE_COULDNT_CONNECT && os_errno > 0)
                        return error_setf(ret_error, -(int) os_errno, "cannot connect to %s: %s",
                                socket_path, strerror((int) os_errno));
                return error_setf(ret_error, -EPROTO, "%s: GET %s: %s", socket_path, path,
                        *errbuf ? errbuf : curl_easy_strerror(cc));
        }
        (void) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        if (status != 200)
                return error_setf(
                        ret_error, -EPROTO, "%s: GET %s: HTTP status %ld", socket_path, path, status);
        return 0;
}

static void response_done(Response *r)
{
        sb_free(&r->body);
        free(r->api_version);
        *r = (Response){};
}

int docker_api_info(const char *socket_path, DockerInfo *ret, char **ret_error)
{
        _cleanup_(response_done) Response ping = {}, info = {};
        DockerInfo i = {};
        int r;

        r = get(socket_path, "/_ping", &ping, ret_error);
        if (r < 0)
                return r;
        /* The version must look like "1.41": it goes into the path. */
        if (ping.api_version && ping.api_version[strspn(ping.api_version, "0123456789.")] == 0 &&
                *ping.api_version) {
                i.api_version = TAKE_PTR(ping.api_version);
                i.info_path = strdupf("/v%s/info", i.api_version);
        } else
                i.info_path = strdup("/info");
        if (!i.info_path) {
                docker_info_done(&i);
                return -ENOMEM;
        }
        r = get(socket_path, i.info_path, &info, ret_error);
        if (r >= 0)
                r = docker_info_parse(info.body.buf ? info.body.buf : "", info.body.len, &i, ret_error);
        if (r < 0) {
                docker_info_done(&i);
                return r;
        }
        *ret = i;
        return 0;
}
