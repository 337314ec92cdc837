#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <iostream>
#include <optional>
#include <string>

static int tcp_connect(const std::string &host, const std::string &port)
{
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *res = nullptr;
    if (getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0)
        return -1;
    int fd = -1;
    for (addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

// Downloads https://<host><path> from the payment provider's status API and
// returns the raw HTTP response, or nothing on error.
std::optional<std::string> https_get(const std::string &host, const std::string &path)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx)
        return std::nullopt;
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
        SSL_CTX_free(ctx);
        return std::nullopt;
    }

    int fd = tcp_connect(host, "443");
    if (fd < 0) {
        SSL_CTX_free(ctx);
        return std::nullopt;
    }

    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, host.c_str());
    SSL_set1_host(ssl, host.c_str());

    std::optional<std::string> response;
    if (SSL_connect(ssl) == 1) {
        std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + host +
                              "\r\nAccept: application/json\r\nConnection: close\r\n\r\n";
        if (SSL_write(ssl, request.data(), static_cast<int>(request.size())) > 0) {
            std::string body;
            char buf[4096];
            int n;
            while ((n = SSL_read(ssl, buf, sizeof buf)) > 0)
                body.append(buf, static_cast<std::size_t>(n));
            response = std::move(body);
        }
        SSL_shutdown(ssl);
    } else {
        ERR_print_errors_fp(stderr);
    }

    SSL_free(ssl);
    close(fd);
    SSL_CTX_free(ctx);
    return response;
}

int main()
{
    auto resp = https_get("status.payments.example.com", "/api/v2/status.json");
    if (!resp) {
        std::cerr << "status check failed\n";
        return 1;
    }
    std::cout << *resp << '\n';
    return 0;
}
