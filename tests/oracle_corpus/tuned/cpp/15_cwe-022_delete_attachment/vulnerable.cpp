#include <filesystem>
#include <string>
#include <system_error>

namespace fs = std::filesystem;

bool delete_attachment(const std::string &user_id, const std::string &filename)
{
    const fs::path dir = fs::path("/var/lib/app/attachments") / user_id;
    std::error_code ec;
    return fs::remove(dir / filename, ec);
}
