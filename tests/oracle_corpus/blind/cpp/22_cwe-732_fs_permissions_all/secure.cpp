#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;

bool storeRefreshToken(const fs::path &file, const std::string &token)
{
    {
        std::ofstream out(file, std::ios::trunc);
        if (!out)
            return false;
        out << token << '\n';
    }
    std::error_code ec;
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write,
                    fs::perm_options::replace, ec);
    return !ec;
}
