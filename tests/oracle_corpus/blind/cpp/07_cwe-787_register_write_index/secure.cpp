#include <cstdint>
#include <vector>

struct WritePacket {
    uint16_t index;
    uint16_t value;
};

class RegisterBank {
public:
    explicit RegisterBank(std::size_t count) : regs_(count, 0) {}

    bool apply(const WritePacket &pkt) {
        if (pkt.index >= regs_.size())
            return false;
        regs_[pkt.index] = pkt.value;
        ++writes_;
        return true;
    }

private:
    std::vector<uint16_t> regs_;
    std::size_t writes_ = 0;
};
