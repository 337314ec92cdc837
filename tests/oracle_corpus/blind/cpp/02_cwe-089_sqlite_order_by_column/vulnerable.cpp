#include <iostream>
#include <set>
#include <string>
#include <sqlite3.h>

static int printRow(void *, int argc, char **argv, char **)
{
    for (int i = 0; i < argc; ++i)
        std::cout << (argv[i] ? argv[i] : "NULL") << (i + 1 < argc ? "\t" : "\n");
    return 0;
}

bool listProducts(sqlite3 *db, const std::string &sortColumn)
{
    std::string sql = "SELECT name, price, stock FROM products ORDER BY " + sortColumn + ";";
    char *err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), printRow, nullptr, &err) != SQLITE_OK) {
        std::cerr << "query failed: " << err << "\n";
        sqlite3_free(err);
        return false;
    }
    return true;
}
