#include <array>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <ctime>
#include <random>

std::string make_reset_token()
{
    std::array<unsigned char, 16> bytes{};
    std::mt19937 gen(static_cast<unsigned>(std::time(nullptr)));
    std::uniform_int_distribution<int> dist(0, 255);
    for (auto &b : bytes)
        b = static_cast<unsigned char>(dist(gen));
    std::string token;
    char hex[3];
    for (unsigned char b : bytes) {
        std::snprintf(hex, sizeof hex, "%02x", b);
        token += hex;
    }
    return token;
}
