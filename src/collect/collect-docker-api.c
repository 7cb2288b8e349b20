/* SPDX-License-Identifier: MIT */
/* docker.* facts from the running daemon (Engine API over its unix socket). */
#include "collect/collect.h"
#include "formats/docker-api.h"

static const char *const api_facts[] = {"docker.api_version", "docker.live_restore", "docker.server_version",
        "docker.storage_driver", "docker.root_dir", "docker.swarm_state"};

/* socket path and where it came from, as dockerd's clients pick it. */
static int pick_socket(const CollectOptions *o, const char *socket_path, const char *socket_source,
        char **ret, char **ret_source)
{
        const char *host = getenv("DOCKER_HOST"), *p;
        const char *runtime = getenv("XDG_RUNTIME_DIR");

        if (socket_path) {
                *ret = strdup(socket_path);
                *ret_source = strdup(socket_source ? socket_source : "dockerd -H");
        } else if (host && (p = startswith(host, "unix://")) && *p) {
                *ret = strdup(p);
                *ret_source = strdup("DOCKER_HOST");
        } else if (o && o->user && runtime) {
                *ret = strdupf("%s/docker.sock", runtime);
                *ret_source = strdup("$XDG_RUNTIME_DIR/docker.sock (rootless default)");
        } else {
                *ret = strdup("/var/run/docker.sock");
                *ret_source = strdup("default");
        }
        return *ret && *ret_source ? 0 : -ENOMEM;
}

static int all_unknown(Facts *f, const char *why)
{
        return facts_set_unknown_all(f, api_facts, ELEMENTSOF(api_facts), why);
}

static int set_string_or_unknown(
        Facts *f, const char *name, const char *v, const char *field, const char *info_path, bool version)
{
        _cleanup_free_ char *src = strdupf("docker-api:%s %s", info_path, field);

        if (!src)
                return -ENOMEM;
        if (!v)
                return facts_set_unknown(f, name, "%s not reported by the daemon (%s)", field, info_path);
        return version ? facts_set_version(f, name, v, src) : facts_set_string(f, name, v, src);
}

/* The facts of a daemon that answered on sock. */
static int info_facts(Facts *f, const char *sock, const DockerInfo *i)
{
        _cleanup_free_ char *ping = strdupf("docker-api:%s /_ping", sock), *live = NULL;
        int r;

        if (!ping)
                return -ENOMEM;
        if ((r = facts_set_bool(f, "docker.running", true, ping)) < 0)
                return r;
        r = i->api_version
                    ? facts_set_version(
                              f, "docker.api_version", i->api_version, "docker-api:/_ping Api-Version")
                    : facts_set_unknown(f, "docker.api_version", "the daemon sent no Api-Version header");
        if (r < 0)
                return r;
        live = strdupf("docker-api:%s LiveRestoreEnabled", i->info_path);
        if (!live)
                return -ENOMEM;
        r = i->has_live_restore ? facts_set_bool(f, "docker.live_restore", i->live_restore, live)
                                : facts_set_unknown(f, "docker.live_restore",
                                          "LiveRestoreEnabled not reported by the daemon (API before 1.25)");
        if (r < 0)
                return r;
        if ((r = set_string_or_unknown(f, "docker.server_version", i->server_version, "ServerVersion",
                     i->info_path, true)) < 0 ||
                (r = set_string_or_unknown(
                         f, "docker.storage_driver", i->driver, "Driver", i->info_path, false)) < 0 ||
                (r = set_string_or_unknown(
                         f, "docker.root_dir", i->root_dir, "DockerRootDir", i->info_path, false)) < 0 ||
                (r = set_string_or_unknown(f, "docker.swarm_state", i->swarm_state, "Swarm.LocalNodeState",
                         i->info_path, false)) < 0)
                return r;
        return 0;
}

int collect_docker_api(Facts *f, const CollectOptions *o, const char *socket_path, const char *socket_source)
{
        _cleanup_free_ char *sock = NULL, *sock_src = NULL, *err = NULL;
        _cleanup_(docker_info_done) DockerInfo i = {};
        int r;

        if (o && o->root) {
                r = facts_set_unknown(f, "docker.running", "offline (--root): the Docker API is not asked");
                if (r >= 0)
                        r = facts_set_unknown(f, "docker.socket", "offline (--root)");
                return r < 0 ? r : all_unknown(f, "offline (--root): the Docker API is not asked");
        }
        r = pick_socket(o, socket_path, socket_source, &sock, &sock_src);
        if (r < 0)
                return r;
        r = facts_set_string(f, "docker.socket", sock, sock_src);
        if (r < 0)
                return r;

        r = docker_api_info(sock, &i, &err);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                const char *why = err ? err : strerror(-r);
                _cleanup_free_ char *ping = strdupf("docker-api:%s /_ping", sock);

                if (!ping)
                        return -ENOMEM;
                /* Not allowed to ask is not "not running". */
                if (r == -EACCES || r == -EPERM)
                        r = facts_set_unknown(f, "docker.running", "%s", why);
                else
                        r = facts_set_bool(f, "docker.running", false, ping);
                return r < 0 ? r : all_unknown(f, why);
        }
        return info_facts(f, sock, &i);
}
