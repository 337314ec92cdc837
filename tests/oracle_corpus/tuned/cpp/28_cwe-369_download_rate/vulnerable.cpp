#include <chrono>
#include <cstdint>
#include <iostream>

void print_rate(std::uint64_t bytes, std::chrono::steady_clock::duration elapsed)
{
    const auto secs = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count());
    std::cout << bytes / secs << " B/s (" << bytes << " bytes in " << secs << " s)\n";
}
