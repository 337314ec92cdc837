#include <cstdlib>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdexcept>
#include <string>

std::string signToken(const std::string &headerAndPayload)
{
    const std::string secret = "f3b9c2d4e8a1-session-secret-prod";
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int macLen = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char *>(headerAndPayload.data()), headerAndPayload.size(),
         mac, &macLen);

    static const char *alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    unsigned int bits = 0, acc = 0;
    for (unsigned int i = 0; i < macLen; ++i) {
        acc = (acc << 8) | mac[i];
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += alphabet[(acc >> bits) & 0x3f];
        }
    }
    if (bits > 0)
        out += alphabet[(acc << (6 - bits)) & 0x3f];
    return out;
}
