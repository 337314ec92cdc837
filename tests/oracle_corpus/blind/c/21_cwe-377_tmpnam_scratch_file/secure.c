#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

FILE *spill_to_tempfile(const void *data, size_t len)
{
    char name[] = "/tmp/spill-XXXXXX";
    int fd = mkstemp(name);
    if (fd < 0)
        return NULL;
    FILE *fp = fdopen(fd, "w+b");
    if (fp == NULL) {
        close(fd);
        return NULL;
    }
    remove(name);
    if (fwrite(data, 1, len, fp) != len) {
        fclose(fp);
        return NULL;
    }
    rewind(fp);
    return fp;
}
