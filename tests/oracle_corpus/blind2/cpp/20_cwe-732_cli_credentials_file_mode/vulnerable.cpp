#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>

namespace fs = std::filesystem;

static fs::path credentials_path()
{
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0') {
        return fs::path(xdg) / "acmecli" / "credentials";
    }
    const char* home = std::getenv("HOME");
    if (home == nullptr || *home == '\0') {
        throw std::runtime_error("HOME is not set");
    }
    return fs::path(home) / ".config" / "acmecli" / "credentials";
}

void save_credentials(const std::string& api_key, const std::string& api_secret)
{
    const fs::path path = credentials_path();
    fs::create_directories(path.parent_path());

    const std::string content = "[default]\napi_key = " + api_key + "\napi_secret = " + api_secret + "\n";

    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd == -1) {
        throw std::runtime_error("cannot open " + path.string() + ": " + std::strerror(errno));
    }

    size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n == -1) {
            if (errno == EINTR) {
                continue;
            }
            const int err = errno;
            ::close(fd);
            throw std::runtime_error("write failed: " + std::string(std::strerror(err)));
        }
        written += static_cast<size_t>(n);
    }
    if (::close(fd) == -1) {
        throw std::runtime_error("close failed: " + std::string(std::strerror(errno)));
    }
}

int main(int argc, char* argv[])
{
    if (argc != 3) {
        std::cerr << "usage: " << argv[0] << " <api-key> <api-secret>\n";
        return 2;
    }
    try {
        save_credentials(argv[1], argv[2]);
        std::cout << "credentials saved to " << credentials_path() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
