#include <cstdio>
#include <string>

class Logger {
public:
    explicit Logger(std::FILE *out) : out_(out) {}

    void info(const std::string &msg)
    {
        std::fprintf(out_, msg.c_str());
        std::fputc('\n', out_);
    }

private:
    std::FILE *out_;
};

void on_chat_message(Logger &log, const std::string &user, const std::string &text)
{
    log.info(user + ": " + text);
}
