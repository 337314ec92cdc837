#include <cstdint>
#include <cstring>
#include <memory>

struct Texture {
    uint32_t width;
    uint32_t height;
    std::unique_ptr<uint8_t[]> pixels;
};

bool allocTexture(Texture &tex, uint32_t width, uint32_t height, const uint8_t *src)
{
    uint64_t bytes = static_cast<uint64_t>(width) * height * 4;
    if (width == 0 || height == 0 || bytes > (256ull << 20))
        return false;
    tex.width = width;
    tex.height = height;
    tex.pixels.reset(new uint8_t[bytes]);
    for (uint32_t y = 0; y < height; ++y)
        std::memcpy(tex.pixels.get() + static_cast<std::size_t>(y) * width * 4,
                    src + static_cast<std::size_t>(y) * width * 4, static_cast<std::size_t>(width) * 4);
    return true;
}
