#include <stdio.h>
#include <sqlite3.h>

int delete_user(sqlite3 *db, const char *username)
{
    char sql[512];
    char *errmsg = NULL;

    snprintf(sql, sizeof(sql), "DELETE FROM users WHERE username = '%s';", username);
    if (sqlite3_exec(db, sql, NULL, NULL, &errmsg) != SQLITE_OK) {
        fprintf(stderr, "delete_user: %s\n", errmsg);
        sqlite3_free(errmsg);
        return -1;
    }
    return 0;
}
