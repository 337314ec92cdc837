#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define UPLOAD_DIR "/var/www/uploads"

int send_upload(int client_fd, const char *name)
{
    char path[4096];
    char buf[8192];
    ssize_t n;

    if (name[0] == '\0' || strchr(name, '/') != NULL || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return -1;
    snprintf(path, sizeof path, "%s/%s", UPLOAD_DIR, name);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        if (write(client_fd, buf, (size_t)n) != n)
            break;
    }
    close(fd);
    return 0;
}
