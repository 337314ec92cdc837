#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <mutex>

// Owns a copy of one received datagram.
class PacketBuffer {
public:
    PacketBuffer(const std::uint8_t *data, std::size_t size)
        : data_(new std::uint8_t[size]), size_(size)
    {
        std::memcpy(data_, data, size);
    }

    ~PacketBuffer() { delete[] data_; }

    const std::uint8_t *data() const { return data_; }
    std::size_t size() const { return size_; }

private:
    std::uint8_t *data_;
    std::size_t size_;
};

// Hands packets from the receive thread to the decoder thread.
class PacketQueue {
public:
    void push(const std::uint8_t *data, std::size_t size)
    {
        PacketBuffer pkt(data, size);
        std::lock_guard<std::mutex> lock(mu_);
        queue_.push_back(pkt);
    }

    bool pop_into(std::uint8_t *dst, std::size_t cap, std::size_t &len)
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (queue_.empty())
            return false;
        const PacketBuffer &front = queue_.front();
        len = front.size() < cap ? front.size() : cap;
        std::memcpy(dst, front.data(), len);
        queue_.pop_front();
        return true;
    }

private:
    std::mutex mu_;
    std::deque<PacketBuffer> queue_;
};
