#include <chrono>
#include <ctime>
#include <iomanip>
#include <ostream>
#include <string>

static std::string escapeForLog(const std::string &s)
{
    std::string out;
    for (unsigned char c : s) {
        if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c < 0x20 || c == 0x7f)
            out += '?';
        else
            out += static_cast<char>(c);
    }
    return out;
}

void logFailedLogin(std::ostream &log, const std::string &username, const std::string &remoteAddr)
{
    std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    log << std::put_time(std::gmtime(&now), "%FT%TZ") << " auth failure user="
        << escapeForLog(username) << " from=" << remoteAddr << '\n';
}
