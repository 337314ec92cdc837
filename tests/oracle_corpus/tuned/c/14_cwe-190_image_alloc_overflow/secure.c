#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

uint8_t *load_rgba(FILE *f, uint32_t *w_out, uint32_t *h_out)
{
    uint32_t hdr[2];

    if (fread(hdr, sizeof hdr[0], 2, f) != 2)
        return NULL;
    uint32_t width = hdr[0], height = hdr[1];
    if (width == 0 || height == 0 || width > UINT32_MAX / 4 / height)
        return NULL;
    uint32_t size = width * height * 4;
    uint8_t *pixels = malloc(size);
    if (pixels == NULL)
        return NULL;
    for (uint32_t y = 0; y < height; y++) {
        if (fread(pixels + (size_t)y * width * 4, 4, width, f) != width) {
            free(pixels);
            return NULL;
        }
    }
    *w_out = width;
    *h_out = height;
    return pixels;
}
