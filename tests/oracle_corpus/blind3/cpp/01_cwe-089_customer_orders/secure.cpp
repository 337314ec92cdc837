#include <sqlite3.h>

#include <iostream>
#include <string>
#include <vector>

struct Order {
    int id = 0;
    std::string product;
    double total = 0.0;
    std::string status;
};

static std::string column_string(sqlite3_stmt *stmt, int col)
{
    const unsigned char *text = sqlite3_column_text(stmt, col);
    return text ? reinterpret_cast<const char *>(text) : std::string();
}

// Returns every order placed by the customer with the given e-mail address,
// newest first. The address comes from the support-desk search box.
std::vector<Order> find_orders_by_customer(sqlite3 *db, const std::string &email)
{
    std::vector<Order> orders;

    std::string sql =
        "SELECT o.id, o.product, o.total, o.status "
        "FROM orders o JOIN customers c ON c.id = o.customer_id "
        "WHERE c.email = ? "
        "ORDER BY o.created_at DESC";

    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
        std::cerr << "failed to prepare query: " << sqlite3_errmsg(db) << '\n';
        return orders;
    }
    sqlite3_bind_text(stmt, 1, email.c_str(), -1, SQLITE_TRANSIENT);

    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        Order o;
        o.id = sqlite3_column_int(stmt, 0);
        o.product = column_string(stmt, 1);
        o.total = sqlite3_column_double(stmt, 2);
        o.status = column_string(stmt, 3);
        orders.push_back(std::move(o));
    }
    if (rc != SQLITE_DONE)
        std::cerr << "query failed: " << sqlite3_errmsg(db) << '\n';

    sqlite3_finalize(stmt);
    return orders;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::cerr << "usage: " << argv[0] << " <customer-email>\n";
        return 1;
    }

    sqlite3 *db = nullptr;
    if (sqlite3_open_v2("shop.db", &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        std::cerr << "cannot open database: " << sqlite3_errmsg(db) << '\n';
        sqlite3_close(db);
        return 1;
    }

    for (const Order &o : find_orders_by_customer(db, argv[1]))
        std::cout << o.id << '\t' << o.product << '\t' << o.total << '\t' << o.status << '\n';

    sqlite3_close(db);
    return 0;
}
