#include <iomanip>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sstream>
#include <stdexcept>
#include <string>

static std::string toHex(const unsigned char *data, std::size_t len)
{
    std::ostringstream ss;
    for (std::size_t i = 0; i < len; ++i)
        ss << std::hex << std::setw(2) << std::setfill('0') << static_cast<int>(data[i]);
    return ss.str();
}

std::string passwordRecord(const std::string &password)
{
    unsigned char salt[16];
    unsigned char digest[32];
    if (RAND_bytes(salt, sizeof(salt)) != 1)
        throw std::runtime_error("RAND_bytes failed");
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt, sizeof(salt),
                          310000, EVP_sha256(), sizeof(digest), digest) != 1)
        throw std::runtime_error("PBKDF2 failed");
    return toHex(salt, sizeof(salt)) + "$" + toHex(digest, sizeof(digest));
}
