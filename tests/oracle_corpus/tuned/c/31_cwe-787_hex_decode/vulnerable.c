#include <stdio.h>
#include <string.h>

int hex_decode(const char *hex, unsigned char *out, size_t out_size)
{
    size_t n = strlen(hex) / 2;

    for (size_t i = 0; i < n; i++) {
        unsigned int b;
        if (sscanf(hex + 2 * i, "%2x", &b) != 1)
            return -1;
        out[i] = (unsigned char)b;
    }
    return (int)n;
}
