#include <stdio.h>
#include <string.h>
#include <openssl/evp.h>

/* out must hold at least 2 * 48 + 1 bytes. */
int hash_password(const char *password, char *out, size_t out_len)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL)
        return -1;
    if (EVP_DigestInit_ex(ctx, EVP_md5(), NULL) != 1 ||
        EVP_DigestUpdate(ctx, password, strlen(password)) != 1 ||
        EVP_DigestFinal_ex(ctx, digest, &digest_len) != 1) {
        EVP_MD_CTX_free(ctx);
        return -1;
    }
    EVP_MD_CTX_free(ctx);

    if (out_len < digest_len * 2 + 1)
        return -1;
    for (unsigned int i = 0; i < digest_len; i++)
        sprintf(out + 2 * i, "%02x", digest[i]);
    out[digest_len * 2] = '\0';
    return 0;
}
