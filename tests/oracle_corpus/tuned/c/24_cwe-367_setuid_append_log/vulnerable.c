#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int append_log(const char *path, const char *line)
{
    if (access(path, W_OK) != 0) {
        perror("access");
        return -1;
    }
    int fd = open(path, O_WRONLY | O_APPEND);
    if (fd < 0)
        return -1;
    size_t len = strlen(line);
    ssize_t n = write(fd, line, len);
    close(fd);
    return n == (ssize_t)len ? 0 : -1;
}
