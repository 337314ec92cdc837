#include <ctime>
#include <fstream>
#include <string>

class AuditLog {
public:
    explicit AuditLog(const std::string &path) : out_(path, std::ios::app) {}

    void login_failed(const std::string &user, const std::string &ip)
    {
        out_ << std::time(nullptr) << " LOGIN_FAILED user=" << clean(user) << " ip=" << clean(ip) << '\n';
        out_.flush();
    }

private:
    static std::string clean(std::string s)
    {
        for (char &c : s)
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
                c = '?';
        return s;
    }

    std::ofstream out_;
};
