#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <regex>
#include <string>

// Delivers webhook notifications to the callback URL that each customer
// registers in their project settings (plain http:// endpoints only for now).

struct Url {
    std::string host;
    std::string port;
    std::string path;
};

static std::optional<Url> parse_http_url(const std::string &url)
{
    static const std::regex re(R"(^http://([A-Za-z0-9.\-]+)(?::([0-9]{1,5}))?(/[^\s]*)?$)");
    std::smatch m;
    if (!std::regex_match(url, m, re))
        return std::nullopt;
    return Url{m[1].str(), m[2].matched ? m[2].str() : "80", m[3].matched ? m[3].str() : "/"};
}

static int connect_to(const Url &u)
{
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *res = nullptr;
    if (getaddrinfo(u.host.c_str(), u.port.c_str(), &hints, &res) != 0)
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
    return fd;
}

// POSTs the JSON event to the customer's callback URL and returns the HTTP
// status code, or -1 if the delivery failed.
int deliver_webhook(const std::string &callback_url, const std::string &event_json)
{
    auto url = parse_http_url(callback_url);
    if (!url)
        return -1;

    int fd = connect_to(*url);
    if (fd < 0)
        return -1;

    std::string req = "POST " + url->path + " HTTP/1.1\r\n"
                      "Host: " + url->host + "\r\n"
                      "Content-Type: application/json\r\n"
                      "Content-Length: " + std::to_string(event_json.size()) + "\r\n"
                      "Connection: close\r\n\r\n" + event_json;
    ssize_t sent = send(fd, req.data(), req.size(), MSG_NOSIGNAL);

    int status = -1;
    char buf[512];
    ssize_t n = sent == static_cast<ssize_t>(req.size()) ? recv(fd, buf, sizeof(buf) - 1, 0) : -1;
    if (n > 12) {
        buf[n] = '\0';
        status = std::atoi(buf + 9); // "HTTP/1.1 200 OK"
    }
    close(fd);
    return status;
}
