#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace fs = std::filesystem;

fs::path data_dir()
{
    if (const char *xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0')
        return fs::path(xdg) / "app";
    const std::string home = std::getenv("HOME");
    return fs::path(home) / ".local" / "share" / "app";
}
