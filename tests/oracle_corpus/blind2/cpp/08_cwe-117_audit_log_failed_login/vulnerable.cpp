#include <chrono>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>

class AuditLog {
public:
    explicit AuditLog(const std::string& path) : out_(path, std::ios::app) {}

    bool is_open() const { return out_.is_open(); }

    void failed_login(const std::string& username, const std::string& remote_ip)
    {
        std::lock_guard<std::mutex> lock(mu_);
        out_ << timestamp() << " LOGIN_FAILED user=" << username << " ip=" << remote_ip << '\n';
        out_.flush();
    }

    void successful_login(const std::string& username, const std::string& remote_ip)
    {
        std::lock_guard<std::mutex> lock(mu_);
        out_ << timestamp() << " LOGIN_OK user=" << username << " ip=" << remote_ip << '\n';
        out_.flush();
    }

private:
    static std::string timestamp()
    {
        const auto now = std::chrono::system_clock::now();
        const std::time_t t = std::chrono::system_clock::to_time_t(now);
        std::tm tm{};
        gmtime_r(&t, &tm);
        std::ostringstream ss;
        ss << std::put_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
        return ss.str();
    }

    std::ofstream out_;
    std::mutex mu_;
};

static bool check_credentials(const std::string& user, const std::string& password)
{
    // Placeholder for the real credential store lookup.
    return user == "demo" && password == "correct horse battery staple";
}

int main(int argc, char* argv[])
{
    if (argc != 4) {
        std::cerr << "usage: " << argv[0] << " <user> <password> <client-ip>\n";
        return 2;
    }
    AuditLog log("/var/log/authsvc/audit.log");
    if (!log.is_open()) {
        std::cerr << "cannot open audit log\n";
        return 1;
    }
    if (check_credentials(argv[1], argv[2])) {
        log.successful_login(argv[1], argv[3]);
        return 0;
    }
    log.failed_login(argv[1], argv[3]);
    return 1;
}
