#include <cstdio>
#include <memory>
#include <optional>
#include <regex>
#include <string>

std::optional<std::string> recentCommits(const std::string &branch)
{
    static const std::string repoDir = "/srv/review/repos/webapp";
    static const std::regex branchRe("^[A-Za-z0-9_][A-Za-z0-9._/-]{0,99}$");
    if (!std::regex_match(branch, branchRe))
        return std::nullopt;
    std::string cmd = "git -C " + repoDir + " log -n 20 --format=%s " + branch;
    std::unique_ptr<FILE, int (*)(FILE *)> pipe(popen(cmd.c_str(), "r"), pclose);
    if (!pipe)
        return std::nullopt;

    std::string output;
    char buf[256];
    while (fgets(buf, sizeof(buf), pipe.get()) != nullptr)
        output += buf;
    return output;
}
