#include <cstdio>
#include <string>

class Transcript {
public:
    explicit Transcript(const char *path) : fp_(std::fopen(path, "a")) {}
    ~Transcript() {
        if (fp_)
            std::fclose(fp_);
    }

    void append(const std::string &nick, const std::string &message) {
        if (!fp_)
            return;
        std::string line = "<" + nick + "> " + message;
        std::fprintf(fp_, "%s\n", line.c_str());
        std::fflush(fp_);
    }

private:
    std::FILE *fp_;
};
