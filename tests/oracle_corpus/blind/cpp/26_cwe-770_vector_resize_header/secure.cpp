#include <cstdint>
#include <istream>
#include <optional>
#include <vector>

constexpr uint32_t kMaxChunk = 16u * 1024 * 1024;

std::optional<std::vector<char>> readChunk(std::istream &in)
{
    unsigned char hdr[4];
    if (!in.read(reinterpret_cast<char *>(hdr), sizeof(hdr)))
        return std::nullopt;
    uint32_t size = hdr[0] | (hdr[1] << 8) | (hdr[2] << 16) | (static_cast<uint32_t>(hdr[3]) << 24);
    if (size > kMaxChunk)
        return std::nullopt;
    std::vector<char> payload;
    payload.resize(size);
    if (!in.read(payload.data(), size))
        return std::nullopt;
    return payload;
}
