/* SPDX-License-Identifier: MIT */
/* Container mode (--host-root DIR): the host's / is mounted at DIR, its D-Bus and Docker
 * sockets are mounted in, and its pid namespace is ours. The paths the manager and dockerd
 * report are host paths: a file is read under DIR (root-file.h: links cannot leave it), a
 * socket they name is reached under DIR too. */
#include <sys/stat.h>
#include <unistd.h>

#include "basic/root-file.h"
#include "collect/collect.h"
#include "systemd/unit-lookup.h"

const char *collect_files_root(const CollectOptions *o)
{
        if (!o)
                return NULL;
        return o->root ? o->root : o->files_root;
}

int collect_host_socket(const CollectOptions *o, const char *sock, char **ret)
{
        _cleanup_free_ char *canon = NULL, *inside = NULL;
        struct stat st;

        if (o && o->files_root && !root_is_host(o->files_root) && sock[0] == '/' &&
                unit_lookup_chase(o->files_root, sock, &canon) >= 0) {
                inside = root_path(o->files_root, canon);
                if (!inside)
                        return -ENOMEM;
                if (stat(inside, &st) >= 0 && S_ISSOCK(st.st_mode)) {
                        *ret = TAKE_PTR(inside);
                        return 0;
                }
        }
        *ret = strdup(sock);
        return *ret ? 0 : -ENOMEM;
}

bool collect_is_own_container(const CollectOptions *o, const DockerContainer *c)
{
        return o && o->files_root && c->pid > 0 && (c->pid == getpid() || c->pid == getppid());
}
