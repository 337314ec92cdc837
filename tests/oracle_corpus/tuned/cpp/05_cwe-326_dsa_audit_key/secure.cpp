#include <stdexcept>
#include <openssl/dsa.h>
#include <openssl/evp.h>

EVP_PKEY *make_audit_signing_key()
{
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_name(nullptr, "DSA", nullptr);
    EVP_PKEY *params = nullptr;
    EVP_PKEY *key = nullptr;

    if (pctx == nullptr || EVP_PKEY_paramgen_init(pctx) <= 0 ||
        EVP_PKEY_CTX_set_dsa_paramgen_bits(pctx, 2048) <= 0 ||
        EVP_PKEY_paramgen(pctx, &params) <= 0) {
        EVP_PKEY_CTX_free(pctx);
        throw std::runtime_error("DSA parameter generation failed");
    }
    EVP_PKEY_CTX_free(pctx);

    EVP_PKEY_CTX *kctx = EVP_PKEY_CTX_new(params, nullptr);
    if (kctx == nullptr || EVP_PKEY_keygen_init(kctx) <= 0 || EVP_PKEY_keygen(kctx, &key) <= 0) {
        EVP_PKEY_CTX_free(kctx);
        EVP_PKEY_free(params);
        throw std::runtime_error("DSA key generation failed");
    }
    EVP_PKEY_CTX_free(kctx);
    EVP_PKEY_free(params);
    return key;
}
