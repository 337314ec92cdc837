#include <cstdio>
#include <functional>
#include <string>

bool withRenderedReport(const std::string &content, const std::function<void(const std::string &)> &use)
{
    char name[L_tmpnam];
    if (std::tmpnam(name) == nullptr)
        return false;
    std::FILE *fp = std::fopen(name, "w");
    if (fp == nullptr)
        return false;
    std::fwrite(content.data(), 1, content.size(), fp);
    std::fclose(fp);
    use(name);
    std::remove(name);
    return true;
}
