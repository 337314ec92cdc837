#include <string.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#define SALT_LEN 16
#define HASH_LEN 32

/* Hash password with a fresh random salt; the caller stores salt and hash. Returns 0 on success. */
int hash_password(const char *password, unsigned char salt[SALT_LEN], unsigned char out[HASH_LEN],
                  unsigned int *out_len)
{
    if (RAND_bytes(salt, SALT_LEN) != 1)
        return -1;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL)
        return -1;
    if (EVP_DigestInit_ex(ctx, EVP_md5(), NULL) != 1
        || EVP_DigestUpdate(ctx, salt, SALT_LEN) != 1
        || EVP_DigestUpdate(ctx, password, strlen(password)) != 1
        || EVP_DigestFinal_ex(ctx, out, out_len) != 1) {
        EVP_MD_CTX_free(ctx);
        return -1;
    }
    EVP_MD_CTX_free(ctx);
    return 0;
}
