#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Copies the request method (e.g. "GET") into method. Returns 0 on success. */
int read_method(int fd, char *method, size_t method_size)
{
    char line[256];
    size_t n = 0;
    char c;

    while (read(fd, &c, 1) == 1 && c != '\n')
        line[n++] = c;
    line[n] = '\0';

    char *sp = strchr(line, ' ');
    if (sp == NULL)
        return -1;
    *sp = '\0';
    snprintf(method, method_size, "%s", line);
    return 0;
}
