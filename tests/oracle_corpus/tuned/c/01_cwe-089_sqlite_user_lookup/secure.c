#include <stdio.h>
#include <string.h>
#include <sqlite3.h>

/* Print the id and email of the user with the given name. Returns 0 on success. */
int find_user(sqlite3 *db, const char *username)
{
    sqlite3_stmt *stmt = NULL;

    if (sqlite3_prepare_v2(db, "SELECT id, email FROM users WHERE name = ?;", -1, &stmt, NULL) != SQLITE_OK) {
        fprintf(stderr, "query failed: %s\n", sqlite3_errmsg(db));
        return -1;
    }
    sqlite3_bind_text(stmt, 1, username, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(stmt) == SQLITE_ROW)
        printf("id=%d\nemail=%s\n", sqlite3_column_int(stmt, 0), (const char *)sqlite3_column_text(stmt, 1));
    sqlite3_finalize(stmt);
    return 0;
}

int main(int argc, char **argv)
{
    sqlite3 *db;
    char name[128];

    if (argc < 2 || sqlite3_open(argv[1], &db) != SQLITE_OK)
        return 1;
    printf("username: ");
    if (fgets(name, sizeof name, stdin) == NULL)
        return 1;
    name[strcspn(name, "\n")] = '\0';
    int rc = find_user(db, name);
    sqlite3_close(db);
    return rc == 0 ? 0 : 1;
}
