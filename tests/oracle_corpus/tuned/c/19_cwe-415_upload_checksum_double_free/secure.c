#include <stdio.h>
#include <stdlib.h>

int checksum_upload(const char *path, unsigned *sum_out)
{
    int rc = -1;
    unsigned char *data = NULL;
    FILE *f = fopen(path, "rb");

    if (f == NULL)
        return -1;
    data = malloc(4096);
    if (data == NULL)
        goto out;
    size_t n = fread(data, 1, 4096, f);
    if (n == 0) {
        free(data);
        data = NULL;
        goto out;
    }
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++)
        sum = sum * 31 + data[i];
    *sum_out = sum;
    rc = 0;
out:
    free(data);
    fclose(f);
    return rc;
}
