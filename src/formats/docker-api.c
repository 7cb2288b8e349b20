/* SPDX-License-Identifier: MIT */
#include "formats/docker-api.h"

#include <curl/curl.h>
#include <jansson.h>
#include <strings.h>

#include "formats/json-util.h"

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
        _cleanup_json_ json_t *root = json_loadb(body, size, 0, &err);
        json_t *v;

        if (!json_is_object(root))
                return error_setf(ret_error, -EBADMSG, "/info: not a JSON object (%d:%d: %s)", err.line,
                        err.column, err.text);
        v = json_object_get(root, "LiveRestoreEnabled");
        i->has_live_restore = json_is_boolean(v);
        i->live_restore = json_is_true(v);
        if (dup_string(root, "ServerVersion", &i->server_version) < 0 ||
                dup_string(root, "Driver", &i->driver) < 0 ||
                dup_string(root, "DockerRootDir", &i->root_dir) < 0 ||
                dup_string(json_object_get(root, "Swarm"), "LocalNodeState", &i->swarm_state) < 0)
                return -ENOMEM;
        return 0;
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
        _cleanup_(docker_info_done) DockerInfo i = {};
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
        if (!i.info_path)
                return -ENOMEM;
        r = get(socket_path, i.info_path, &info, ret_error);
        if (r < 0)
                return r;
        r = docker_info_parse(info.body.buf ? info.body.buf : "", info.body.len, &i, ret_error);
        if (r < 0)
                return r;
        *ret = TAKE_STRUCT(i);
        return 0;
}

void docker_container_done(DockerContainer *c)
{
        free(c->id);
        free(c->name);
        free(c->state);
        free(c->graph_driver);
        strv_free(c->mount_dirs);
        *c = (DockerContainer){};
}

void docker_containers_free(DockerContainer *v, size_t n)
{
        for (size_t i = 0; i < n; i++)
                docker_container_done(&v[i]);
        free(v);
}

bool docker_container_is_dead(const DockerContainer *c)
{
        return streq(c->state, "dead");
}

int docker_container_parse(const char *body, size_t size, DockerContainer *ret, char **ret_error)
{
        /* The GraphDriver.Data keys that name a directory mounted while the container runs:
         * overlay/overlay2 MergedDir, zfs/btrfs/vfs Mountpoint (older engines: "Dir"). */
        static const char *const dir_keys[] = {"MergedDir", "Mountpoint", "Dir"};
        json_error_t err;
        _cleanup_json_ json_t *root = json_loadb(body, size, 0, &err);
        _cleanup_(docker_container_done) DockerContainer c = {};
        json_t *state, *gd, *data, *v;
        const char *name;

        if (!json_is_object(root))
                return error_setf(ret_error, -EBADMSG, "container inspect: not a JSON object (%d:%d: %s)",
                        err.line, err.column, err.text);
        if (!json_is_string(json_object_get(root, "Id")))
                return error_setf(ret_error, -EBADMSG, "container inspect: no Id");
        state = json_object_get(root, "State");
        gd = json_object_get(root, "GraphDriver");
        data = json_object_get(gd, "Data");
        name = json_string_value(json_object_get(root, "Name"));
        if (!(c.id = strdup(json_string_value(json_object_get(root, "Id")))) ||
                !(c.name = strdup(name ? name + (*name == '/') : "")) ||
                dup_string(state, "Status", &c.state) < 0 || dup_string(gd, "Name", &c.graph_driver) < 0 ||
                !(c.mount_dirs = calloc(1, sizeof(char *))))
                return -ENOMEM;
        if (!c.state && !(c.state = strdup("unknown")))
                return -ENOMEM;
        v = json_object_get(state, "Pid");
        c.pid = json_is_integer(v) ? json_integer_value(v) : 0;
        for (size_t i = 0; i < ELEMENTSOF(dir_keys); i++) {
                const char *d = json_string_value(json_object_get(data, dir_keys[i]));

                if (d && *d == '/' && strv_extend(&c.mount_dirs, d) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_STRUCT(c);
        return 0;
}

/* "/v1.41" from /_ping's Api-Version, or "" when the daemon sent none usable. */
static int api_prefix(const char *socket_path, char **ret, char **ret_error)
{
        _cleanup_(response_done) Response ping = {};
        int r = get(socket_path, "/_ping", &ping, ret_error);

        if (r < 0)
                return r;
        if (ping.api_version && *ping.api_version &&
                ping.api_version[strspn(ping.api_version, "0123456789.")] == 0)
                *ret = strdupf("/v%s", ping.api_version);
        else
                *ret = strdup("");
        return *ret ? 0 : -ENOMEM;
}

/* Ids go into URLs: hex in practice, never anything that needs escaping. */
static bool id_is_safe(const char *id)
{
        return *id && id[strspn(id, "0123456789abcdefABCDEF")] == 0 && strlen(id) <= 128;
}

int docker_api_containers(const char *socket_path, DockerContainer **ret, size_t *ret_n, char **ret_error)
{
        _cleanup_(response_done) Response list = {};
        _cleanup_free_ char *prefix = NULL, *path = NULL;
        _cleanup_(docker_container_list_done) DockerContainerList l = {};
        _cleanup_json_ json_t *root = NULL;
        json_error_t err;
        json_t *item;
        size_t i;
        int r;

        r = api_prefix(socket_path, &prefix, ret_error);
        if (r < 0)
                return r;
        path = strdupf("%s/containers/json?all=1", prefix);
        if (!path)
                return -ENOMEM;
        r = get(socket_path, path, &list, ret_error);
        if (r < 0)
                return r;
        root = json_loadb(list.body.buf ? list.body.buf : "", list.body.len, 0, &err);
        if (!json_is_array(root))
                return error_setf(ret_error, -EBADMSG, "%s: GET %s: not a JSON array (%d:%d: %s)",
                        socket_path, path, err.line, err.column, err.text);
        l.v = calloc(json_array_size(root) + 1, sizeof *l.v);
        if (!l.v)
                return -ENOMEM;
        json_array_foreach(root, i, item)
        {
                _cleanup_(response_done) Response one = {};
                _cleanup_free_ char *ipath = NULL;
                const char *id = json_string_value(json_object_get(item, "Id"));

                if (!id || !id_is_safe(id))
                        continue;
                ipath = strdupf("%s/containers/%s/json", prefix, id);
                if (!ipath)
                        return -ENOMEM;
                r = get(socket_path, ipath, &one, NULL);
                if (r == -ENOMEM)
                        return r;
                if (r == -EPROTO)
                        continue; /* removed meanwhile (404) */
                if (r < 0)
                        return error_setf(ret_error, r, "%s: GET %s: %s", socket_path, ipath, strerror(-r));
                r = docker_container_parse(
                        one.body.buf ? one.body.buf : "", one.body.len, &l.v[l.n], ret_error);
                if (r < 0)
                        return r;
                l.n++;
        }
        *ret_n = l.n;
        *ret = TAKE_STRUCT(l).v;
        return 0;
}

int docker_api_remove_container(const char *socket_path, const char *id, char **ret_error)
{
        _cleanup_(curl_cleanupp) CURL *c = NULL;
        _cleanup_(response_done) Response resp = {};
        _cleanup_free_ char *prefix = NULL, *url = NULL;
        long status = 0;
        CURLcode cc;
        int r;

        if (!id_is_safe(id))
                return error_setf(ret_error, -EINVAL, "bad container id \"%s\"", id);
        r = api_prefix(socket_path, &prefix, ret_error);
        if (r < 0)
                return r;
        c = curl_easy_init();
        url = strdupf("http://localhost%s/containers/%s?force=1", prefix, id);
        if (!c || !url)
                return -ENOMEM;
        /* Removing a container unmounts and deletes its layer: allow more than a GET. */
        if (curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, socket_path) != CURLE_OK ||
                curl_easy_setopt(c, CURLOPT_URL, url) != CURLE_OK ||
                curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "DELETE") != CURLE_OK ||
                curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 30 * DOCKER_API_TIMEOUT_MS) != CURLE_OK ||
                curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
                curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK ||
                curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp) != CURLE_OK)
                return error_setf(ret_error, -ENOMEM, "%s: cannot set up libcurl", socket_path);
        cc = curl_easy_perform(c);
        if (resp.oom)
                return -ENOMEM;
        if (cc != CURLE_OK)
                return error_setf(ret_error, -EPROTO, "%s: DELETE /containers/%s: %s", socket_path, id,
                        curl_easy_strerror(cc));
        (void) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        if (status != 204 && status != 200) {
                /* The daemon's {"message": "..."} says why (e.g. "device or resource busy"). */
                _cleanup_json_ json_t *j =
                        json_loadb(resp.body.buf ? resp.body.buf : "", resp.body.len, 0, NULL);
                const char *m = json_string_value(json_object_get(j, "message"));

                return error_setf(ret_error, status == 404 ? -ENOENT : -EPROTO,
                        "DELETE /containers/%s: HTTP %ld%s%s", id, status, m ? ": " : "", m ? m : "");
        }
        return 0;
}
