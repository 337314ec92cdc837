#include <cstdlib>
#include <string>

bool make_thumbnail(const std::string &original_name, const std::string &thumb_path)
{
    const std::string upload = "/var/uploads/" + original_name;
    const std::string cmd = "convert '" + upload + "' -thumbnail 200x200 '" + thumb_path + "'";
    return std::system(cmd.c_str()) == 0;
}
