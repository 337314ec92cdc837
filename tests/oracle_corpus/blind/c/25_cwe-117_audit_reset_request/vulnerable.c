#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>

void audit_password_reset(FILE *log, const char *email, const char *client_ip)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(log, "%s reset-request email=%s ip=%s\n", when, email, client_ip);
    fflush(log);
}
