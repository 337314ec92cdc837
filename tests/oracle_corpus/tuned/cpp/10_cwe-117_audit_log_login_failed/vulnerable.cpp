#include <ctime>
#include <fstream>
#include <string>

class AuditLog {
public:
    explicit AuditLog(const std::string &path) : out_(path, std::ios::app) {}

    void login_failed(const std::string &user, const std::string &ip)
    {
        out_ << std::time(nullptr) << " LOGIN_FAILED user=" << user << " ip=" << ip << '\n';
        out_.flush();
    }

private:
    std::ofstream out_;
};
