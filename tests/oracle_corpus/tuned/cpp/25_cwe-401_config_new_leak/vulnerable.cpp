#include <fstream>
#include <map>
#include <memory>
#include <string>

struct Config {
    std::map<std::string, std::string> values;
};

Config *load_config(const std::string &path)
{
    Config *cfg = new Config();
    std::ifstream in(path);
    if (!in)
        return nullptr;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        const std::size_t eq = line.find('=');
        if (eq == std::string::npos)
            return nullptr;
        cfg->values[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return cfg;
}
