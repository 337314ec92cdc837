#include <string.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

/* out must have room for 16 + in_len + 16 bytes; returns total bytes written or -1. */
int encrypt_record(const unsigned char key[32], const unsigned char *in, int in_len,
                   unsigned char *out)
{
    unsigned char iv[16];
    if (RAND_bytes(iv, sizeof(iv)) != 1)
        return -1;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int len = 0, total = 0;

    if (ctx == NULL)
        return -1;
    memcpy(out, iv, sizeof(iv));
    if (EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, iv) != 1)
        goto fail;
    if (EVP_EncryptUpdate(ctx, out + 16, &len, in, in_len) != 1)
        goto fail;
    total = len;
    if (EVP_EncryptFinal_ex(ctx, out + 16 + total, &len) != 1)
        goto fail;
    total += len;
    EVP_CIPHER_CTX_free(ctx);
    return 16 + total;
fail:
    EVP_CIPHER_CTX_free(ctx);
    return -1;
}
