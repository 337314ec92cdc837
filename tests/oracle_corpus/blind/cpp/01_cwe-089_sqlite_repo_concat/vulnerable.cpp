#include <sqlite3.h>
#include <stdexcept>
#include <string>
#include <vector>

class OrderRepository {
public:
    explicit OrderRepository(sqlite3 *db) : db_(db) {}

    std::vector<long long> orderIdsForEmail(const std::string &email) {
        std::vector<long long> ids;
        sqlite3_stmt *stmt = nullptr;
        std::string sql = "SELECT id FROM orders WHERE customer_email = '" + email + "'";
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
            throw std::runtime_error(sqlite3_errmsg(db_));
        }
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            ids.push_back(sqlite3_column_int64(stmt, 0));
        }
        sqlite3_finalize(stmt);
        return ids;
    }

private:
    sqlite3 *db_;
};
