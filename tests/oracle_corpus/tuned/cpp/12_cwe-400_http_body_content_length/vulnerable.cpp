#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <sys/types.h>

std::string read_body(int fd, const std::string &content_length)
{
    unsigned long long len = std::stoull(content_length);
    std::string body;
    body.resize(len);
    std::size_t got = 0;
    while (got < len) {
        ssize_t n = ::recv(fd, &body[got], len - got, 0);
        if (n <= 0)
            throw std::runtime_error("connection closed");
        got += static_cast<std::size_t>(n);
    }
    return body;
}
