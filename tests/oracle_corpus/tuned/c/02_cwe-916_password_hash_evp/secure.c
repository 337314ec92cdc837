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
    if (PKCS5_PBKDF2_HMAC(password, (int)strlen(password), salt, SALT_LEN, 600000, EVP_sha256(),
                          HASH_LEN, out) != 1)
        return -1;
    *out_len = HASH_LEN;
    return 0;
}
