#include <stdio.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

/* out must hold at least 2 * 48 + 1 bytes. */
int hash_password(const char *password, char *out, size_t out_len)
{
    unsigned char salt[16];
    unsigned char key[32];
    unsigned char digest[48];
    unsigned int digest_len = sizeof(digest);
    if (RAND_bytes(salt, sizeof(salt)) != 1)
        return -1;
    if (PKCS5_PBKDF2_HMAC(password, (int)strlen(password), salt, sizeof(salt),
                          600000, EVP_sha256(), sizeof(key), key) != 1)
        return -1;
    memcpy(digest, salt, sizeof(salt));
    memcpy(digest + sizeof(salt), key, sizeof(key));

    if (out_len < digest_len * 2 + 1)
        return -1;
    for (unsigned int i = 0; i < digest_len; i++)
        sprintf(out + 2 * i, "%02x", digest[i]);
    out[digest_len * 2] = '\0';
    return 0;
}
