#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

int sign_webhook(const char *payload, char out[65])
{
    const char *key = "whsec_4f9a1c7e2b8d6035aa91";
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;

    if (HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)payload, strlen(payload), mac,
             &mac_len) == NULL)
        return -1;
    for (unsigned int i = 0; i < mac_len && i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", mac[i]);
    return 0;
}
