#include <iostream>

class LatencyHistogram {
public:
    void record(unsigned ms)
    {
        unsigned idx = 0;
        while (idx < 31 && (1u << idx) < ms)
            ++idx;
        buckets_[idx]++;
    }

    void print() const
    {
        for (unsigned i = 0; i < sizeof(buckets_) / sizeof(buckets_[0]); ++i)
            std::cout << "le_" << (1u << i) << "ms " << buckets_[i] << '\n';
    }

private:
    unsigned buckets_[12] = {};
};
