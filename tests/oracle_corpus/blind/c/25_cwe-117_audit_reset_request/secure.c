#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <ctype.h>

static void sanitize(char *dst, size_t dst_len, const char *src)
{
    size_t i = 0;
    for (; src[i] != '\0' && i + 1 < dst_len; i++)
        dst[i] = iscntrl((unsigned char)src[i]) ? '?' : src[i];
    dst[i] = '\0';
}

void audit_password_reset(FILE *log, const char *email, const char *client_ip)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    char clean[256];
    sanitize(clean, sizeof(clean), email);
    fprintf(log, "%s reset-request email=%s ip=%s\n", when, clean, client_ip);
    fflush(log);
}
