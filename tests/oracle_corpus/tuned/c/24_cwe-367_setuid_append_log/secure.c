#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int append_log(const char *path, const char *line)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW);
    struct stat st;
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != getuid()) {
        close(fd);
        return -1;
    }
    size_t len = strlen(line);
    ssize_t n = write(fd, line, len);
    close(fd);
    return n == (ssize_t)len ? 0 : -1;
}
