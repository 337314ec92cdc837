#include <algorithm>
#include <cctype>
#include <string>

const char *lowerExtension(const std::string &path)
{
    std::string ext;
    auto dot = path.find_last_of('.');
    if (dot != std::string::npos && path.find('/', dot) == std::string::npos)
        ext = path.substr(dot + 1);
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext.c_str();
}
