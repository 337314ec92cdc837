#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

std::optional<std::string> readSharedDocument(const std::string &name)
{
    const fs::path root = "/srv/shared/documents";
    fs::path target = root / name;

    std::ifstream in(target, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
