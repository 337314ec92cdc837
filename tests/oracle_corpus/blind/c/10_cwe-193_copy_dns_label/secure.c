#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define MAX_LABEL 63

/* Returns number of packet bytes consumed, or -1 on malformed input. */
int read_label(const uint8_t *pkt, size_t pkt_len, size_t off, char out[MAX_LABEL])
{
    if (off >= pkt_len)
        return -1;
    size_t len = pkt[off];
    if (off + 1 + len > pkt_len)
        return -1;
    if (len >= MAX_LABEL)
        return -1;
    memcpy(out, pkt + off + 1, len);
    out[len] = '\0';
    return (int)(len + 1);
}
