#include <sqlite3.h>

#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

struct Order {
    int id = 0;
    std::string product;
    double amount = 0.0;
};

std::vector<Order> find_orders_by_email(sqlite3* db, const std::string& email)
{
    std::vector<Order> orders;
    std::string sql =
        "SELECT o.id, o.product, o.amount FROM orders o "
        "JOIN customers c ON c.id = o.customer_id "
        "WHERE c.email = ? ORDER BY o.id;";

    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
        throw std::runtime_error(std::string("prepare failed: ") + sqlite3_errmsg(db));
    }
    if (sqlite3_bind_text(stmt, 1, email.c_str(), -1, SQLITE_TRANSIENT) != SQLITE_OK) {
        sqlite3_finalize(stmt);
        throw std::runtime_error(std::string("bind failed: ") + sqlite3_errmsg(db));
    }

    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        Order o;
        o.id = sqlite3_column_int(stmt, 0);
        const unsigned char* product = sqlite3_column_text(stmt, 1);
        o.product = product ? reinterpret_cast<const char*>(product) : "";
        o.amount = sqlite3_column_double(stmt, 2);
        orders.push_back(o);
    }
    sqlite3_finalize(stmt);

    if (rc != SQLITE_DONE) {
        throw std::runtime_error(std::string("query failed: ") + sqlite3_errmsg(db));
    }
    return orders;
}

int main(int argc, char* argv[])
{
    if (argc != 3) {
        std::cerr << "usage: " << argv[0] << " <database> <email>\n";
        return EXIT_FAILURE;
    }

    sqlite3* db = nullptr;
    if (sqlite3_open(argv[1], &db) != SQLITE_OK) {
        std::cerr << "cannot open database: " << sqlite3_errmsg(db) << "\n";
        sqlite3_close(db);
        return EXIT_FAILURE;
    }

    try {
        const auto orders = find_orders_by_email(db, argv[2]);
        for (const auto& o : orders) {
            std::cout << std::setw(6) << o.id << "  " << std::left << std::setw(30) << o.product
                      << std::right << std::fixed << std::setprecision(2) << o.amount << "\n";
        }
        std::cout << orders.size() << " order(s)\n";
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        sqlite3_close(db);
        return EXIT_FAILURE;
    }

    sqlite3_close(db);
    return EXIT_SUCCESS;
}
