#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

// Seals the session state that the web front-end stores in the client-side
// "sess" cookie. The result is nonce || ciphertext || tag, and is
// base64url-encoded by the caller.
class CookieSealer {
public:
    static constexpr std::size_t kKeyLen = 32;
    static constexpr std::size_t kNonceLen = 12;
    static constexpr std::size_t kTagLen = 16;

    explicit CookieSealer(const std::uint8_t (&key)[kKeyLen]) { std::memcpy(key_, key, kKeyLen); }
    ~CookieSealer() { OPENSSL_cleanse(key_, sizeof key_); }

    std::vector<std::uint8_t> seal(const std::string &session_json) const
    {
        std::vector<std::uint8_t> out;
        EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
        if (!ctx)
            return out;

        std::uint8_t nonce[kNonceLen];
        if (RAND_bytes(nonce, sizeof nonce) != 1) {
            EVP_CIPHER_CTX_free(ctx);
            return out;
        }

        std::vector<std::uint8_t> buf(kNonceLen + session_json.size() + kTagLen);
        std::memcpy(buf.data(), nonce, kNonceLen);
        int len = 0, ct_len = 0;
        bool ok =
            EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, kNonceLen, nullptr) == 1 &&
            EVP_EncryptInit_ex(ctx, nullptr, nullptr, key_, nonce) == 1 &&
            EVP_EncryptUpdate(ctx, buf.data() + kNonceLen, &len,
                              reinterpret_cast<const std::uint8_t *>(session_json.data()),
                              static_cast<int>(session_json.size())) == 1;
        if (ok) {
            ct_len = len;
            ok = EVP_EncryptFinal_ex(ctx, buf.data() + kNonceLen + ct_len, &len) == 1;
            ct_len += len;
        }
        if (ok)
            ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kTagLen,
                                     buf.data() + kNonceLen + ct_len) == 1;
        EVP_CIPHER_CTX_free(ctx);

        if (ok) {
            buf.resize(kNonceLen + ct_len + kTagLen);
            out.swap(buf);
        }
        return out;
    }

private:
    std::uint8_t key_[kKeyLen];
};
