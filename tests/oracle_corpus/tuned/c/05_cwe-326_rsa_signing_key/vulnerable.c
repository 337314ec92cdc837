#include <stdio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

int generate_signing_key(const char *path)
{
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, NULL);
    int rc = -1;

    if (ctx == NULL)
        return -1;
    if (EVP_PKEY_keygen_init(ctx) <= 0
        || EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 1024) <= 0
        || EVP_PKEY_keygen(ctx, &pkey) <= 0)
        goto out;

    FILE *f = fopen(path, "w");
    if (f == NULL)
        goto out;
    if (PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL, NULL) == 1)
        rc = 0;
    fclose(f);
out:
    EVP_PKEY_free(pkey);
    EVP_PKEY_CTX_free(ctx);
    return rc;
}
