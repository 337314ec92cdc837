#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace auth {

static std::string to_hex(const unsigned char *data, std::size_t len)
{
    static const char digits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(len * 2);
    for (std::size_t i = 0; i < len; ++i) {
        hex.push_back(digits[data[i] >> 4]);
        hex.push_back(digits[data[i] & 0x0f]);
    }
    return hex;
}

static std::vector<unsigned char> from_hex(const std::string &hex)
{
    std::vector<unsigned char> out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        unsigned int byte = 0;
        if (std::sscanf(hex.c_str() + i, "%2x", &byte) != 1)
            throw std::invalid_argument("bad hex");
        out.push_back(static_cast<unsigned char>(byte));
    }
    return out;
}

static void derive(const std::string &password, const unsigned char *salt, std::size_t salt_len,
                   unsigned char out[32])
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned int out_len = 0;
    bool ok = md && EVP_DigestInit_ex(md, EVP_sha256(), nullptr) == 1 &&
              EVP_DigestUpdate(md, salt, salt_len) == 1 &&
              EVP_DigestUpdate(md, password.data(), password.size()) == 1 &&
              EVP_DigestFinal_ex(md, out, &out_len) == 1;
    EVP_MD_CTX_free(md);
    if (!ok)
        throw std::runtime_error("password hashing failed");
}

// Hashes a new user's password for the users.password_hash column.
// Format: hex(salt) '$' hex(hash)
std::string hash_password(const std::string &password)
{
    unsigned char salt[16];
    if (RAND_bytes(salt, sizeof salt) != 1)
        throw std::runtime_error("RAND_bytes failed");

    unsigned char hash[32];
    derive(password, salt, sizeof salt, hash);
    return to_hex(salt, sizeof salt) + "$" + to_hex(hash, sizeof hash);
}

// Checks a login attempt against a value produced by hash_password().
bool verify_password(const std::string &password, const std::string &stored)
{
    auto sep = stored.find('$');
    if (sep == std::string::npos)
        return false;
    std::vector<unsigned char> salt = from_hex(stored.substr(0, sep));
    std::vector<unsigned char> expected = from_hex(stored.substr(sep + 1));
    if (expected.size() != 32)
        return false;

    unsigned char hash[32];
    derive(password, salt.data(), salt.size(), hash);
    return CRYPTO_memcmp(hash, expected.data(), sizeof hash) == 0;
}

} // namespace auth
