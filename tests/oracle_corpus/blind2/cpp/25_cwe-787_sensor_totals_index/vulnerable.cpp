#include <cstddef>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>

constexpr int kMaxSensors = 64;

struct SensorTable {
    double total[kMaxSensors] = {};
    unsigned count[kMaxSensors] = {};
};

// Reads lines such as "17 21.5" and adds each value to its sensor's slot.
// Returns the number of readings that were accepted.
std::size_t ingest_readings(std::istream& in, SensorTable& table)
{
    std::size_t accepted = 0;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        int id = 0;
        double value = 0.0;
        if (!(fields >> id >> value)) {
            continue;
        }
        if (id >= kMaxSensors) {
            std::cerr << "ignoring reading for unknown sensor " << id << "\n";
            continue;
        }
        table.total[id] += value;
        table.count[id] += 1;
        ++accepted;
    }
    return accepted;
}

int main()
{
    SensorTable table;
    const std::size_t n = ingest_readings(std::cin, table);
    std::cout << n << " readings\n";
    for (int i = 0; i < kMaxSensors; ++i) {
        if (table.count[i] > 0) {
            std::cout << "sensor " << std::setw(2) << i << ": avg " << std::fixed << std::setprecision(2)
                      << table.total[i] / table.count[i] << " over " << table.count[i] << "\n";
        }
    }
    return 0;
}
