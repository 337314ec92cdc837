#include <cctype>
#include <stdexcept>
#include <string>

class ListParser {
public:
    explicit ListParser(const std::string &s) : s_(s) {}

    long long sum() {
        long long total = parseList(0);
        if (pos_ != s_.size())
            throw std::runtime_error("trailing characters");
        return total;
    }

private:
    long long parseList(int depth) {
        if (depth > 64)
            throw std::runtime_error("nesting too deep");
        expect('[');
        long long total = 0;
        while (pos_ < s_.size() && s_[pos_] != ']') {
            if (s_[pos_] == '[')
                total += parseList(depth + 1);
            else if (std::isdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '-')
                total += parseNumber();
            else
                throw std::runtime_error("unexpected character");
            if (pos_ < s_.size() && s_[pos_] == ',')
                ++pos_;
        }
        expect(']');
        return total;
    }

    long long parseNumber() {
        std::size_t used = 0;
        long long v = std::stoll(s_.substr(pos_), &used);
        pos_ += used;
        return v;
    }

    void expect(char c) {
        if (pos_ >= s_.size() || s_[pos_] != c)
            throw std::runtime_error(std::string("expected ") + c);
        ++pos_;
    }

    const std::string &s_;
    std::size_t pos_ = 0;
};
