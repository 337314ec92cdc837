#include <array>
#include <charconv>
#include <cstddef>
#include <iostream>
#include <string>
#include <string_view>

// One line of the CSV stream that weather stations upload every minute:
//   station_id,timestamp,temp_c,humidity,pressure_hpa,wind_ms,wind_dir,rain_mm
constexpr std::size_t kMaxColumns = 8;

struct Reading {
    std::string station;
    long long timestamp = 0;
    double temp_c = 0, humidity = 0, pressure = 0, wind = 0, wind_dir = 0, rain = 0;
};

static bool to_double(std::string_view s, double &out)
{
    try {
        out = std::stod(std::string(s));
        return true;
    } catch (...) {
        return false;
    }
}

// Splits a line into its comma-separated columns and converts them.
bool parse_reading(std::string_view line, Reading &r)
{
    std::array<std::string_view, kMaxColumns> cols;
    std::size_t ncols = 0;

    std::size_t start = 0;
    while (start <= line.size()) {
        std::size_t comma = line.find(',', start);
        if (comma == std::string_view::npos)
            comma = line.size();
        cols[ncols++] = line.substr(start, comma - start);
        start = comma + 1;
    }

    if (ncols < kMaxColumns)
        return false;

    r.station = std::string(cols[0]);
    auto ts = std::from_chars(cols[1].data(), cols[1].data() + cols[1].size(), r.timestamp);
    if (ts.ec != std::errc())
        return false;
    return to_double(cols[2], r.temp_c) && to_double(cols[3], r.humidity) &&
           to_double(cols[4], r.pressure) && to_double(cols[5], r.wind) &&
           to_double(cols[6], r.wind_dir) && to_double(cols[7], r.rain);
}

int main()
{
    std::string line;
    std::size_t bad = 0;
    while (std::getline(std::cin, line)) {
        Reading r;
        if (parse_reading(line, r))
            std::cout << r.station << ' ' << r.timestamp << ' ' << r.temp_c << "C\n";
        else
            ++bad;
    }
    std::cerr << bad << " malformed line(s)\n";
    return 0;
}
