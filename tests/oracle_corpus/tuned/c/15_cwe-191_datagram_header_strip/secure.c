#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/types.h>

#define HDR_LEN 8

static uint32_t checksum(const unsigned char *p, size_t len)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum = (sum << 1) ^ p[i];
    return sum;
}

void serve(int sock)
{
    unsigned char buf[2048];

    for (;;) {
        ssize_t n = recv(sock, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        size_t len = (size_t)n;
        if (len < HDR_LEN)
            continue;
        size_t payload_len = len - HDR_LEN;
        printf("payload %zu bytes, checksum %08x\n", payload_len, checksum(buf + HDR_LEN, payload_len));
    }
}
