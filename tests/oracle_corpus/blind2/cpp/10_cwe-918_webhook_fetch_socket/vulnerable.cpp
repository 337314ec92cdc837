#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstring>
#include <iostream>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>

struct HttpUrl {
    std::string host;
    std::string port;
    std::string path;
};

static std::optional<HttpUrl> parse_http_url(const std::string& url)
{
    static const std::regex re(R"(^http://([A-Za-z0-9.\-]+)(?::([0-9]{1,5}))?(/[^\s]*)?$)");
    std::smatch m;
    if (url.size() > 2048 || !std::regex_match(url, m, re)) {
        return std::nullopt;
    }
    HttpUrl u;
    u.host = m[1].str();
    u.port = m[2].matched ? m[2].str() : "80";
    u.path = m[3].matched ? m[3].str() : "/";
    return u;
}

static bool send_all(int fd, const std::string& data)
{
    size_t sent = 0;
    while (sent < data.size()) {
        ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            return false;
        }
        sent += static_cast<size_t>(n);
    }
    return true;
}

// Fetches `url` (http only) and returns the body of the response.
std::string fetch_url(const std::string& url)
{
    const auto u = parse_http_url(url);
    if (!u) {
        throw std::invalid_argument("only http://host[:port]/path URLs are supported");
    }

    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    const int rc = getaddrinfo(u->host.c_str(), u->port.c_str(), &hints, &res);
    if (rc != 0) {
        throw std::runtime_error(std::string("cannot resolve host: ") + gai_strerror(rc));
    }

    int fd = -1;
    for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd == -1) {
            continue;
        }
        timeval tv{};
        tv.tv_sec = 10;
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            break;
        }
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd == -1) {
        throw std::runtime_error("could not connect to " + u->host);
    }

    const std::string request = "GET " + u->path + " HTTP/1.0\r\n"
                                "Host: " + u->host + "\r\n"
                                "User-Agent: hookcheck/1.2\r\n"
                                "Connection: close\r\n\r\n";
    if (!send_all(fd, request)) {
        close(fd);
        throw std::runtime_error("failed to send request");
    }

    std::string response;
    char buf[8192];
    ssize_t n;
    while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
        response.append(buf, static_cast<size_t>(n));
        if (response.size() > 1024 * 1024) {
            break;
        }
    }
    close(fd);

    const size_t header_end = response.find("\r\n\r\n");
    return header_end == std::string::npos ? std::string() : response.substr(header_end + 4);
}

int main(int argc, char* argv[])
{
    if (argc != 2) {
        std::cerr << "usage: " << argv[0] << " <http-url>\n";
        return 2;
    }
    try {
        std::cout << fetch_url(argv[1]);
    } catch (const std::exception& e) {
        std::cerr << "fetch failed: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
