#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

class TokenCipher {
public:
    explicit TokenCipher(std::vector<unsigned char> key) : key_(std::move(key))
    {
        if (key_.size() != 32) {
            throw std::invalid_argument("AES-256 key must be 32 bytes");
        }
    }

    // Returns base64(IV || AES-256-CBC(plaintext)).
    std::string seal(const std::string& plaintext) const
    {
        unsigned char iv[16];
        if (RAND_bytes(iv, sizeof(iv)) != 1) {
            throw std::runtime_error("RAND_bytes failed");
        }

        std::vector<unsigned char> buf(sizeof(iv) + plaintext.size() + EVP_MAX_BLOCK_LENGTH);
        std::copy(iv, iv + sizeof(iv), buf.begin());

        EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
        int len = 0;
        int total = sizeof(iv);
        bool ok = ctx != nullptr &&
                  EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), nullptr, key_.data(), iv) == 1 &&
                  EVP_EncryptUpdate(ctx, buf.data() + total, &len,
                                    reinterpret_cast<const unsigned char*>(plaintext.data()),
                                    static_cast<int>(plaintext.size())) == 1;
        if (ok) {
            total += len;
            ok = EVP_EncryptFinal_ex(ctx, buf.data() + total, &len) == 1;
            total += len;
        }
        EVP_CIPHER_CTX_free(ctx);
        if (!ok) {
            throw std::runtime_error("encryption failed");
        }
        return base64_encode(buf.data(), static_cast<size_t>(total));
    }

    std::string open(const std::string& token) const
    {
        std::vector<unsigned char> raw = base64_decode(token);
        if (raw.size() < 32 || raw.size() % 16 != 0) {
            throw std::invalid_argument("malformed token");
        }
        std::string out(raw.size(), '\0');
        auto* dst = reinterpret_cast<unsigned char*>(&out[0]);

        EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
        int len = 0;
        int total = 0;
        bool ok = ctx != nullptr &&
                  EVP_DecryptInit_ex(ctx, EVP_aes_256_cbc(), nullptr, key_.data(), raw.data()) == 1 &&
                  EVP_DecryptUpdate(ctx, dst, &len, raw.data() + 16, static_cast<int>(raw.size() - 16)) == 1;
        if (ok) {
            total = len;
            ok = EVP_DecryptFinal_ex(ctx, dst + total, &len) == 1;
            total += len;
        }
        EVP_CIPHER_CTX_free(ctx);
        if (!ok) {
            throw std::runtime_error("decryption failed");
        }
        out.resize(static_cast<size_t>(total));
        return out;
    }

private:
    static std::string base64_encode(const unsigned char* data, size_t len)
    {
        std::string out(4 * ((len + 2) / 3), '\0');
        const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&out[0]), data, static_cast<int>(len));
        out.resize(static_cast<size_t>(n));
        return out;
    }

    static std::vector<unsigned char> base64_decode(const std::string& in)
    {
        if (in.empty() || in.size() % 4 != 0) {
            return {};
        }
        std::vector<unsigned char> out(3 * in.size() / 4);
        const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(in.data()),
                                      static_cast<int>(in.size()));
        if (n < 0) {
            return {};
        }
        size_t pad = 0;
        if (in[in.size() - 1] == '=') ++pad;
        if (in[in.size() - 2] == '=') ++pad;
        out.resize(static_cast<size_t>(n) - pad);
        return out;
    }

    std::vector<unsigned char> key_;
};

int main()
{
    std::vector<unsigned char> key(32);
    RAND_bytes(key.data(), static_cast<int>(key.size()));
    TokenCipher cipher(key);

    const std::string token = cipher.seal("uid=1042;role=editor;exp=1735689600");
    std::cout << "token: " << token << "\n";
    std::cout << "payload: " << cipher.open(token) << "\n";
    return 0;
}
