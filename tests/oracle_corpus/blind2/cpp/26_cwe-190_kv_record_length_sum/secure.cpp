#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

using KeyValue = std::pair<std::string, std::string>;

static uint32_t read_u32le(const uint8_t* p)
{
    return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
           (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}

// Parses every record in `data`. Returns false on a truncated or malformed message.
bool parse_records(const std::vector<uint8_t>& data, std::vector<KeyValue>& out)
{
    const size_t size = data.size();
    size_t off = 0;
    while (off < size) {
        if (size - off < 8) {
            return false;
        }
        const uint32_t key_len = read_u32le(&data[off]);
        const uint32_t val_len = read_u32le(&data[off + 4]);
        const uint64_t record_len = 8ULL + key_len + val_len;
        if (record_len > size - off) {
            return false;
        }

        const char* base = reinterpret_cast<const char*>(data.data() + off + 8);
        out.emplace_back(std::string(base, key_len), std::string(base + key_len, val_len));
        off += record_len;
    }
    return true;
}

int main(int argc, char* argv[])
{
    if (argc != 2) {
        std::cerr << "usage: " << argv[0] << " <message.bin>\n";
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    const std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

    std::vector<KeyValue> records;
    if (!parse_records(data, records)) {
        std::cerr << "malformed message\n";
        return 1;
    }
    for (const auto& kv : records) {
        std::cout << kv.first << " = " << kv.second << "\n";
    }
    return 0;
}
