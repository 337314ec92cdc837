#include <openssl/evp.h>
#include <openssl/rand.h>

#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

using Bytes = std::vector<unsigned char>;

constexpr size_t kNonceLen = 12;
constexpr size_t kTagLen = 16;

namespace {

struct CipherCtx {
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    ~CipherCtx() { EVP_CIPHER_CTX_free(ctx); }
};

void check(int ok, const char* what)
{
    if (ok != 1) {
        throw std::runtime_error(what);
    }
}

}  // namespace

// Encrypts a serialized customer record with the 32-byte data key.
// Output layout: nonce (12) || ciphertext || tag (16).
Bytes encrypt_record(const Bytes& key, const std::string& plaintext)
{
    if (key.size() != 32) {
        throw std::invalid_argument("key must be 32 bytes");
    }
    CipherCtx c;
    if (c.ctx == nullptr) {
        throw std::runtime_error("EVP_CIPHER_CTX_new failed");
    }

    Bytes out(kNonceLen + plaintext.size() + kTagLen);
    check(RAND_bytes(out.data(), static_cast<int>(kNonceLen)), "nonce");
    int len = 0;
    check(EVP_EncryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, key.data(), out.data()), "init");
    check(EVP_EncryptUpdate(c.ctx, out.data() + kNonceLen, &len,
                            reinterpret_cast<const unsigned char*>(plaintext.data()),
                            static_cast<int>(plaintext.size())), "update");
    size_t total = kNonceLen + static_cast<size_t>(len);
    check(EVP_EncryptFinal_ex(c.ctx, out.data() + total, &len), "final");
    total += static_cast<size_t>(len);
    check(EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagLen), out.data() + total), "tag");
    out.resize(total + kTagLen);
    return out;
}

std::string decrypt_record(const Bytes& key, const Bytes& blob)
{
    if (key.size() != 32) {
        throw std::invalid_argument("key must be 32 bytes");
    }
    CipherCtx c;
    if (c.ctx == nullptr) {
        throw std::runtime_error("EVP_CIPHER_CTX_new failed");
    }

    if (blob.size() < kNonceLen + kTagLen) {
        throw std::invalid_argument("ciphertext too short");
    }
    const size_t ct_len = blob.size() - kNonceLen - kTagLen;
    Bytes tag(blob.end() - kTagLen, blob.end());

    std::string out(ct_len + EVP_MAX_BLOCK_LENGTH, '\0');
    auto* dst = reinterpret_cast<unsigned char*>(&out[0]);
    int len = 0;
    check(EVP_DecryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, key.data(), blob.data()), "init");
    check(EVP_DecryptUpdate(c.ctx, dst, &len, blob.data() + kNonceLen, static_cast<int>(ct_len)), "update");
    size_t total = static_cast<size_t>(len);
    check(EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagLen), tag.data()), "tag");
    check(EVP_DecryptFinal_ex(c.ctx, dst + total, &len), "authentication failed");
    total += static_cast<size_t>(len);
    out.resize(total);
    return out;
}

int main()
{
    Bytes key(32);
    if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) {
        std::cerr << "RAND_bytes failed\n";
        return 1;
    }
    const std::string record = R"({"id":1042,"name":"Ada Lovelace","iban":"GB29NWBK60161331926819"})";
    const Bytes blob = encrypt_record(key, record);
    std::cout << "ciphertext bytes: " << blob.size() << "\n";
    std::cout << "roundtrip ok: " << std::boolalpha << (decrypt_record(key, blob) == record) << "\n";
    return 0;
}
