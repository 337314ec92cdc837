#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

struct SalesRow {
    std::string region;
    std::string product;
    long units;
    double revenue;
};

// Writes the monthly sales report to a temporary CSV file that the mailer
// then attaches to the e-mail sent to the regional managers. Returns the
// path of the file (the caller unlinks it after sending), or "" on error.
std::string write_report_csv(const std::vector<SalesRow> &rows)
{
    std::string path = "/tmp/sales_report_" + std::to_string(getpid()) + "_" +
                       std::to_string(std::time(nullptr)) + ".csv";
    FILE *fp = std::fopen(path.c_str(), "w");
    if (fp == nullptr)
        return "";

    std::fprintf(fp, "region,product,units,revenue\n");
    for (const SalesRow &r : rows)
        std::fprintf(fp, "%s,%s,%ld,%.2f\n", r.region.c_str(), r.product.c_str(), r.units,
                     r.revenue);

    if (std::fclose(fp) != 0) {
        unlink(path.c_str());
        return "";
    }
    return path;
}
