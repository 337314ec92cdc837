#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;

// Plugin bundles uploaded to the server use a simple container format:
//   "PLGB" magic, then for every entry:
//     u16 name length, name bytes (relative path inside the bundle),
//     u32 data length, data bytes
// All integers are little-endian.

static std::uint32_t read_le(std::istream &in, int bytes)
{
    std::uint32_t v = 0;
    for (int i = 0; i < bytes; ++i) {
        int c = in.get();
        if (c == EOF)
            throw std::runtime_error("truncated bundle");
        v |= static_cast<std::uint32_t>(c) << (8 * i);
    }
    return v;
}

static constexpr std::uint32_t kMaxEntrySize = 64u * 1024 * 1024;

// Unpacks every entry of the bundle into dest_dir and returns the number of
// files written.
std::size_t extract_bundle(const fs::path &bundle_file, const fs::path &dest_dir)
{
    std::ifstream in(bundle_file, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot open " + bundle_file.string());

    char magic[4];
    if (!in.read(magic, sizeof magic) || std::string(magic, 4) != "PLGB")
        throw std::runtime_error("not a plugin bundle");

    fs::create_directories(dest_dir);

    std::size_t written = 0;
    while (in.peek() != EOF) {
        std::uint16_t name_len = static_cast<std::uint16_t>(read_le(in, 2));
        std::string name(name_len, '\0');
        if (!in.read(name.data(), name_len))
            throw std::runtime_error("truncated entry name");

        std::uint32_t data_len = read_le(in, 4);
        if (data_len > kMaxEntrySize)
            throw std::runtime_error("entry too large: " + name);
        std::vector<char> data(data_len);
        if (!in.read(data.data(), data_len))
            throw std::runtime_error("truncated entry data: " + name);

        fs::path target = dest_dir / name;

        fs::create_directories(target.parent_path());
        std::ofstream out(target, std::ios::binary | std::ios::trunc);
        if (!out.write(data.data(), data.size()))
            throw std::runtime_error("cannot write " + target.string());
        ++written;
    }
    return written;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::cerr << "usage: " << argv[0] << " <bundle.plgb> <plugin-dir>\n";
        return 2;
    }
    try {
        std::size_t n = extract_bundle(argv[1], argv[2]);
        std::cout << "extracted " << n << " file(s)\n";
    } catch (const std::exception &e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
