#include <netdb.h>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

std::string fetch_preview(const std::string &url)
{
    static const std::regex kUrl(R"(^http://([A-Za-z0-9.-]+)(?::(\d+))?(/.*)?$)");
    std::smatch m;
    if (!std::regex_match(url, m, kUrl))
        throw std::invalid_argument("only http:// URLs are supported");
    const std::string host = m[1];
    const std::string port = m[2].matched ? m[2].str() : "80";
    const std::string path = m[3].matched ? m[3].str() : "/";

    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *res = nullptr;
    if (getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0)
        throw std::runtime_error("cannot resolve host");
    int fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    if (fd < 0 || connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
        freeaddrinfo(res);
        if (fd >= 0)
            close(fd);
        throw std::runtime_error("cannot connect");
    }
    freeaddrinfo(res);

    const std::string request = "GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n";
    send(fd, request.data(), request.size(), 0);
    std::string page(4096, '\0');
    std::size_t got = 0;
    ssize_t n;
    while (got < page.size() && (n = recv(fd, &page[got], page.size() - got, 0)) > 0)
        got += static_cast<std::size_t>(n);
    close(fd);
    page.resize(got);
    return page;
}
