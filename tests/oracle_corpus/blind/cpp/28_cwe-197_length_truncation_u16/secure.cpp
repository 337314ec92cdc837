#include <cstdint>
#include <cstring>
#include <string>

constexpr std::size_t kPacketMax = 4096;

struct Packet {
    uint8_t bytes[kPacketMax];
    std::size_t used = 0;
};

bool encodeChat(Packet &pkt, const std::string &text)
{
    if (text.size() > kPacketMax - 2)
        return false;
    uint16_t len = static_cast<uint16_t>(text.size());
    pkt.bytes[0] = static_cast<uint8_t>(len >> 8);
    pkt.bytes[1] = static_cast<uint8_t>(len & 0xff);
    std::memcpy(pkt.bytes + 2, text.data(), text.size());
    pkt.used = 2 + text.size();
    return true;
}
