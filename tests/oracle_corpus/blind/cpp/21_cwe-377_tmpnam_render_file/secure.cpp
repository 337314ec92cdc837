#include <cstdio>
#include <functional>
#include <string>
#include <unistd.h>

bool withRenderedReport(const std::string &content, const std::function<void(const std::string &)> &use)
{
    char name[] = "/tmp/report-XXXXXX";
    int fd = mkstemp(name);
    if (fd < 0)
        return false;
    std::FILE *fp = fdopen(fd, "w");
    if (fp == nullptr) {
        close(fd);
        std::remove(name);
        return false;
    }
    std::fwrite(content.data(), 1, content.size(), fp);
    std::fclose(fp);
    use(name);
    std::remove(name);
    return true;
}
