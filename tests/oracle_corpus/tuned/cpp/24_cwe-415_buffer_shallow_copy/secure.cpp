#include <cstring>
#include <string>
#include <vector>

class Buffer {
public:
    explicit Buffer(const std::string &s) : data_(new char[s.size()]), size_(s.size())
    {
        std::memcpy(data_, s.data(), size_);
    }
    Buffer(const Buffer &o) : data_(new char[o.size_]), size_(o.size_) { std::memcpy(data_, o.data_, size_); }
    Buffer &operator=(const Buffer &) = delete;
    ~Buffer() { delete[] data_; }

    const char *data() const { return data_; }
    std::size_t size() const { return size_; }

private:
    char *data_;
    std::size_t size_;
};

void queue_message(std::vector<Buffer> &queue, const std::string &text)
{
    Buffer msg(text);
    queue.push_back(msg);
}
