#include <iostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

struct HttpResponse {
    int status = 200;
    std::string reason = "OK";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    std::string serialize() const
    {
        std::ostringstream out;
        out << "HTTP/1.1 " << status << ' ' << reason << "\r\n";
        for (const auto& h : headers) {
            out << h.first << ": " << h.second << "\r\n";
        }
        out << "Content-Length: " << body.size() << "\r\n\r\n" << body;
        return out.str();
    }
};

// `session_id` is the freshly generated opaque session identifier.
HttpResponse make_login_success_response(const std::string& session_id, int max_age_seconds)
{
    HttpResponse resp;
    resp.status = 303;
    resp.reason = "See Other";
    resp.headers.emplace_back("Location", "/admin/dashboard");
    resp.headers.emplace_back(
        "Set-Cookie",
        "ADMINSESSID=" + session_id + "; Path=/admin; Max-Age=" + std::to_string(max_age_seconds) + "; HttpOnly; Secure; SameSite=Strict");
    resp.headers.emplace_back("Cache-Control", "no-store");
    resp.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
    resp.body = "<a href=\"/admin/dashboard\">Continue</a>\n";
    return resp;
}

int main()
{
    const HttpResponse r = make_login_success_response("3f9c2a7d41e84b0c9e5f6a1b2c3d4e5f", 1800);
    std::cout << r.serialize();
    return 0;
}
