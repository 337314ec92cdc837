#include <algorithm>
#include <array>
#include <vector>

constexpr std::size_t kHistory = 16;

std::size_t fillHistory(std::array<float, kHistory> &history, const std::vector<float> &samples)
{
    std::size_t count = std::min(samples.size(), kHistory);
    for (std::size_t i = 0; i <= count; ++i) {
        history[i] = samples[samples.size() - 1 - i];
    }
    return count;
}
