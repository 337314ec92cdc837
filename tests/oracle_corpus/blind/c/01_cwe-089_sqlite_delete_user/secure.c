#include <stdio.h>
#include <sqlite3.h>

int delete_user(sqlite3 *db, const char *username)
{
    sqlite3_stmt *stmt = NULL;
    int rc;

    if (sqlite3_prepare_v2(db, "DELETE FROM users WHERE username = ?;", -1, &stmt, NULL) != SQLITE_OK) {
        fprintf(stderr, "delete_user: %s\n", sqlite3_errmsg(db));
        return -1;
    }
    sqlite3_bind_text(stmt, 1, username, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "delete_user: %s\n", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}
