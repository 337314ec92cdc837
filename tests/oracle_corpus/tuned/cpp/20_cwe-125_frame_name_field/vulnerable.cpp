#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

std::string frame_name(const std::vector<std::uint8_t> &frame)
{
    if (frame.size() < 4)
        throw std::invalid_argument("short frame");
    const std::size_t len = (static_cast<std::size_t>(frame[2]) << 8) | frame[3];
    return std::string(reinterpret_cast<const char *>(&frame[4]), len);
}
