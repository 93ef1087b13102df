/* make bench: the Linux baseline for TCP echo throughput, a plain
 * blocking echo server (one connection at a time, read then write), run
 * in a network namespace across a veth pair. usage: net_echo PORT */
#define _POSIX_C_SOURCE 200809L
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    static char buf[1 << 16];
    struct sockaddr_in a = { .sin_family = AF_INET };
    int one = 1, l = socket(AF_INET, SOCK_STREAM, 0);

    a.sin_port = htons(argc > 1 ? (unsigned short)atoi(argv[1]) : 7);
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 16)) {
        perror("net_echo");
        return 1;
    }
    for (;;) {
        int c = accept(l, NULL, NULL);
        ssize_t n;
        if (c < 0)
            continue;
        while ((n = read(c, buf, sizeof buf)) > 0)
            for (ssize_t off = 0, w; off < n; off += w)
                if ((w = write(c, buf + off, (size_t)(n - off))) <= 0)
                    goto done;
    done:
        close(c);
    }
}
