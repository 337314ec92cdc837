#include <chrono>
#include <cstdint>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <mutex>
#include <sstream>
#include <string>

// Appends one line per download to the file server's access log, which the
// nightly billing job parses line by line:
//   2026-01-31T12:00:00Z user=alice file=reports/q4.pdf bytes=12345
class DownloadLog {
public:
    explicit DownloadLog(const std::string &path) : out_(path, std::ios::app) {}

    // user is the authenticated account name; requested_file is the path
    // from the download URL, exactly as the client sent it (URL-decoded).
    void record(const std::string &user, const std::string &requested_file,
                std::uint64_t bytes)
    {
        std::ostringstream line;
        line << timestamp() << " user=" << escape(user) << " file=" << escape(requested_file)
             << " bytes=" << bytes << '\n';

        std::lock_guard<std::mutex> lock(mu_);
        out_ << line.str();
        out_.flush();
    }

private:
    // Keeps each entry on one line and its fields unambiguous: spaces, control
    // characters (CR, LF, ...) and the backslash are written as \xNN escapes.
    static std::string escape(const std::string &s)
    {
        static const char hex[] = "0123456789abcdef";
        std::string out;
        out.reserve(s.size());
        for (unsigned char c : s) {
            if (c <= 0x20 || c == 0x7f || c == '\\') {
                out += "\\x";
                out += hex[c >> 4];
                out += hex[c & 0x0f];
            } else {
                out += static_cast<char>(c);
            }
        }
        return out;
    }

    static std::string timestamp()
    {
        std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
        std::tm tm{};
        gmtime_r(&t, &tm);
        std::ostringstream ss;
        ss << std::put_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
        return ss.str();
    }

    std::mutex mu_;
    std::ofstream out_;
};
