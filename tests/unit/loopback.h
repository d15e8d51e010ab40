/* loopback.h - free loopback ports for the tests (unit and integration) that run a server or need
 * one that is not there.
 * SPDX-License-Identifier: MIT */
#ifndef TEST_LOOPBACK_H
#define TEST_LOOPBACK_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* A loopback socket bound to a free port; listening when 'listen_too' (it never accepts), else
 * closed again so that nothing answers there. Returns the port (-1 on failure); *fd_out the
 * socket or -1. */
static inline int loopback_port(int listen_too, int *fd_out)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &len) == 0 && (!listen_too || listen(fd, 16) == 0))
        port = ntohs(sa.sin_port);
    if (!listen_too && fd >= 0) {
        close(fd);
        fd = -1;
    }
    *fd_out = fd;
    return port;
}

/* A port nothing listens on: bound to port 0, read back, released. */
static inline int free_port(void)
{
    int fd;

    return loopback_port(0, &fd);
}

#endif
