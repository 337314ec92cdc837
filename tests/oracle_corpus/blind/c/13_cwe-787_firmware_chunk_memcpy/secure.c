#include <stdint.h>
#include <string.h>

#define IMAGE_SIZE (256 * 1024)

static uint8_t g_image[IMAGE_SIZE];
static uint32_t g_bytes_received;

struct chunk_hdr {
    uint32_t offset;
    uint16_t length;
    uint16_t crc;
};

int store_chunk(const struct chunk_hdr *hdr, const uint8_t *data)
{
    if (hdr->offset > IMAGE_SIZE || hdr->length > IMAGE_SIZE - hdr->offset)
        return -1;
    memcpy(g_image + hdr->offset, data, hdr->length);
    g_bytes_received += hdr->length;
    return 0;
}
