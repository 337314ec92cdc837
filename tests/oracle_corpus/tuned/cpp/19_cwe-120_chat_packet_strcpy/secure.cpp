#include <algorithm>
#include <cstring>
#include <string>

struct Packet {
    char user[16];
    char text[240];
};

Packet make_packet(const std::string &user, const std::string &text)
{
    Packet p{};
    const std::size_t ulen = std::min(user.size(), sizeof(p.user) - 1);
    std::memcpy(p.user, user.data(), ulen);
    const std::size_t tlen = std::min(text.size(), sizeof(p.text) - 1);
    std::memcpy(p.text, text.data(), tlen);
    return p;
}
