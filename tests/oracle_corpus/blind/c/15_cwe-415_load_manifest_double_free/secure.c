#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int parse_manifest(const char *data, size_t len);

int load_manifest(const char *path)
{
    int ret = -1;
    char *buf = NULL;
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return -1;

    if (fseek(fp, 0, SEEK_END) != 0)
        goto out;
    long size = ftell(fp);
    if (size < 4 || size > 1 << 20)
        goto out;
    rewind(fp);
    buf = malloc((size_t)size);
    if (buf == NULL || fread(buf, 1, (size_t)size, fp) != (size_t)size)
        goto out;
    if (memcmp(buf, "MNF1", 4) != 0) {
        fprintf(stderr, "%s: bad magic\n", path);
        free(buf);
        buf = NULL;
        goto out;
    }
    ret = parse_manifest(buf + 4, (size_t)size - 4);
out:
    free(buf);
    fclose(fp);
    return ret;
}
