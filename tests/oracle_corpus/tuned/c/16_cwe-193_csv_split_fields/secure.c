#include <string.h>

#define MAX_FIELDS 8

int split_csv(char *line, char *fields[MAX_FIELDS])
{
    int n = 0;
    char *tok = strtok(line, ",");

    while (tok != NULL && n < MAX_FIELDS) {
        fields[n++] = tok;
        tok = strtok(NULL, ",");
    }
    return n;
}
