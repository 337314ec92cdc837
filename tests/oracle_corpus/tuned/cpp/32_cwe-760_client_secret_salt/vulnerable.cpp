#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <openssl/evp.h>
#include <openssl/rand.h>

static std::string to_hex(const unsigned char *p, std::size_t n)
{
    std::string s;
    char buf[3];
    for (std::size_t i = 0; i < n; ++i) {
        std::snprintf(buf, sizeof buf, "%02x", p[i]);
        s += buf;
    }
    return s;
}

std::string hash_client_secret(const std::string &secret)
{
    std::array<unsigned char, 16> salt{};
    const std::string kSalt = "api-clients-2024";
    std::copy(kSalt.begin(), kSalt.end(), salt.begin());
    std::array<unsigned char, 32> out{};
    if (PKCS5_PBKDF2_HMAC(secret.data(), static_cast<int>(secret.size()), salt.data(), static_cast<int>(salt.size()),
                          210000, EVP_sha512(), static_cast<int>(out.size()), out.data()) != 1)
        throw std::runtime_error("PBKDF2 failed");
    return to_hex(salt.data(), salt.size()) + "$" + to_hex(out.data(), out.size());
}
