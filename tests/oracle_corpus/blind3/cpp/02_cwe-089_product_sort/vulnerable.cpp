#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>

namespace catalog {

struct PageRequest {
    std::string sort_by;   // value of the ?sort= query parameter
    bool descending = false;
    int page = 1;
};

static constexpr int kPageSize = 25;

static int append_row(void *ctx, int ncols, char **values, char ** /*names*/)
{
    auto *out = static_cast<std::ostringstream *>(ctx);
    for (int i = 0; i < ncols; ++i) {
        if (i > 0)
            *out << ',';
        *out << (values[i] ? values[i] : "");
    }
    *out << '\n';
    return 0;
}

// Returns one page of the product list as CSV, sorted by the column the user
// clicked on in the table header of the catalogue page.
std::string product_page_csv(sqlite3 *db, const PageRequest &req)
{
    std::string order_column = req.sort_by.empty() ? "name" : req.sort_by;

    int page = std::clamp(req.page, 1, 10000);
    std::string sql = "SELECT id, name, price, rating FROM products ORDER BY " +
                      order_column + (req.descending ? " DESC" : " ASC") +
                      " LIMIT " + std::to_string(kPageSize) +
                      " OFFSET " + std::to_string((page - 1) * kPageSize);

    std::ostringstream csv;
    csv << "id,name,price,rating\n";
    char *err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), append_row, &csv, &err) != SQLITE_OK) {
        std::cerr << "product query failed: " << (err ? err : "unknown error") << '\n';
        sqlite3_free(err);
        return {};
    }
    return csv.str();
}

} // namespace catalog

int main()
{
    sqlite3 *db = nullptr;
    if (sqlite3_open("catalog.db", &db) != SQLITE_OK) {
        std::cerr << "cannot open catalog.db\n";
        return 1;
    }

    catalog::PageRequest req;
    if (const char *s = std::getenv("SORT"))
        req.sort_by = s;
    if (const char *d = std::getenv("DESC"))
        req.descending = std::string(d) == "1";
    if (const char *p = std::getenv("PAGE"))
        req.page = std::atoi(p);

    std::cout << catalog::product_page_csv(db, req);
    sqlite3_close(db);
    return 0;
}
