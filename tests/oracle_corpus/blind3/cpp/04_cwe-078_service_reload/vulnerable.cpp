#include <sys/wait.h>

#include <cstdlib>
#include <iostream>
#include <string>

// Handler for the admin panel's "Reload" button. The panel posts the name of
// the service whose configuration was just edited (e.g. "nginx").
struct ReloadResult {
    bool ok;
    std::string message;
};

ReloadResult reload_service(const std::string &service)
{
    if (service.empty())
        return {false, "no service given"};

    std::string command = "systemctl reload " + service;
    int status = std::system(command.c_str());

    if (status == -1)
        return {false, "could not start systemctl"};
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return {true, service + " reloaded"};
    return {false, service + " reload failed with status " +
                       std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1)};
}

int main(int argc, char *argv[])
{
    if (argc != 2) {
        std::cerr << "usage: " << argv[0] << " <service>\n";
        return 2;
    }
    ReloadResult r = reload_service(argv[1]);
    std::cout << (r.ok ? "OK: " : "ERROR: ") << r.message << std::endl;
    return r.ok ? 0 : 1;
}
