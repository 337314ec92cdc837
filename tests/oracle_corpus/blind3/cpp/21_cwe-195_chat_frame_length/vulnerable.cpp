#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>

// Frames on the chat relay protocol are a signed 32-bit big-endian length
// followed by that many bytes of UTF-8 text. A length of -1 is sent by old
// clients as a keep-alive.
namespace relay {

constexpr std::int32_t kMaxFrame = 16 * 1024;

static bool recv_exact(int fd, void *dst, std::size_t n)
{
    auto *p = static_cast<char *>(dst);
    while (n > 0) {
        ssize_t r = recv(fd, p, n, 0);
        if (r <= 0)
            return false;
        p += r;
        n -= static_cast<std::size_t>(r);
    }
    return true;
}

class Connection {
public:
    Connection(int fd, std::function<void(const std::string &)> on_message)
        : fd_(fd), on_message_(std::move(on_message))
    {
    }
    ~Connection() { close(fd_); }

    // Reads and dispatches one frame. Returns false when the connection
    // should be closed.
    bool pump()
    {
        std::uint32_t raw;
        if (!recv_exact(fd_, &raw, sizeof raw))
            return false;
        std::int32_t len = static_cast<std::int32_t>(ntohl(raw));

        if (len == -1)
            return true; // keep-alive
        if (len > kMaxFrame)
            return false;

        if (!recv_exact(fd_, frame_, len))
            return false;
        on_message_(std::string(frame_, static_cast<std::size_t>(len)));
        return true;
    }

private:
    int fd_;
    std::function<void(const std::string &)> on_message_;
    char frame_[kMaxFrame];
};

} // namespace relay
