#include <array>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdexcept>
#include <string>
#include <vector>

class TelemetrySealer {
public:
    explicit TelemetrySealer(const std::array<unsigned char, 32> &key) : key_(key) {}

    std::vector<unsigned char> seal(const std::string &msg) {
        unsigned char nonce[12];
        if (RAND_bytes(nonce, sizeof(nonce)) != 1)
            throw std::runtime_error("RAND_bytes failed");
        std::vector<unsigned char> out(nonce, nonce + 12);
        out.resize(12 + msg.size() + 16);

        EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
        int len = 0;
        bool ok = ctx &&
            EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key_.data(), nonce) == 1 &&
            EVP_EncryptUpdate(ctx, out.data() + 12, &len,
                              reinterpret_cast<const unsigned char *>(msg.data()),
                              static_cast<int>(msg.size())) == 1 &&
            EVP_EncryptFinal_ex(ctx, out.data() + 12 + len, &len) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, out.data() + 12 + msg.size()) == 1;
        EVP_CIPHER_CTX_free(ctx);
        if (!ok)
            throw std::runtime_error("seal failed");
        return out;
    }

private:
    std::array<unsigned char, 32> key_;
};
