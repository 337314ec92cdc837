#include <filesystem>
#include <fcntl.h>
#include <unistd.h>
#include <string>

namespace fs = std::filesystem;

bool writeCrashReport(const fs::path &path, const std::string &report)
{
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
    if (fd < 0)
        return false;
    ssize_t n = ::write(fd, report.data(), report.size());
    ::close(fd);
    return n == static_cast<ssize_t>(report.size());
}
