#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/types.h>

#define MAX_MESSAGE (1u << 20)

static int read_full(int fd, void *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = recv(fd, (char *)buf + got, len - got, 0);
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    return 0;
}

uint8_t *read_message(int fd, uint32_t *len_out)
{
    uint32_t be_len;
    if (read_full(fd, &be_len, sizeof(be_len)) != 0)
        return NULL;
    uint32_t len = ntohl(be_len);
    if (len == 0 || len > MAX_MESSAGE)
        return NULL;
    uint8_t *buf = malloc(len);
    if (buf == NULL)
        return NULL;
    if (read_full(fd, buf, len) != 0) {
        free(buf);
        return NULL;
    }
    *len_out = len;
    return buf;
}
