#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>

struct CommandResult {
    int exit_code = -1;
    std::string output;
};

// Pings `host` `count` times and returns ping's exit status together with
// everything it printed on stdout and stderr.
CommandResult ping_host(const std::string& host, int count)
{
    if (host.empty()) {
        throw std::invalid_argument("host must not be empty");
    }
    if (count < 1 || count > 10) {
        throw std::invalid_argument("count must be between 1 and 10");
    }

    int fds[2];
    if (pipe(fds) == -1) {
        throw std::runtime_error("pipe failed");
    }

    const std::string count_arg = std::to_string(count);
    const std::string command = "ping -c " + count_arg + " -W 2 " + host;

    pid_t pid = fork();
    if (pid == -1) {
        close(fds[0]);
        close(fds[1]);
        throw std::runtime_error("fork failed");
    }

    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }

    close(fds[1]);

    CommandResult result;
    char buf[4096];
    for (;;) {
        ssize_t n = read(fds[0], buf, sizeof(buf));
        if (n == 0) {
            break;
        }
        if (n == -1) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        result.output.append(buf, static_cast<size_t>(n));
    }
    close(fds[0]);

    int status = 0;
    while (waitpid(pid, &status, 0) == -1) {
        if (errno != EINTR) {
            throw std::runtime_error("waitpid failed");
        }
    }
    if (WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
    }
    return result;
}

int main(int argc, char* argv[])
{
    if (argc < 2) {
        std::cerr << "usage: " << argv[0] << " <host> [count]\n";
        return 1;
    }
    const int count = argc > 2 ? std::atoi(argv[2]) : 4;

    try {
        CommandResult r = ping_host(argv[1], count);
        std::cout << r.output;
        std::cout << (r.exit_code == 0 ? "host is reachable" : "host is unreachable") << "\n";
        return r.exit_code == 0 ? 0 : 2;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
}
