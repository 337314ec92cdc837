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
    std::strcpy(p.user, user.c_str());
    std::strcpy(p.text, text.c_str());
    return p;
}
