#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

static const char SIGNING_KEY[] = "k9$Lq2!vR7xZ3mWp";

int sign_request(const char *body, char *hex_out, size_t hex_len)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    const char *key = SIGNING_KEY;

    if (HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)body,
             strlen(body), mac, &mac_len) == NULL)
        return -1;
    if (hex_len < mac_len * 2 + 1)
        return -1;
    for (unsigned int i = 0; i < mac_len; i++)
        snprintf(hex_out + 2 * i, 3, "%02x", mac[i]);
    return 0;
}
