#include <cstdio>
#include <sstream>
#include <string>

std::string profile_json(const std::string &name, const std::string &bio, int age)
{
    std::ostringstream out;
    out << "{\"name\":\"" << name << "\",\"bio\":\"" << bio << "\",\"age\":" << age << "}";
    return out.str();
}
