#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdexcept>
#include <string>
#include <vector>

std::vector<unsigned char> encryptRecord(const std::string &plain, const unsigned char key[32])
{
    unsigned char iv[16];
    if (RAND_bytes(iv, sizeof(iv)) != 1)
        throw std::runtime_error("RAND_bytes failed");

    const EVP_CIPHER *cipher = EVP_des_cbc();
    int ivLen = EVP_CIPHER_iv_length(cipher);
    std::vector<unsigned char> out(iv, iv + ivLen);
    out.resize(ivLen + plain.size() + EVP_CIPHER_block_size(cipher));

    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int len = 0, total = 0;
    if (!ctx || EVP_EncryptInit_ex(ctx, cipher, nullptr, key, iv) != 1 ||
        EVP_EncryptUpdate(ctx, out.data() + ivLen, &len,
                          reinterpret_cast<const unsigned char *>(plain.data()),
                          static_cast<int>(plain.size())) != 1) {
        EVP_CIPHER_CTX_free(ctx);
        throw std::runtime_error("encrypt failed");
    }
    total = len;
    if (EVP_EncryptFinal_ex(ctx, out.data() + ivLen + total, &len) != 1) {
        EVP_CIPHER_CTX_free(ctx);
        throw std::runtime_error("encrypt failed");
    }
    total += len;
    EVP_CIPHER_CTX_free(ctx);
    out.resize(ivLen + total);
    return out;
}
