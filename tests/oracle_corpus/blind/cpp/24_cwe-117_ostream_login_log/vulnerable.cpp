#include <chrono>
#include <ctime>
#include <iomanip>
#include <ostream>
#include <string>

void logFailedLogin(std::ostream &log, const std::string &username, const std::string &remoteAddr)
{
    std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    log << std::put_time(std::gmtime(&now), "%FT%TZ") << " auth failure user="
        << username << " from=" << remoteAddr << '\n';
}
