#include <cstdint>
#include <cstring>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

class GrayImage {
public:
    GrayImage(int width, int height)
        : width_(width), height_(height), pixels_(new uint8_t[static_cast<size_t>(width) * height])
    {
        std::memset(pixels_, 0, size());
    }

    GrayImage(const GrayImage& other)
        : width_(other.width_), height_(other.height_), pixels_(new uint8_t[other.size()])
    {
        std::memcpy(pixels_, other.pixels_, size());
    }

    GrayImage& operator=(const GrayImage& other)
    {
        if (this != &other) {
            uint8_t* copy = new uint8_t[other.size()];
            std::memcpy(copy, other.pixels_, other.size());
            delete[] pixels_;
            pixels_ = copy;
            width_ = other.width_;
            height_ = other.height_;
        }
        return *this;
    }

    ~GrayImage()
    {
        delete[] pixels_;
    }

    int width() const { return width_; }
    int height() const { return height_; }
    size_t size() const { return static_cast<size_t>(width_) * height_; }
    uint8_t* data() { return pixels_; }
    const uint8_t* data() const { return pixels_; }

private:
    int width_;
    int height_;
    uint8_t* pixels_;
};

// Loads a binary (P5) PGM file with maxval 255.
GrayImage load_pgm(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::string magic;
    int w = 0, h = 0, maxval = 0;
    if (!(in >> magic >> w >> h >> maxval) || magic != "P5" || maxval != 255 ||
        w <= 0 || h <= 0 || w > 16384 || h > 16384) {
        throw std::runtime_error(path + ": not a supported PGM file");
    }
    in.get();  // single whitespace after the header

    GrayImage img(w, h);
    if (!in.read(reinterpret_cast<char*>(img.data()), static_cast<std::streamsize>(img.size()))) {
        throw std::runtime_error(path + ": truncated pixel data");
    }
    return img;
}

int main(int argc, char* argv[])
{
    if (argc < 2) {
        std::cerr << "usage: " << argv[0] << " frame.pgm...\n";
        return 2;
    }
    try {
        std::vector<GrayImage> frames;
        for (int i = 1; i < argc; ++i) {
            frames.push_back(load_pgm(argv[i]));
        }

        const GrayImage& first = frames.front();
        std::vector<uint32_t> sum(first.size(), 0);
        for (const GrayImage& f : frames) {
            if (f.size() != first.size()) {
                throw std::runtime_error("frames differ in size");
            }
            for (size_t p = 0; p < f.size(); ++p) {
                sum[p] += f.data()[p];
            }
        }
        GrayImage avg(first.width(), first.height());
        for (size_t p = 0; p < avg.size(); ++p) {
            avg.data()[p] = static_cast<uint8_t>(sum[p] / frames.size());
        }

        std::ofstream out("average.pgm", std::ios::binary);
        out << "P5\n" << avg.width() << " " << avg.height() << "\n255\n";
        out.write(reinterpret_cast<const char*>(avg.data()), static_cast<std::streamsize>(avg.size()));
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}
