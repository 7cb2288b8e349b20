/* SPDX-License-Identifier: MIT */
/* silent-listener PATH...: listens on each unix socket PATH and never answers (the kernel
 * completes the connections into the backlog, nobody reads), until killed: a D-Bus daemon
 * or a service manager that hangs, for tests/cli/test-bounded.sh. Prints "ready" once
 * listening. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        for (int i = 1; i < argc; i++) {
                struct sockaddr_un sa = {.sun_family = AF_UNIX};
                int fd = socket(AF_UNIX, SOCK_STREAM, 0);

                if (fd < 0 || strlen(argv[i]) >= sizeof sa.sun_path)
                        return 1;
                strcpy(sa.sun_path, argv[i]);
                if (bind(fd, (struct sockaddr *) &sa, sizeof sa) < 0 || listen(fd, 64) < 0) {
                        perror(argv[i]);
                        return 1;
                }
        }
        printf("ready\n");
        fflush(stdout);
        for (;;)
                pause();
}
