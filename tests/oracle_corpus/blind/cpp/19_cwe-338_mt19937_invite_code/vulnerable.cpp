#include <chrono>
#include <random>
#include <string>

std::string makeInviteCode()
{
    static const std::string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    std::mt19937 gen(static_cast<unsigned>(
        std::chrono::system_clock::now().time_since_epoch().count()));
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    std::string code;
    for (int i = 0; i < 12; ++i)
        code += alphabet[pick(gen)];
    return code;
}
