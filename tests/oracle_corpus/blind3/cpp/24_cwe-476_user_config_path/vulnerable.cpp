#include <pwd.h>
#include <sys/types.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>

namespace fs = std::filesystem;

// The sync daemon runs as root and serves several local accounts. Each
// account can override the defaults in ~/.config/syncd/settings.ini.
// account is the user name given in the job submitted to the daemon's
// queue, e.g. "alice".
std::optional<fs::path> user_settings_path(const std::string &account)
{
    struct passwd *pw = getpwnam(account.c_str());
    fs::path home(pw->pw_dir);

    fs::path settings = home / ".config" / "syncd" / "settings.ini";
    std::error_code ec;
    if (!fs::is_regular_file(settings, ec))
        return std::nullopt;
    return settings;
}

std::map<std::string, std::string> load_user_settings(const std::string &account)
{
    std::map<std::string, std::string> settings;
    auto path = user_settings_path(account);
    if (!path)
        return settings;

    std::ifstream in(*path);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#' || line[0] == ';')
            continue;
        auto eq = line.find('=');
        if (eq == std::string::npos)
            continue;
        settings[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return settings;
}
