#include <openssl/rand.h>
#include <stdexcept>
#include <string>

std::string makeInviteCode()
{
    static const std::string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    std::string code;
    while (code.size() < 12) {
        unsigned char b;
        if (RAND_bytes(&b, 1) != 1)
            throw std::runtime_error("RAND_bytes failed");
        if (b < 256 - 256 % alphabet.size())
            code += alphabet[b % alphabet.size()];
    }
    return code;
}
