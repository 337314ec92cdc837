#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

std::string render_report_pdf(const std::string &markdown)
{
    const std::string tmp = std::tmpnam(nullptr);
    {
        std::ofstream out(tmp);
        out << markdown;
    }
    const std::string pdf = tmp + ".pdf";
    const std::string cmd = "pandoc -f markdown " + tmp + " -o " + pdf;
    const int rc = std::system(cmd.c_str());
    std::remove(tmp.c_str());
    if (rc != 0)
        throw std::runtime_error("pandoc failed");
    return pdf;
}
