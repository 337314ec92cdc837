#include <openssl/err.h>
#include <openssl/ssl.h>

#include <netdb.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <iostream>
#include <stdexcept>
#include <string>

static int tcp_connect(const std::string& host, const std::string& port)
{
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0) {
        return -1;
    }
    int fd = -1;
    for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd == -1) {
            continue;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            break;
        }
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

std::string https_get(const std::string& host, const std::string& path, const std::string& api_key)
{
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == nullptr) {
        throw std::runtime_error("SSL_CTX_new failed");
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
        SSL_CTX_free(ctx);
        throw std::runtime_error("cannot load trusted CA certificates");
    }

    const int fd = tcp_connect(host, "443");
    if (fd == -1) {
        SSL_CTX_free(ctx);
        throw std::runtime_error("cannot connect to " + host);
    }

    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, host.c_str());
    SSL_set1_host(ssl, host.c_str());

    if (SSL_connect(ssl) != 1) {
        ERR_print_errors_fp(stderr);
        SSL_free(ssl);
        close(fd);
        SSL_CTX_free(ctx);
        throw std::runtime_error("TLS handshake failed");
    }

    const std::string request = "GET " + path + " HTTP/1.1\r\n"
                                "Host: " + host + "\r\n"
                                "Authorization: Bearer " + api_key + "\r\n"
                                "Accept: application/json\r\n"
                                "Connection: close\r\n\r\n";
    SSL_write(ssl, request.data(), static_cast<int>(request.size()));

    std::string response;
    char buf[4096];
    int n;
    while ((n = SSL_read(ssl, buf, sizeof(buf))) > 0) {
        response.append(buf, static_cast<size_t>(n));
    }

    SSL_shutdown(ssl);
    SSL_free(ssl);
    close(fd);
    SSL_CTX_free(ctx);
    return response;
}

int main()
{
    try {
        std::cout << https_get("api.payments.example.com", "/v1/balance", "sk_live_from_config") << "\n";
    } catch (const std::exception& e) {
        std::cerr << "request failed: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
