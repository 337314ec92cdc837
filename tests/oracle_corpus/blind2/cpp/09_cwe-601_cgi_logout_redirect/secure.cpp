#include <cctype>
#include <cstdlib>
#include <iostream>
#include <string>

static std::string url_decode(const std::string& in)
{
    std::string out;
    for (size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '+') {
            out.push_back(' ');
        } else if (c == '%' && i + 2 < in.size() &&
                   std::isxdigit(static_cast<unsigned char>(in[i + 1])) &&
                   std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
            out.push_back(static_cast<char>(std::strtol(in.substr(i + 1, 2).c_str(), nullptr, 16)));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

// Only same-site paths such as "/account" or "/search?q=x" are accepted.
static bool is_local_path(const std::string& target)
{
    if (target.empty() || target[0] != '/') {
        return false;
    }
    if (target.size() > 1 && (target[1] == '/' || target[1] == '\\')) {
        return false;
    }
    for (unsigned char c : target) {
        if (c < 0x20 || c == 0x7f) {
            return false;
        }
    }
    return true;
}

static std::string query_param(const std::string& qs, const std::string& key)
{
    const std::string prefix = key + "=";
    size_t start = 0;
    while (start < qs.size()) {
        size_t end = qs.find('&', start);
        if (end == std::string::npos) {
            end = qs.size();
        }
        if (qs.compare(start, prefix.size(), prefix) == 0) {
            return url_decode(qs.substr(start + prefix.size(), end - start - prefix.size()));
        }
        start = end + 1;
    }
    return "";
}

int main()
{
    const char* qs = std::getenv("QUERY_STRING");
    std::string next = query_param(qs ? qs : "", "next");
    if (!is_local_path(next)) {
        next = "/";
    }

    std::cout << "Status: 302 Found\r\n";
    std::cout << "Set-Cookie: sid=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax\r\n";
    std::cout << "Location: " << next << "\r\n";
    std::cout << "Cache-Control: no-store\r\n";
    std::cout << "Content-Type: text/plain\r\n\r\n";
    std::cout << "You have been logged out.\n";
    return 0;
}
