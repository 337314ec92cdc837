#include <stdio.h>
#include <string.h>
#include <sqlite3.h>

static int print_row(void *unused, int ncols, char **values, char **names)
{
    (void)unused;
    for (int i = 0; i < ncols; i++)
        printf("%s=%s\n", names[i], values[i] ? values[i] : "NULL");
    return 0;
}

/* Print the id and email of the user with the given name. Returns 0 on success. */
int find_user(sqlite3 *db, const char *username)
{
    char sql[512];
    char *err = NULL;

    snprintf(sql, sizeof sql, "SELECT id, email FROM users WHERE name = '%s';", username);
    if (sqlite3_exec(db, sql, print_row, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "query failed: %s\n", err);
        sqlite3_free(err);
        return -1;
    }
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
