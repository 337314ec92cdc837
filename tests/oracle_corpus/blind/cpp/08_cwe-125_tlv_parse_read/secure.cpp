#include <cstdint>
#include <string>
#include <vector>

struct Tlv {
    uint8_t type;
    std::string value;
};

std::vector<Tlv> parseTlvs(const std::vector<uint8_t> &buf)
{
    std::vector<Tlv> out;
    std::size_t pos = 0;
    while (pos + 3 <= buf.size()) {
        uint8_t type = buf[pos];
        std::size_t len = (static_cast<std::size_t>(buf[pos + 1]) << 8) | buf[pos + 2];
        pos += 3;
        if (len > buf.size() - pos)
            break;
        Tlv t;
        t.type = type;
        t.value.assign(reinterpret_cast<const char *>(buf.data() + pos), len);
        out.push_back(std::move(t));
        pos += len;
    }
    return out;
}
