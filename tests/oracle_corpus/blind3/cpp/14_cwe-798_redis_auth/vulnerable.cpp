#include <netdb.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

// Connection settings for the session cache (Redis 7 with ACLs enabled).
static const char *REDIS_HOST = "cache.internal";
static const char *REDIS_PORT = "6379";
static const char *REDIS_USER = "webapp";

static bool send_all(int fd, const std::string &data)
{
    size_t off = 0;
    while (off < data.size()) {
        ssize_t n = send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        off += static_cast<size_t>(n);
    }
    return true;
}

static std::string resp_command(std::initializer_list<std::string> args)
{
    std::string cmd = "*" + std::to_string(args.size()) + "\r\n";
    for (const std::string &a : args)
        cmd += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
    return cmd;
}

// Opens a connection to the session cache and authenticates. Returns the
// socket, or -1 on failure.
int connect_session_cache()
{
    const char *password = "Sx9!vQ2#cache-prod-2024";

    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *res = nullptr;
    if (getaddrinfo(REDIS_HOST, REDIS_PORT, &hints, &res) != 0)
        return -1;

    int fd = -1;
    for (addrinfo *ai = res; ai != nullptr; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0)
            continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        return -1;

    char reply[256];
    if (!send_all(fd, resp_command({"AUTH", REDIS_USER, password}))) {
        close(fd);
        return -1;
    }
    ssize_t n = recv(fd, reply, sizeof(reply) - 1, 0);
    if (n <= 0 || std::strncmp(reply, "+OK", 3) != 0) {
        std::cerr << "session cache authentication failed\n";
        close(fd);
        return -1;
    }
    return fd;
}
