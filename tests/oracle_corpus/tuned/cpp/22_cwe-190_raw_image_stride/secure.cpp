#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <vector>

std::vector<std::uint8_t> decode_raw(const std::uint8_t *data, std::size_t data_len, std::uint32_t width,
                                     std::uint32_t height)
{
    if (width == 0 || height == 0 || width > 16384 || height > 16384)
        throw std::invalid_argument("bad image dimensions");
    const std::uint32_t stride = width * 4;
    const std::uint32_t total = stride * height;
    if (data_len < total)
        throw std::invalid_argument("truncated image");
    std::vector<std::uint8_t> px(total);
    for (std::uint32_t y = 0; y < height; ++y)
        std::memcpy(px.data() + static_cast<std::size_t>(y) * stride, data + static_cast<std::size_t>(y) * stride,
                    stride);
    return px;
}
