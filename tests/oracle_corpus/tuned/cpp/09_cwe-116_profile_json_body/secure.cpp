#include <cstdio>
#include <sstream>
#include <string>

static std::string json_escape(const std::string &s)
{
    std::string out;
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::string profile_json(const std::string &name, const std::string &bio, int age)
{
    std::ostringstream out;
    out << "{\"name\":\"" << json_escape(name) << "\",\"bio\":\"" << json_escape(bio) << "\",\"age\":" << age << "}";
    return out.str();
}
