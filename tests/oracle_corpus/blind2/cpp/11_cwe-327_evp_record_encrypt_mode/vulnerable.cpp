#include <openssl/evp.h>
#include <openssl/rand.h>

#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

using Bytes = std::vector<unsigned char>;

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
Bytes encrypt_record(const Bytes& key, const std::string& plaintext)
{
    if (key.size() != 32) {
        throw std::invalid_argument("key must be 32 bytes");
    }
    CipherCtx c;
    if (c.ctx == nullptr) {
        throw std::runtime_error("EVP_CIPHER_CTX_new failed");
    }

    Bytes out(plaintext.size() + EVP_MAX_BLOCK_LENGTH);
    int len = 0;
    check(EVP_EncryptInit_ex(c.ctx, EVP_aes_256_ecb(), nullptr, key.data(), nullptr), "init");
    check(EVP_EncryptUpdate(c.ctx, out.data(), &len,
                            reinterpret_cast<const unsigned char*>(plaintext.data()),
                            static_cast<int>(plaintext.size())), "update");
    size_t total = static_cast<size_t>(len);
    check(EVP_EncryptFinal_ex(c.ctx, out.data() + total, &len), "final");
    total += static_cast<size_t>(len);
    out.resize(total);
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

    std::string out(blob.size() + EVP_MAX_BLOCK_LENGTH, '\0');
    auto* dst = reinterpret_cast<unsigned char*>(&out[0]);
    int len = 0;
    check(EVP_DecryptInit_ex(c.ctx, EVP_aes_256_ecb(), nullptr, key.data(), nullptr), "init");
    check(EVP_DecryptUpdate(c.ctx, dst, &len, blob.data(), static_cast<int>(blob.size())), "update");
    size_t total = static_cast<size_t>(len);
    check(EVP_DecryptFinal_ex(c.ctx, dst + total, &len), "final");
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
