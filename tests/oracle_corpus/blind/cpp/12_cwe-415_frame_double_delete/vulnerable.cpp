#include <cstddef>
#include <cstdint>

bool decodeInto(const uint8_t *data, std::size_t len, uint8_t *out, std::size_t outLen);

class Frame {
public:
    Frame(std::size_t width, std::size_t height)
        : size_(width * height * 3), pixels_(new uint8_t[width * height * 3]) {}
    ~Frame() { delete[] pixels_; }
    Frame(const Frame &) = delete;
    Frame &operator=(const Frame &) = delete;

    bool decode(const uint8_t *data, std::size_t len) {
        if (!decodeInto(data, len, pixels_, size_)) {
            delete[] pixels_;
            return false;
        }
        return true;
    }

private:
    std::size_t size_;
    uint8_t *pixels_;
};
