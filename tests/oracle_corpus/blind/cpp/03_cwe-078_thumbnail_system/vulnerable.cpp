#include <cstdlib>
#include <string>

bool makeThumbnail(const std::string &inputPath, const std::string &outputPath)
{
    std::string cmd = "convert '" + inputPath + "' -resize 256x256 '" + outputPath + "'";
    return std::system(cmd.c_str()) == 0;
}
