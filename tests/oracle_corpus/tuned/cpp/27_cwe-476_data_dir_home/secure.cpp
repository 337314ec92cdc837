#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace fs = std::filesystem;

fs::path data_dir()
{
    if (const char *xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0')
        return fs::path(xdg) / "app";
    const char *home_env = std::getenv("HOME");
    if (home_env == nullptr)
        throw std::runtime_error("HOME is not set");
    const std::string home = home_env;
    return fs::path(home) / ".local" / "share" / "app";
}
