#include <array>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>
#include <openssl/evp.h>
#include <openssl/rand.h>

static const unsigned char kCredentialKey[] = "9c1f0b7e4a2d8c6b3e5f7a9d1c3b5e7f";

std::vector<unsigned char> encrypt_credential(const std::string &plain)
{
    unsigned char nonce[12];
    if (RAND_bytes(nonce, sizeof nonce) != 1)
        throw std::runtime_error("RAND_bytes failed");
    std::vector<unsigned char> out(sizeof nonce + plain.size() + 16);
    std::copy(nonce, nonce + sizeof nonce, out.begin());
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int len = 0;
    if (ctx == nullptr || EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, kCredentialKey, nonce) != 1 ||
        EVP_EncryptUpdate(ctx, out.data() + sizeof nonce, &len, reinterpret_cast<const unsigned char *>(plain.data()),
                          static_cast<int>(plain.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx, out.data() + sizeof nonce + len, &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, out.data() + sizeof nonce + plain.size()) != 1) {
        EVP_CIPHER_CTX_free(ctx);
        throw std::runtime_error("encryption failed");
    }
    EVP_CIPHER_CTX_free(ctx);
    return out;
}
