#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int save_token(const char *path, const char *token)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0)
        return -1;
    size_t len = strlen(token);
    ssize_t n = write(fd, token, len);
    close(fd);
    return n == (ssize_t)len ? 0 : -1;
}
