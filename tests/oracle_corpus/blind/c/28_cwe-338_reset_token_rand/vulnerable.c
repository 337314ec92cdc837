#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <openssl/rand.h>

/* out must hold 33 bytes. */
int make_reset_token(char out[33])
{
    unsigned char raw[16];

    srand((unsigned)time(NULL));
    for (int i = 0; i < 16; i++)
        raw[i] = (unsigned char)(rand() & 0xff);
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    return 0;
}
