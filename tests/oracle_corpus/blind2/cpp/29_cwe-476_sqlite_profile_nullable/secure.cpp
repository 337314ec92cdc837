#include <sqlite3.h>

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

struct Profile {
    int64_t id = 0;
    std::string display_name;
    std::string bio;
    std::string avatar_url;
};

static std::string column_string(sqlite3_stmt* stmt, int col)
{
    const unsigned char* text = sqlite3_column_text(stmt, col);
    if (text == nullptr) {
        return std::string();
    }
    return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_column_bytes(stmt, col)));
}

std::optional<Profile> load_profile(sqlite3* db, int64_t user_id)
{
    static const char* sql = "SELECT id, display_name, bio, avatar_url FROM profiles WHERE id = ?1";
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
        std::cerr << "prepare: " << sqlite3_errmsg(db) << "\n";
        return std::nullopt;
    }
    sqlite3_bind_int64(stmt, 1, user_id);

    std::optional<Profile> result;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
        Profile p;
        p.id = sqlite3_column_int64(stmt, 0);
        p.display_name = column_string(stmt, 1);
        p.bio = column_string(stmt, 2);
        p.avatar_url = column_string(stmt, 3);
        result = p;
    }
    sqlite3_finalize(stmt);
    return result;
}

int main(int argc, char* argv[])
{
    if (argc != 3) {
        std::cerr << "usage: " << argv[0] << " <db> <user-id>\n";
        return 2;
    }
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        std::cerr << "cannot open database\n";
        sqlite3_close(db);
        return 1;
    }
    const auto profile = load_profile(db, std::strtoll(argv[2], nullptr, 10));
    sqlite3_close(db);

    if (!profile) {
        std::cout << "no such user\n";
        return 1;
    }
    std::cout << "name:   " << profile->display_name << "\n"
              << "bio:    " << profile->bio << "\n"
              << "avatar: " << profile->avatar_url << "\n";
    return 0;
}
