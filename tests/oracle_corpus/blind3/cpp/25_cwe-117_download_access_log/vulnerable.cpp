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
        line << timestamp() << " user=" << user << " file=" << requested_file
             << " bytes=" << bytes << '\n';

        std::lock_guard<std::mutex> lock(mu_);
        out_ << line.str();
        out_.flush();
    }

private:
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
