#include <sys/socket.h>
#include <sys/types.h>
#include <strings.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

// Reads one CRLF-terminated line from the socket into buf (capacity size
// bytes), strips the line terminator and NUL-terminates the result.
// Returns the line length, 0 on EOF, -1 on error. Over-long lines are
// truncated; the rest of the line is discarded.
static ssize_t read_line(int fd, char *buf, size_t size)
{
    size_t len = 0;
    bool truncated = false;

    for (;;) {
        char c;
        ssize_t r = recv(fd, &c, 1, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (r == 0) {
            if (len == 0)
                return 0;
            break;
        }
        if (c == '\n')
            break;
        if (len + 1 < size)
            buf[len++] = c;
        else
            truncated = true;
    }

    if (len > 0 && buf[len - 1] == '\r')
        --len;
    buf[len] = '\0';
    (void)truncated;
    return static_cast<ssize_t>(len);
}

// Tiny SMTP front-end used by the test mail sink.
class SmtpSession {
public:
    explicit SmtpSession(int fd) : fd_(fd) {}
    ~SmtpSession() { close(fd_); }

    void run()
    {
        send_reply("220 mailsink ESMTP ready");
        for (;;) {
            ssize_t n = read_line(fd_, line_, sizeof(line_));
            if (n <= 0)
                return;
            if (strncasecmp(line_, "QUIT", 4) == 0) {
                send_reply("221 bye");
                return;
            }
            if (strncasecmp(line_, "HELO", 4) == 0 || strncasecmp(line_, "EHLO", 4) == 0)
                send_reply("250 mailsink");
            else if (strncasecmp(line_, "NOOP", 4) == 0)
                send_reply("250 OK");
            else
                send_reply("502 command not implemented");
        }
    }

private:
    void send_reply(const std::string &text)
    {
        std::string out = text + "\r\n";
        send(fd_, out.data(), out.size(), MSG_NOSIGNAL);
    }

    int fd_;
    char line_[512];
};
