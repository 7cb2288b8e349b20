/* SPDX-License-Identifier: MIT */
#include "formats/docker-api.h"

#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <strings.h>

#include "formats/docker-http.h"
#include "formats/json-util.h"

/* /info, an inspect and one element of the container list are a few KiB; refuse to buffer
 * more than this from a misbehaving peer. The list itself is read element by element. */
#define MAX_BODY ((size_t) 4 * 1024 * 1024)

void docker_info_done(DockerInfo *i)
{
        free(i->api_version);
        free(i->info_path);
        free(i->server_version);
        free(i->driver);
        free(i->root_dir);
        free(i->swarm_state);
        free(i->cgroup_driver);
        free(i->backing_fs);
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

/* DriverStatus: [["Backing Filesystem", "extfs"], ["Supports d_type", "true"], ...] (moby
 * daemon/graphdriver/overlay2 Status()); pairs of another shape are passed over. */
static int driver_status(json_t *status, DockerInfo *i)
{
        size_t k;
        json_t *pair;

        json_array_foreach(status, k, pair)
        {
                const char *name = json_string_value(json_array_get(pair, 0));
                const char *value = json_string_value(json_array_get(pair, 1));

                if (!name || !value || json_array_size(pair) != 2)
                        continue;
                if (streq(name, "Backing Filesystem")) {
                        free(i->backing_fs);
                        if (!(i->backing_fs = strdup(value)))
                                return -ENOMEM;
                } else if (streq(name, "Supports d_type") &&
                           (streq(value, "true") || streq(value, "false"))) {
                        i->has_supports_d_type = true;
                        i->supports_d_type = streq(value, "true");
                }
        }
        return 0;
}

int docker_info_parse(const char *body, size_t size, DockerInfo *i, char **ret_error)
{
        json_error_t err;
        _cleanup_json_ json_t *root = json_loadb(body, size, 0, &err);
        json_t *v;

        if (!json_is_object(root))
                return error_setf(ret_error, -EBADMSG, "Docker API /info: not a JSON object (%d:%d: %s)",
                        err.line, err.column, err.text);
        v = json_object_get(root, "LiveRestoreEnabled");
        i->has_live_restore = json_is_boolean(v);
        i->live_restore = json_is_true(v);
        if (dup_string(root, "ServerVersion", &i->server_version) < 0 ||
                dup_string(root, "Driver", &i->driver) < 0 ||
                dup_string(root, "DockerRootDir", &i->root_dir) < 0 ||
                dup_string(json_object_get(root, "Swarm"), "LocalNodeState", &i->swarm_state) < 0 ||
                dup_string(root, "CgroupDriver", &i->cgroup_driver) < 0)
                return -ENOMEM;
        return driver_status(json_object_get(root, "DriverStatus"), i);
}

typedef struct Response {
        StrBuf body;
        char *api_version;
        size_t max_body;
        bool too_big, oom;
        long status; /* of the final status line, for the sink */
        /* When set, a 2xx body goes here as it arrives instead of into body (a negative errno
         * stops the transfer and stays in sink_r). */
        int (*sink)(const char *data, size_t n, void *userdata);
        void *sink_data;
        int sink_r;
} Response;

/* The head is in: the status decides where the body goes, and whether it is capped (a
 * streamed list is read element by element, each capped by its reader). */
static int on_head(HttpResponse *h, void *userdata)
{
        Response *resp = userdata;

        resp->status = h->status;
        h->max_body = resp->sink && resp->status >= 200 && resp->status <= 299 ? 0 : resp->max_body;
        return 0;
}

static int on_body(const char *data, size_t n, void *userdata)
{
        Response *resp = userdata;

        if (resp->sink && resp->status >= 200 && resp->status <= 299) {
                resp->sink_r = resp->sink(data, n, resp->sink_data);
                return resp->sink_r < 0 ? resp->sink_r : 0;
        }
        if (sb_append_len(&resp->body, data, n) < 0) {
                resp->oom = true;
                return -ENOMEM;
        }
        return 0;
}

static void response_done(Response *r)
{
        sb_free(&r->body);
        free(r->api_version);
        *r = (Response){};
}

/* One request (a GET unless method says otherwise): its path, its answer, and why it
 * failed (error < 0, message). */
typedef struct Request {
        char *path;
        Response resp;
        long status;
        long timeout_ms;
        int error;
        char *message;
        const char *method; /* NULL: GET */
        long budget_ms; /* 0: DOCKER_API_TIMEOUT_MS */
} Request;

static void request_done(Request *q)
{
        free(q->path);
        response_done(&q->resp);
        free(q->message);
        *q = (Request){};
}

/* The requests of one call share a pool of connections (formats/docker-http.h): kept alive
 * from one request to the next. */
typedef struct Client {
        const char *socket_path;
        uint64_t deadline_usec; /* CLOCK_MONOTONIC; 0: none beyond each request's budget */
        DockerHttpPool *pool;
} Client;

/* A transfer in flight (q set). */
typedef struct Transfer {
        DockerHttpTransfer http;
        Request *q;
} Transfer;

static int request_fail(Request *q, int error, const char *fmt, ...) _printf_(3, 4);
static int request_fail(Request *q, int error, const char *fmt, ...)
{
        va_list ap;
        int k;

        va_start(ap, fmt);
        free(q->message);
        k = vasprintf(&q->message, fmt, ap);
        va_end(ap);
        if (k < 0) {
                q->message = NULL;
                return -ENOMEM;
        }
        q->error = error;
        return 0;
}

/* What a finished transfer means: q->error and q->message, or 0 for a 2xx answer. */
static int transfer_result(const Client *cl, Transfer *t, DockerHttpResult res)
{
        Request *q = t->q;
        const char *sock = cl->socket_path, *m = q->method ? q->method : "GET";
        int os_errno = res == DOCKER_HTTP_CONNECT_FAILED ? t->http.os_errno : 0;

        if (q->resp.oom || q->resp.sink_r == -ENOMEM ||
                (res == DOCKER_HTTP_FAILED && t->http.error == -ENOMEM))
                return -ENOMEM;
        if (q->resp.sink_r < 0)
                return request_fail(
                        q, q->resp.sink_r, "Docker API %s %s: not a JSON array of objects", m, q->path);
        /* The status of a complete answer only: a truncated 404 is no proof of anything. */
        q->status = res == DOCKER_HTTP_DONE ? t->http.resp.status : 0;
        q->resp.too_big = res == DOCKER_HTTP_FAILED && t->http.error == -EFBIG;
        if (res == DOCKER_HTTP_TIMEDOUT)
                return request_fail(q, -ETIMEDOUT, "Docker API %s %s: no answer within %ld ms on %s", m,
                        q->path, q->timeout_ms, sock);
        if (q->resp.too_big)
                return request_fail(q, -EBADMSG, "%s: %s %s: answer larger than %zu bytes", sock, m, q->path,
                        q->resp.max_body);
        if (os_errno == ENOENT)
                return request_fail(q, -ENOENT, "%s: no such socket", sock);
        if (os_errno == ECONNREFUSED)
                return request_fail(q, -ECONNREFUSED, "connection refused on %s", sock);
        if (os_errno == EACCES || os_errno == EPERM)
                return request_fail(q, -EACCES, "permission denied on %s", sock);
        if (os_errno > 0)
                return request_fail(q, -os_errno, "cannot connect to %s: %s", sock, strerror(os_errno));
        if (res != DOCKER_HTTP_DONE)
                return request_fail(q, -EPROTO, "%s: %s %s: %s", sock, m, q->path, strempty(t->http.why));
        q->resp.api_version = TAKE_PTR(t->http.resp.api_version);
        if (q->status < 200 || q->status > 299) {
                /* The daemon's {"message": "..."} says why. */
                _cleanup_json_ json_t *j =
                        json_loadb(q->resp.body.buf ? q->resp.body.buf : "", q->resp.body.len, 0, NULL);
                const char *msg = json_string_value(json_object_get(j, "message"));

                return request_fail(q, -EPROTO, "Docker API %s %s: HTTP %ld%s%s", m, q->path, q->status,
                        msg ? ": " : "", msg ? msg : "");
        }
        return 0;
}

/* Starts q in t, with the request's budget cut to the deadline: 1 when started, 0 when q
 * failed at once (q->error), -ENOMEM. */
static int transfer_start(const Client *cl, Transfer *t, Request *q)
{
        long ms = q->budget_ms ? q->budget_ms : DOCKER_API_TIMEOUT_MS;
        uint64_t now = deadline_now_usec();
        int r;

        if (cl->deadline_usec) {
                if (now >= cl->deadline_usec)
                        return request_fail(q, -ETIMEDOUT,
                                "Docker API %s %s: not asked, the deadline had passed",
                                q->method ? q->method : "GET", q->path);
                if ((cl->deadline_usec - now) / 1000 < (uint64_t) ms)
                        ms = (long) ((cl->deadline_usec - now) / 1000) + 1;
        }
        q->timeout_ms = ms;
        if (!q->resp.max_body)
                q->resp.max_body = MAX_BODY;
        *t = (Transfer){.q = q, .http.resp = {.on_head = on_head, .on_body = on_body, .userdata = &q->resp}};
        r = docker_http_start(cl->pool, &t->http, q->method ? q->method : "GET", q->path, now,
                now + (uint64_t) ms * 1000ULL);
        if (r == -EINVAL)
                return request_fail(q, -EINVAL, "%s: bad request path \"%s\"", cl->socket_path, q->path);
        return r < 0 ? r : 1;
}

/* Ends t (its connection back to the pool when reusable) and its answer's parser. */
static void transfer_end(const Client *cl, Transfer *t)
{
        docker_http_end(cl->pool, &t->http);
        http_response_done(&t->http.resp);
        *t = (Transfer){};
}

/* Runs the n requests, at most DOCKER_API_PARALLEL at a time over kept-alive connections:
 * each ends with q->error 0 (a 2xx answer) or a negative errno and q->message. A request
 * is started only when a connection is free, so its budget does not run while it waits.
 * Returns 0, or -ENOMEM. */
static int client_fetch(const Client *cl, Request *reqs, size_t n)
{
        Transfer t[DOCKER_API_PARALLEL] = {};
        size_t next = 0, active = 0;
        int r = 0;

        while (r >= 0 && (next < n || active > 0)) {
                struct pollfd pfd[DOCKER_API_PARALLEL];
                int wait = 100;
                uint64_t now;

                for (size_t k = 0; k < ELEMENTSOF(t) && next < n && r >= 0; k++)
                        if (!t[k].q) {
                                r = transfer_start(cl, &t[k], &reqs[next++]);
                                active += r > 0;
                                if (r == 0)
                                        t[k] = (Transfer){};
                        }
                if (r < 0 || active == 0)
                        continue;
                now = deadline_now_usec();
                for (size_t k = 0; k < ELEMENTSOF(t); k++) {
                        int w = 0;

                        pfd[k] = (struct pollfd){.fd = -1};
                        if (!t[k].q)
                                continue;
                        docker_http_pollfd(&t[k].http, now, &pfd[k], &w);
                        wait = w < wait ? w : wait;
                }
                if (poll(pfd, ELEMENTSOF(pfd), wait) < 0 && errno != EINTR) {
                        r = -errno;
                        continue;
                }
                now = deadline_now_usec();
                for (size_t k = 0; k < ELEMENTSOF(t) && r >= 0; k++) {
                        DockerHttpResult res;

                        if (!t[k].q)
                                continue;
                        res = docker_http_step(
                                cl->pool, &t[k].http, pfd[k].fd >= 0 ? pfd[k].revents : 0, now);
                        if (res == DOCKER_HTTP_RUNNING)
                                continue;
                        r = transfer_result(cl, &t[k], res);
                        transfer_end(cl, &t[k]);
                        active--;
                }
        }
        for (size_t k = 0; k < ELEMENTSOF(t); k++)
                if (t[k].q)
                        transfer_end(cl, &t[k]);
        return r < 0 ? r : 0;
}

static int client_init(Client *cl, const char *socket_path, uint64_t deadline_usec)
{
        *cl = (Client){.socket_path = socket_path,
                .deadline_usec = deadline_usec,
                .pool = docker_http_pool_new(socket_path)};
        return cl->pool ? 0 : -ENOMEM;
}

static void client_done(Client *cl)
{
        docker_http_pool_free(cl->pool);
        *cl = (Client){};
}

/* One GET of path into *resp; the error's message into *ret_error. */
static int client_get(const Client *cl, const char *path, size_t max_body, Response *resp, char **ret_error)
{
        _cleanup_(request_done) Request q = {.path = strdup(path), .resp.max_body = max_body};
        int r;

        if (!q.path)
                return -ENOMEM;
        r = client_fetch(cl, &q, 1);
        if (r < 0)
                return r;
        if (q.error < 0) {
                if (ret_error) {
                        free(*ret_error);
                        *ret_error = TAKE_PTR(q.message);
                }
                return q.error;
        }
        *resp = TAKE_STRUCT(q.resp);
        return 0;
}

/* "/v1.41" from /_ping's Api-Version, or "" when the daemon sent none usable; the raw
 * version into *ret_version when asked. */
static int api_prefix(const Client *cl, char **ret, char **ret_version, char **ret_error)
{
        _cleanup_(response_done) Response ping = {};
        int r = client_get(cl, "/_ping", MAX_BODY, &ping, ret_error);

        if (r < 0)
                return r;
        /* The version must look like "1.41": it goes into the path. */
        if (ping.api_version && *ping.api_version &&
                ping.api_version[strspn(ping.api_version, "0123456789.")] == 0) {
                *ret = strdupf("/v%s", ping.api_version);
                if (ret_version)
                        *ret_version = TAKE_PTR(ping.api_version);
        } else
                *ret = strdup("");
        return *ret ? 0 : -ENOMEM;
}

uint64_t docker_api_deadline(uint64_t deadline_usec)
{
        return deadline_usec ? deadline_usec : deadline_now_usec() + DOCKER_API_CALL_BUDGET_MS * 1000ULL;
}

int docker_api_info_until(const char *socket_path, uint64_t deadline_usec, DockerInfo *ret, char **ret_error)
{
        _cleanup_(client_done) Client cl = {};
        _cleanup_(response_done) Response info = {};
        _cleanup_(docker_info_done) DockerInfo i = {};
        _cleanup_free_ char *prefix = NULL;
        int r;

        if ((r = client_init(&cl, socket_path, docker_api_deadline(deadline_usec))) < 0 ||
                (r = api_prefix(&cl, &prefix, &i.api_version, ret_error)) < 0)
                return r;
        i.info_path = strdupf("%s/info", prefix);
        if (!i.info_path)
                return -ENOMEM;
        r = client_get(&cl, i.info_path, MAX_BODY, &info, ret_error);
        if (r < 0)
                return r;
        r = docker_info_parse(info.body.buf ? info.body.buf : "", info.body.len, &i, ret_error);
        if (r < 0)
                return r;
        *ret = TAKE_STRUCT(i);
        return 0;
}

int docker_api_info(const char *socket_path, DockerInfo *ret, char **ret_error)
{
        return docker_api_info_until(socket_path, 0, ret, ret_error);
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
                return error_setf(ret_error, -EBADMSG,
                        "Docker API container inspect: not a JSON object (%d:%d: %s)", err.line, err.column,
                        err.text);
        if (!json_is_string(json_object_get(root, "Id")))
                return error_setf(ret_error, -EBADMSG, "Docker API container inspect: no Id");
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
        c.inspected = true;
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

/* Ids go into URLs: hex in practice, never anything that needs escaping. */
static bool id_is_safe(const char *id)
{
        return *id && id[strspn(id, "0123456789abcdefABCDEF")] == 0 && strlen(id) <= 128;
}

/* The list's own fields decide for exited and created containers: no process (Pid 0) and no
 * rootfs mounted by dockerd. Every other state (running, paused, restarting, removing,
 * dead, or none reported: API < 1.23) is inspected for its Pid and GraphDriver dirs. */
static bool list_item_needs_inspect(const char *state)
{
        return !state || !(streq(state, "exited") || streq(state, "created"));
}

/* One container from a /containers/json item; *ret_inspect when it must be inspected. */
static int container_from_list(json_t *item, DockerContainer *ret, bool *ret_inspect)
{
        _cleanup_(docker_container_done) DockerContainer c = {};
        const char *id = json_string_value(json_object_get(item, "Id"));
        const char *name = json_string_value(json_array_get(json_object_get(item, "Names"), 0));
        const char *state = json_string_value(json_object_get(item, "State"));

        if (!id || !id_is_safe(id))
                return 0;
        if (!(c.id = strdup(id)) || !(c.name = strdup(name ? name + (*name == '/') : "")) ||
                !(c.state = strdup(state ? state : "unknown")) ||
                !(c.mount_dirs = calloc(1, sizeof(char *))))
                return -ENOMEM;
        *ret_inspect = list_item_needs_inspect(state);
        *ret = TAKE_STRUCT(c);
        return 1;
}

/* Inspects asked at a time: enough to keep DOCKER_API_PARALLEL in flight, few enough that the
 * bodies held at once (a few KiB each) do not grow with the number of containers. */
#define INSPECT_BATCH (2 * DOCKER_API_PARALLEL)

/* One batch: the containers which[0..m) of l. */
static int containers_inspect_batch(const Client *cl, const char *prefix, DockerContainerList *l,
        const size_t *which, size_t m, bool *gone, char **ret_error)
{
        Request q[INSPECT_BATCH] = {};
        int r = 0;

        for (size_t k = 0; k < m && r == 0; k++)
                if (!(q[k].path = strdupf("%s/containers/%s/json", prefix, l->v[which[k]].id)))
                        r = -ENOMEM;
        if (r == 0)
                r = client_fetch(cl, q, m);
        for (size_t k = 0; k < m && r == 0; k++) {
                _cleanup_free_ char *err = NULL;
                DockerContainer c = {};

                if (q[k].error < 0 && q[k].status == 404) {
                        gone[which[k]] = true;
                        continue;
                }
                if (q[k].error < 0)
                        r = error_setf(ret_error, q[k].error, "%s", strempty(q[k].message));
                else if ((r = docker_container_parse(q[k].resp.body.buf ? q[k].resp.body.buf : "",
                                  q[k].resp.body.len, &c, &err)) == -EBADMSG)
                        r = error_setf(ret_error, r, "Docker API GET %s: %s", q[k].path, strempty(err));
                if (r == 0) {
                        docker_container_done(&l->v[which[k]]);
                        l->v[which[k]] = c;
                }
        }
        for (size_t k = 0; k < m; k++)
                request_done(&q[k]);
        return r;
}

/* Inspects the containers of l marked in inspect[], in parallel, INSPECT_BATCH at a time; a
 * container removed meanwhile (404) is marked gone[]. Any other failure fails the whole list,
 * naming the request: a Dead container must not drop out of the report unnoticed. */
static int containers_inspect(const Client *cl, const char *prefix, DockerContainerList *l,
        const bool *inspect, bool *gone, char **ret_error)
{
        size_t which[INSPECT_BATCH], m = 0;
        int r = 0;

        for (size_t i = 0; i < l->n && r == 0; i++) {
                if (inspect[i])
                        which[m++] = i;
                if (m == INSPECT_BATCH || (i + 1 == l->n && m > 0)) {
                        r = containers_inspect_batch(cl, prefix, l, which, m, gone, ret_error);
                        m = 0;
                }
        }
        return r;
}

/* Drops the containers marked gone[], keeping the order. */
static void containers_drop(DockerContainerList *l, const bool *gone)
{
        size_t out = 0;

        for (size_t i = 0; i < l->n; i++) {
                if (gone[i])
                        docker_container_done(&l->v[i]);
                else
                        l->v[out++] = l->v[i];
        }
        l->n = out;
}

/* The container list, read as it arrives: each element of the top-level array is cut out
 * and parsed alone, so that memory stays one element whatever the number of containers
 * (jansson's tree of the whole list is about 5 KiB a container). */
typedef struct ListReader {
        enum { LR_BEFORE, LR_VALUE, LR_NEXT, LR_ELEMENT, LR_AFTER } state;
        bool first; /* LR_VALUE right after '[': ']' allowed */
        bool in_string, escape;
        unsigned depth; /* nesting inside the element */
        StrBuf elem;
        DockerContainerList *l;
        bool *inspect;
        size_t cap;
} ListReader;

static void list_reader_done(ListReader *lr)
{
        sb_free(&lr->elem);
        free(lr->inspect);
}

static bool is_json_space(char c)
{
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* One element, complete: a container when it has a usable Id. */
static int list_reader_element(ListReader *lr)
{
        _cleanup_json_ json_t *item = json_loadb(lr->elem.buf, lr->elem.len, 0, NULL);
        int r;

        lr->elem.len = 0;
        if (!json_is_object(item))
                return -EBADMSG;
        if (lr->l->n + 1 >= lr->cap) {
                size_t cap = lr->cap ? 2 * lr->cap : 64;
                DockerContainer *v = realloc(lr->l->v, cap * sizeof *v);
                bool *in;

                if (!v)
                        return -ENOMEM;
                lr->l->v = v;
                in = realloc(lr->inspect, cap * sizeof *in);
                if (!in)
                        return -ENOMEM;
                lr->inspect = in;
                lr->cap = cap;
        }
        lr->inspect[lr->l->n] = false;
        r = container_from_list(item, &lr->l->v[lr->l->n], &lr->inspect[lr->l->n]);
        if (r < 0)
                return r;
        lr->l->n += r;
        return 0;
}

/* The state machine over the list's bytes: before '[', at a value (after '[' or ','), after
 * a value (',' or ']'), inside an element (strings and nesting tracked until its closing
 * brace), after ']' (white space only). Elements must be objects. */
static int list_reader_feed(const char *data, size_t n, void *userdata)
{
        ListReader *lr = userdata;
        int r;

        for (size_t i = 0; i < n; i++) {
                char c = data[i];

                switch (lr->state) {
                case LR_BEFORE:
                case LR_AFTER:
                        if (lr->state == LR_BEFORE && c == '[') {
                                lr->state = LR_VALUE;
                                lr->first = true;
                        } else if (!is_json_space(c))
                                return -EBADMSG;
                        break;
                case LR_VALUE:
                case LR_NEXT:
                        if (is_json_space(c))
                                break;
                        if (c == ']' && (lr->state == LR_NEXT || lr->first))
                                lr->state = LR_AFTER;
                        else if (c == ',' && lr->state == LR_NEXT)
                                lr->state = LR_VALUE;
                        else if (c == '{' && lr->state == LR_VALUE) {
                                lr->state = LR_ELEMENT;
                                lr->depth = 1;
                                lr->in_string = lr->escape = false;
                                if (sb_putc(&lr->elem, c) < 0)
                                        return -ENOMEM;
                        } else
                                return -EBADMSG;
                        lr->first = false;
                        break;
                case LR_ELEMENT:
                        if (lr->elem.len >= MAX_BODY)
                                return -EBADMSG;
                        if (sb_putc(&lr->elem, c) < 0)
                                return -ENOMEM;
                        if (lr->in_string) {
                                if (lr->escape)
                                        lr->escape = false;
                                else if (c == '\\')
                                        lr->escape = true;
                                else if (c == '"')
                                        lr->in_string = false;
                        } else if (c == '"')
                                lr->in_string = true;
                        else if (c == '{' || c == '[')
                                lr->depth++;
                        else if ((c == '}' || c == ']') && --lr->depth == 0) {
                                lr->state = LR_NEXT;
                                if ((r = list_reader_element(lr)) < 0)
                                        return r;
                        }
                        break;
                }
        }
        return 0;
}

/* /containers/json?all=1 into *l, with inspect[] set for the containers to inspect. */
static int containers_list(
        const Client *cl, const char *path, DockerContainerList *l, bool **ret_inspect, char **ret_error)
{
        _cleanup_(list_reader_done) ListReader lr = {.l = l};
        _cleanup_(request_done) Request q = {.path = strdup(path),
                .resp = {.max_body = MAX_BODY, .sink = list_reader_feed, .sink_data = &lr}};
        int r;

        if (!q.path)
                return -ENOMEM;
        r = client_fetch(cl, &q, 1);
        if (r < 0)
                return r;
        if (q.error < 0)
                return error_setf(ret_error, q.error, "%s", strempty(q.message));
        if (lr.state != LR_AFTER)
                return error_setf(
                        ret_error, -EBADMSG, "Docker API GET %s: not a JSON array of objects", path);
        if (!l->v && !(l->v = calloc(1, sizeof *l->v)))
                return -ENOMEM;
        *ret_inspect = lr.inspect ? TAKE_PTR(lr.inspect) : calloc(1, sizeof(bool));
        return *ret_inspect ? 0 : -ENOMEM;
}

/* The list filtered on the states list_item_needs_inspect() names (DOCKER_API_LIST_FILTERED's
 * filters, URL-encoded). dockerd applies filters
 * before it builds a list entry (moby daemon/list.go: reducePsContainer() asks
 * includeContainerInList() before the reducer, whose image look-ups make the whole list its
 * slowest answer): measured on 20.10 at 200 containers (20 running), 5 ms against 13 ms. */
#define INSPECT_FILTER                                                                                     \
        "%7B%22status%22%3A%5B%22running%22%2C%22paused%22%2C%22restarting%22%2C%22removing%22%2C%22dead%" \
        "22%5D%7D"

/* Whether a failed list may be asked again unfiltered: the daemon answered, but not with
 * the filtered list (an older one refuses the states it does not know, "removing" or "dead",
 * with HTTP 400 or 500). A daemon that does not answer (timeout, connection) is not asked
 * again. */
static bool list_refused(int r)
{
        return r == -EPROTO || r == -EBADMSG;
}

/* Whether a container in this state may wait for its inspect (docker_api_containers_list_until()):
 * a running one, whose pid and mounted dirs only the leak finder needs, and only when some
 * namespace holds mounts that could be leaks. */
static bool inspect_may_wait(const char *state)
{
        return state && (streq(state, "running") || streq(state, "paused") || streq(state, "restarting"));
}

/* The list (filtered, else whole) into *l, with the inspects of the containers that need
 * one, but, when lazy, not those inspect_may_wait() names. */
static int containers_until(const char *socket_path, uint64_t deadline_usec, bool lazy,
        DockerContainerList *ret, char **ret_error)
{
        _cleanup_(client_done) Client cl = {};
        _cleanup_(docker_container_list_done) DockerContainerList l = {};
        _cleanup_free_ char *prefix = NULL, *filtered = NULL, *all = NULL, *err = NULL;
        _cleanup_free_ bool *inspect = NULL, *gone = NULL;
        int r;

        if ((r = client_init(&cl, socket_path, docker_api_deadline(deadline_usec))) < 0 ||
                (r = api_prefix(&cl, &prefix, NULL, ret_error)) < 0)
                return r;
        filtered = strdupf("%s/containers/json?all=1&filters=%s", prefix, INSPECT_FILTER);
        all = strdupf("%s/containers/json?all=1", prefix);
        if (!filtered || !all)
                return -ENOMEM;
        /* Only the containers to inspect: exited and created ones say nothing the facts or
         * the leak finder need (a leak naming one is looked up by id, see
         * docker_api_containers_by_id_until()). */
        r = containers_list(&cl, filtered, &l, &inspect, &err);
        l.query = DOCKER_API_LIST_FILTERED;
        if (r < 0 && list_refused(r)) {
                docker_container_list_done(&l);
                r = containers_list(&cl, all, &l, &inspect, ret_error);
                l.query = DOCKER_API_LIST_ALL;
        } else if (r < 0 && err)
                r = error_setf(ret_error, r, "%s", err);
        if (r < 0)
                return r;
        for (size_t i = 0; lazy && i < l.n; i++)
                inspect[i] = inspect[i] && !inspect_may_wait(l.v[i].state);
        gone = calloc(l.n + 1, sizeof(bool));
        if (!gone)
                return -ENOMEM;
        if ((r = containers_inspect(&cl, prefix, &l, inspect, gone, ret_error)) < 0)
                return r;
        containers_drop(&l, gone);
        *ret = TAKE_STRUCT(l);
        return 0;
}

int docker_api_containers_until(const char *socket_path, uint64_t deadline_usec, DockerContainer **ret,
        size_t *ret_n, char **ret_error)
{
        DockerContainerList l = {};
        int r = containers_until(socket_path, deadline_usec, false, &l, ret_error);

        if (r < 0)
                return r;
        *ret = l.v;
        *ret_n = l.n;
        return 0;
}

int docker_api_containers_list_until(
        const char *socket_path, uint64_t deadline_usec, DockerContainerList *ret, char **ret_error)
{
        return containers_until(socket_path, deadline_usec, true, ret, ret_error);
}

int docker_api_containers_inspect_until(
        const char *socket_path, uint64_t deadline_usec, DockerContainerList *l, char **ret_error)
{
        _cleanup_(client_done) Client cl = {};
        _cleanup_free_ char *prefix = NULL;
        _cleanup_free_ bool *inspect = calloc(l->n + 1, sizeof(bool)),
                            *gone = calloc(l->n + 1, sizeof(bool));
        bool any = false;
        int r;

        if (!inspect || !gone)
                return -ENOMEM;
        for (size_t i = 0; i < l->n; i++)
                any |= inspect[i] = !l->v[i].inspected && list_item_needs_inspect(l->v[i].state);
        if (!any)
                return 0;
        if ((r = client_init(&cl, socket_path, docker_api_deadline(deadline_usec))) < 0 ||
                (r = api_prefix(&cl, &prefix, NULL, ret_error)) < 0 ||
                (r = containers_inspect(&cl, prefix, l, inspect, gone, ret_error)) < 0)
                return r;
        containers_drop(l, gone);
        return 0;
}

int docker_api_containers_by_id_until(const char *socket_path, uint64_t deadline_usec,
        const char *const *ids, size_t n, DockerContainerList *ret, char **ret_error)
{
        _cleanup_(client_done) Client cl = {};
        _cleanup_(docker_container_list_done) DockerContainerList l = {};
        _cleanup_strv_free_ char **asked = calloc(n + 1, sizeof(char *));
        _cleanup_free_ char *prefix = NULL;
        _cleanup_free_ bool *inspect = calloc(n + 1, sizeof(bool)), *gone = calloc(n + 1, sizeof(bool));
        int r;

        l.v = calloc(n + 1, sizeof *l.v);
        if (!asked || !inspect || !gone || !l.v)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                if (!id_is_safe(ids[i]))
                        continue; /* names no container: ids are hex */
                inspect[l.n] = true;
                if (!(asked[l.n] = strdup(ids[i])) || !(l.v[l.n++].id = strdup(ids[i])))
                        return -ENOMEM;
        }
        if (l.n > 0 && ((r = client_init(&cl, socket_path, docker_api_deadline(deadline_usec))) < 0 ||
                               (r = api_prefix(&cl, &prefix, NULL, ret_error)) < 0 ||
                               (r = containers_inspect(&cl, prefix, &l, inspect, gone, ret_error)) < 0))
                return r;
        /* dockerd also takes the id for a name or an id prefix: only the container with
         * exactly this id is it. */
        for (size_t i = 0; i < l.n; i++)
                gone[i] = gone[i] || !streq(l.v[i].id, asked[i]);
        containers_drop(&l, gone);
        *ret = TAKE_STRUCT(l);
        return 0;
}

int docker_api_containers(const char *socket_path, DockerContainer **ret, size_t *ret_n, char **ret_error)
{
        return docker_api_containers_until(socket_path, 0, ret, ret_n, ret_error);
}

int docker_api_remove_container(const char *socket_path, const char *id, char **ret_error)
{
        _cleanup_(client_done) Client cl = {};
        _cleanup_(request_done) Request q = {.method = "DELETE", .budget_ms = 30 * DOCKER_API_TIMEOUT_MS};
        _cleanup_free_ char *prefix = NULL;
        int r;

        if (!id_is_safe(id))
                return error_setf(ret_error, -EINVAL, "bad container id \"%s\"", id);
        r = client_init(&cl, socket_path, 0);
        if (r >= 0)
                r = api_prefix(&cl, &prefix, NULL, ret_error);
        if (r < 0)
                return r;
        /* Removing a container unmounts and deletes its layer: allow more than a GET. */
        q.path = strdupf("%s/containers/%s?force=1", prefix, id);
        if (!q.path)
                return -ENOMEM;
        r = client_fetch(&cl, &q, 1);
        if (r < 0)
                return r;
        if (q.error < 0 && q.status == 0)
                return error_setf(ret_error, q.error, "%s", strempty(q.message));
        if (q.status != 204 && q.status != 200) {
                /* The daemon's {"message": "..."} says why (e.g. "device or resource busy"). */
                _cleanup_json_ json_t *j =
                        json_loadb(q.resp.body.buf ? q.resp.body.buf : "", q.resp.body.len, 0, NULL);
                const char *m = json_string_value(json_object_get(j, "message"));

                return error_setf(ret_error, q.status == 404 ? -ENOENT : -EPROTO,
                        "DELETE /containers/%s: HTTP %ld%s%s", id, q.status, m ? ": " : "", m ? m : "");
        }
        return 0;
}
