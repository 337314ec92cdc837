#include <filesystem>
#include <iostream>
#include <string>
#include <system_error>

namespace fs = std::filesystem;

static const fs::path kUploadRoot = "/var/lib/docstore/uploads";

// Deletes an attachment that the user `user_id` uploaded earlier.
// `filename` comes from the DELETE /attachments/<filename> request.
// Returns true if a file was removed.
bool delete_attachment(const std::string& user_id, const std::string& filename)
{
    if (user_id.empty() || filename.empty()) {
        return false;
    }

    std::error_code ec;
    const fs::path user_dir = kUploadRoot / user_id;
    const fs::path target = user_dir / filename;

    if (!fs::is_regular_file(target, ec)) {
        std::cerr << "attachment not found: " << filename << "\n";
        return false;
    }

    const bool removed = fs::remove(target, ec);
    if (ec) {
        std::cerr << "failed to delete " << target << ": " << ec.message() << "\n";
        return false;
    }
    return removed;
}

int main(int argc, char* argv[])
{
    if (argc != 3) {
        std::cerr << "usage: " << argv[0] << " <user-id> <filename>\n";
        return 2;
    }
    if (delete_attachment(argv[1], argv[2])) {
        std::cout << "deleted " << argv[2] << "\n";
        return 0;
    }
    return 1;
}
