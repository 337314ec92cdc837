#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    const char *qs = getenv("QUERY_STRING");
    char cmd[320], line[256];

    printf("Content-Type: text/plain\r\n\r\n");
    if (qs == NULL || strncmp(qs, "host=", 5) != 0)
        return 0;
    const char *host = qs + 5;
    snprintf(cmd, sizeof cmd, "ping -c 1 %s", host);
    FILE *p = popen(cmd, "r");
    if (p == NULL)
        return 1;
    while (fgets(line, sizeof line, p) != NULL)
        fputs(line, stdout);
    pclose(p);
    return 0;
}
