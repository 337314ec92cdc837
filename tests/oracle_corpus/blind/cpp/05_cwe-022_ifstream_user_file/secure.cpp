#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

std::optional<std::string> readSharedDocument(const std::string &name)
{
    const fs::path root = "/srv/shared/documents";
    const fs::path canonicalRoot = fs::weakly_canonical(root);
    fs::path target = fs::weakly_canonical(root / name);
    auto rel = target.lexically_relative(canonicalRoot);
    if (rel.empty() || *rel.begin() == "..")
        return std::nullopt;

    std::ifstream in(target, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
