#define _DEFAULT_SOURCE
#include <alloca.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int reply_reversed(int fd, const char *msg, size_t len)
{
    char *out = alloca(len + 1);
    size_t o = 0, end = len;

    while (end > 0) {
        size_t start = end;
        while (start > 0 && msg[start - 1] != ' ')
            start--;
        memcpy(out + o, msg + start, end - start);
        o += end - start;
        if (start > 0)
            out[o++] = ' ';
        end = start > 0 ? start - 1 : 0;
    }
    out[o] = '\0';
    ssize_t n = write(fd, out, o);
    return n == (ssize_t)o ? 0 : -1;
}
