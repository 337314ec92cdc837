#include <iostream>
#include <string>
#include <sqlite3.h>

bool delete_saved_search(sqlite3 *db, int user_id, const std::string &name)
{
    std::string sql = "DELETE FROM saved_searches WHERE user_id = " + std::to_string(user_id) +
                      " AND name = '" + name + "';";
    char *err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::cerr << "delete failed: " << err << '\n';
        sqlite3_free(err);
        return false;
    }
    return sqlite3_changes(db) > 0;
}
