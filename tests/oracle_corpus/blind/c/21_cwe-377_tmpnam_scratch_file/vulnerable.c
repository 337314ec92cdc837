#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>

FILE *spill_to_tempfile(const void *data, size_t len)
{
    char name[L_tmpnam];
    if (tmpnam(name) == NULL)
        return NULL;
    FILE *fp = fopen(name, "w+b");
    if (fp == NULL)
        return NULL;
    remove(name);
    if (fwrite(data, 1, len, fp) != len) {
        fclose(fp);
        return NULL;
    }
    rewind(fp);
    return fp;
}
