#include <filesystem>

namespace fs = std::filesystem;

void prepare_key_dir(const fs::path &dir)
{
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::all, fs::perm_options::replace);
}
