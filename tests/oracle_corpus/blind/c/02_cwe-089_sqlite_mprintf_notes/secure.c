#include <stdio.h>
#include <sqlite3.h>

static int print_title(void *unused, int ncols, char **values, char **names)
{
    (void)unused;
    (void)names;
    if (ncols > 0 && values[0] != NULL)
        printf("%s\n", values[0]);
    return 0;
}

int list_notes_by_tag(sqlite3 *db, const char *tag)
{
    char *err = NULL;
    char *sql = sqlite3_mprintf(
        "SELECT title FROM notes WHERE tag = '%q' ORDER BY created_at DESC;", tag);
    if (sql == NULL)
        return -1;

    int rc = sqlite3_exec(db, sql, print_title, NULL, &err);
    sqlite3_free(sql);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "query failed: %s\n", err ? err : "unknown error");
        sqlite3_free(err);
        return -1;
    }
    return 0;
}
