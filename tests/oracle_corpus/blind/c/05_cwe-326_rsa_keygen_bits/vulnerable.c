#include <stdio.h>
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#define KEY_BITS 1024

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s <out.pem>\n", argv[0]);
        return 1;
    }
    RSA *rsa = RSA_new();
    BIGNUM *e = BN_new();
    if (rsa == NULL || e == NULL || !BN_set_word(e, RSA_F4))
        return 1;
    if (RSA_generate_key_ex(rsa, KEY_BITS, e, NULL) != 1) {
        fprintf(stderr, "key generation failed\n");
        return 1;
    }
    FILE *fp = fopen(argv[1], "w");
    if (fp == NULL) {
        perror("fopen");
        return 1;
    }
    PEM_write_RSAPrivateKey(fp, rsa, NULL, NULL, 0, NULL, NULL);
    fclose(fp);
    RSA_free(rsa);
    BN_free(e);
    return 0;
}
