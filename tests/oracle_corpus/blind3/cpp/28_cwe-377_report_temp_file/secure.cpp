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
    char tmpl[] = "/tmp/sales_report_XXXXXX.csv";
    int fd = mkstemps(tmpl, 4); // O_CREAT|O_EXCL, mode 0600
    if (fd < 0)
        return "";
    std::string path = tmpl;
    FILE *fp = fdopen(fd, "w");
    if (fp == nullptr) {
        close(fd);
        unlink(path.c_str());
        return "";
    }

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
