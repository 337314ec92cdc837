#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int save_token(const char *token)
{
    char path[PATH_MAX];
    const char *home = getenv("HOME");
    if (home == NULL)
        return -1;
    snprintf(path, sizeof(path), "%s/.mytool", home);
    mkdir(path, 0700);
    snprintf(path, sizeof(path), "%s/.mytool/token", home);

    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return -1;
    size_t len = strlen(token);
    int ok = write(fd, token, len) == (ssize_t)len;
    close(fd);
    return ok ? 0 : -1;
}
