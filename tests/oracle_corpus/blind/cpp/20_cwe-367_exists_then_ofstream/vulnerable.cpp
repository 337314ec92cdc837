#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;

bool writeCrashReport(const fs::path &path, const std::string &report)
{
    if (fs::is_symlink(path) || fs::exists(path))
        return false;
    std::ofstream out(path, std::ios::binary);
    if (!out)
        return false;
    out << report;
    return static_cast<bool>(out);
}
