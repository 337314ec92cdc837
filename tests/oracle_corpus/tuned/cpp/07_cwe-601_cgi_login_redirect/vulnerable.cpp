#include <cstdlib>
#include <iostream>
#include <string>

// Value of key in an application/x-www-form-urlencoded query string, percent-decoded.
static std::string query_param(const char *qs, const std::string &key)
{
    std::string query = qs ? qs : "";
    std::size_t pos = 0;
    while (pos <= query.size()) {
        std::size_t amp = query.find('&', pos);
        std::string pair = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
        std::size_t eq = pair.find('=');
        if (eq != std::string::npos && pair.compare(0, eq, key) == 0 && eq == key.size()) {
            std::string out;
            for (std::size_t i = eq + 1; i < pair.size(); ++i) {
                if (pair[i] == '+') {
                    out += ' ';
                } else if (pair[i] == '%' && i + 2 < pair.size()) {
                    out += static_cast<char>(std::stoi(pair.substr(i + 1, 2), nullptr, 16));
                    i += 2;
                } else {
                    out += pair[i];
                }
            }
            return out;
        }
        if (amp == std::string::npos)
            break;
        pos = amp + 1;
    }
    return "";
}

void redirect_after_login(const std::string &next)
{
    std::string target = next.empty() ? "/dashboard" : next;
    std::cout << "Status: 302 Found\r\n";
    std::cout << "Location: " << target << "\r\n\r\n";
}

int main()
{
    redirect_after_login(query_param(std::getenv("QUERY_STRING"), "next"));
    return 0;
}
