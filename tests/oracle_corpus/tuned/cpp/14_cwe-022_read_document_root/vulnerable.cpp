#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace fs = std::filesystem;

std::string read_document(const std::string &name)
{
    const fs::path root = "/srv/app/docs";
    fs::path full = root / name;
    std::ifstream in(full, std::ios::binary);
    if (!in)
        throw std::runtime_error("no such document");
    std::ostringstream data;
    data << in.rdbuf();
    return data.str();
}
