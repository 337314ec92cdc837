#include <cctype>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>

// login.cgi: the form posts user/password here; on success we set the session
// cookie (done by start_session) and send the browser back to the page it
// came from, given as ?next=... in the query string.

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static std::string url_decode(const std::string &in)
{
    std::string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '+') {
            out += ' ';
        } else if (in[i] == '%' && i + 2 < in.size() && hex_value(in[i + 1]) >= 0 &&
                   hex_value(in[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2]));
            i += 2;
        } else {
            out += in[i];
        }
    }
    return out;
}

static std::map<std::string, std::string> parse_query(const char *qs)
{
    std::map<std::string, std::string> params;
    std::string s = qs ? qs : "";
    std::size_t pos = 0;
    while (pos <= s.size()) {
        std::size_t amp = s.find('&', pos);
        if (amp == std::string::npos)
            amp = s.size();
        std::string pair = s.substr(pos, amp - pos);
        std::size_t eq = pair.find('=');
        if (eq != std::string::npos)
            params[url_decode(pair.substr(0, eq))] = url_decode(pair.substr(eq + 1));
        pos = amp + 1;
    }
    return params;
}

bool start_session(); // checks the posted credentials, prints Set-Cookie

static std::string redirect_target(const std::map<std::string, std::string> &params)
{
    auto it = params.find("next");
    if (it == params.end() || it->second.empty())
        return "/dashboard";
    const std::string &next = it->second;
    // only local paths: "/x", but not "//host" or "/\host", and no CR/LF
    if (next[0] != '/' || (next.size() > 1 && (next[1] == '/' || next[1] == '\\')) ||
        next.find_first_of("\r\n") != std::string::npos)
        return "/dashboard";
    return next;
}

int main()
{
    auto params = parse_query(std::getenv("QUERY_STRING"));

    if (!start_session()) {
        std::cout << "Status: 303 See Other\r\n"
                  << "Location: /login?error=1\r\n\r\n";
        return 0;
    }

    std::string target = redirect_target(params);
    std::cout << "Status: 303 See Other\r\n"
              << "Location: " << target << "\r\n\r\n";
    return 0;
}
