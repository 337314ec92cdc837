#include <stdio.h>
#include <time.h>

void audit_login(FILE *log, const char *username, int ok)
{
    fprintf(log, "%ld login user=%s result=%s\n", (long)time(NULL), username, ok ? "ok" : "fail");
    fflush(log);
}
