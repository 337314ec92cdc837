#include <array>
#include <stdexcept>
#include <string>
#include <vector>
#include <openssl/evp.h>
#include <openssl/rand.h>

class MessageSealer {
public:
    explicit MessageSealer(const std::array<unsigned char, 32> &key) : key_(key)
    {
    }

    std::vector<unsigned char> seal(const std::string &plain)
    {
        std::array<unsigned char, 12> nonce;
        if (RAND_bytes(nonce.data(), static_cast<int>(nonce.size())) != 1)
            throw std::runtime_error("RAND_bytes failed");
        std::vector<unsigned char> out(nonce.size() + plain.size() + 16);
        std::copy(nonce.begin(), nonce.end(), out.begin());
        EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
        int len = 0, total = 0;
        if (ctx == nullptr || EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key_.data(), nonce.data()) != 1 ||
            EVP_EncryptUpdate(ctx, out.data() + nonce.size(), &len,
                              reinterpret_cast<const unsigned char *>(plain.data()),
                              static_cast<int>(plain.size())) != 1) {
            EVP_CIPHER_CTX_free(ctx);
            throw std::runtime_error("encryption failed");
        }
        total = len;
        EVP_EncryptFinal_ex(ctx, out.data() + nonce.size() + total, &len);
        total += len;
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, out.data() + nonce.size() + total);
        EVP_CIPHER_CTX_free(ctx);
        out.resize(nonce.size() + total + 16);
        return out;
    }

private:
    std::array<unsigned char, 32> key_;
};
