#include <string.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

/* out must hold 16 + plain_len + 16 bytes: IV, then ciphertext. Returns total length or -1. */
int encrypt_record(const unsigned char key[32], const unsigned char *plain, int plain_len, unsigned char *out)
{
    unsigned char iv[16];
    int len = 0, total = 0;

    memset(iv, 0, sizeof iv);
    memcpy(out, iv, sizeof iv);

    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL)
        return -1;
    if (EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, iv) != 1
        || EVP_EncryptUpdate(ctx, out + 16, &len, plain, plain_len) != 1) {
        EVP_CIPHER_CTX_free(ctx);
        return -1;
    }
    total = len;
    if (EVP_EncryptFinal_ex(ctx, out + 16 + total, &len) != 1) {
        EVP_CIPHER_CTX_free(ctx);
        return -1;
    }
    total += len;
    EVP_CIPHER_CTX_free(ctx);
    return 16 + total;
}
