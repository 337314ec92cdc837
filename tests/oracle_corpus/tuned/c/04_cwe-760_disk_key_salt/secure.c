#include <string.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#define SALT_LEN 16
#define KEY_LEN 32

/* Fill salt_out (stored in the header) and key. Returns 0 on success. */
int derive_volume_key(const char *passphrase, unsigned char salt_out[SALT_LEN], unsigned char key[KEY_LEN])
{
    if (RAND_bytes(salt_out, SALT_LEN) != 1)
        return -1;
    if (PKCS5_PBKDF2_HMAC(passphrase, (int)strlen(passphrase), salt_out, SALT_LEN, 310000, EVP_sha256(),
                          KEY_LEN, key) != 1)
        return -1;
    return 0;
}
