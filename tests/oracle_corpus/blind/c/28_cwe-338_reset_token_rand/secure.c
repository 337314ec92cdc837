#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <openssl/rand.h>

/* out must hold 33 bytes. */
int make_reset_token(char out[33])
{
    unsigned char raw[16];

    if (RAND_bytes(raw, sizeof(raw)) != 1)
        return -1;
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    return 0;
}
