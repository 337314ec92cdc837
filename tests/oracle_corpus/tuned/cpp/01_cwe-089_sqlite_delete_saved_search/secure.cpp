#include <iostream>
#include <string>
#include <sqlite3.h>

bool delete_saved_search(sqlite3 *db, int user_id, const std::string &name)
{
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(db, "DELETE FROM saved_searches WHERE user_id = ? AND name = ?;", -1, &stmt,
                           nullptr) != SQLITE_OK) {
        std::cerr << "delete failed: " << sqlite3_errmsg(db) << '\n';
        return false;
    }
    sqlite3_bind_int(stmt, 1, user_id);
    sqlite3_bind_text(stmt, 2, name.c_str(), -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        return false;
    return sqlite3_changes(db) > 0;
}
