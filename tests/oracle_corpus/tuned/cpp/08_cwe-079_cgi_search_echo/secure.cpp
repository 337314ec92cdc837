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

static std::string html_escape(const std::string &s)
{
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

int main()
{
    std::string q = query_param(std::getenv("QUERY_STRING"), "q");
    std::cout << "Content-Type: text/html; charset=utf-8\r\n\r\n";
    std::cout << "<html><body><h1>Results for " << html_escape(q) << "</h1>\n";
    std::cout << "<p>No results.</p></body></html>\n";
    return 0;
}
