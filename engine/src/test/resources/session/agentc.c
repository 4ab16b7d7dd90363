/*
 * TEST-ONLY ssh-agent client for builds: connects to $SSH_AUTH_SOCK, and for each file argument sends the
 * file's bytes (one framed agent request) and copies one framed answer to stdout. Built static by the test.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static unsigned char buf[300000];

static int full(int fd, unsigned char *b, size_t n, int writing) {
    size_t done = 0;
    while (done < n) {
        ssize_t r = writing ? write(fd, b + done, n - done) : read(fd, b + done, n - done);
        if (r <= 0) return -1;
        done += (size_t) r;
    }
    return 0;
}

int main(int argc, char **argv) {
    const char *path = getenv("SSH_AUTH_SOCK");
    if (!path) { fprintf(stderr, "agentc: SSH_AUTH_SOCK is not set\n"); return 2; }
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    strncpy(a.sun_path, path, sizeof a.sun_path - 1);
    if (connect(s, (struct sockaddr *) &a, sizeof a) != 0) { perror("agentc: connect"); return 3; }
    for (int i = 1; i < argc; i++) {
        int f = open(argv[i], O_RDONLY);
        if (f < 0) { perror(argv[i]); return 4; }
        ssize_t n = read(f, buf, sizeof buf);
        close(f);
        if (n <= 0 || full(s, buf, (size_t) n, 1) != 0) { fprintf(stderr, "agentc: write failed\n"); return 5; }
        unsigned char h[4];
        if (full(s, h, 4, 0) != 0) { fprintf(stderr, "agentc: no answer\n"); return 6; }
        uint32_t len = ((uint32_t) h[0] << 24) | ((uint32_t) h[1] << 16) | ((uint32_t) h[2] << 8) | h[3];
        if (len > sizeof buf || full(s, buf, len, 0) != 0) { fprintf(stderr, "agentc: short answer\n"); return 7; }
        if (full(1, h, 4, 1) != 0 || full(1, buf, len, 1) != 0) return 8;
    }
    close(s);
    return 0;
}
