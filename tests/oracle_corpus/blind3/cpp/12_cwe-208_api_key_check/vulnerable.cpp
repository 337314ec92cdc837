#include <cstdlib>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>

// Minimal request representation used by the metrics exporter's HTTP layer.
struct HttpRequest {
    std::string method;
    std::string path;
    std::map<std::string, std::string> headers; // keys lower-cased
};

class ApiKeyGuard {
public:
    ApiKeyGuard()
    {
        const char *key = std::getenv("EXPORTER_API_KEY");
        if (key == nullptr || *key == '\0')
            throw std::runtime_error("EXPORTER_API_KEY is not set");
        expected_ = key;
    }

    // Returns true if the request carries the right key in the X-Api-Key
    // header. Called for every request to /metrics and /admin/*.
    bool allows(const HttpRequest &req) const
    {
        auto it = req.headers.find("x-api-key");
        if (it == req.headers.end())
            return false;
        const std::string &provided = it->second;

        return provided == expected_;
    }

private:
    std::string expected_;
};

int main(int argc, char **argv)
{
    try {
        ApiKeyGuard guard;
        HttpRequest req{"GET", "/metrics", {}};
        if (argc > 1)
            req.headers["x-api-key"] = argv[1];
        std::cout << (guard.allows(req) ? "200 OK" : "401 Unauthorized") << '\n';
    } catch (const std::exception &e) {
        std::cerr << e.what() << '\n';
        return 1;
    }
    return 0;
}
