#include <stdio.h>
#include <time.h>

void audit_login(FILE *log, const char *username, int ok)
{
    char clean[128];
    size_t j = 0;
    for (size_t i = 0; username[i] != '\0' && j < sizeof clean - 1; i++) {
        unsigned char c = (unsigned char)username[i];
        clean[j++] = (c < 0x20 || c == 0x7f) ? '_' : (char)c;
    }
    clean[j] = '\0';
    fprintf(log, "%ld login user=%s result=%s\n", (long)time(NULL), clean, ok ? "ok" : "fail");
    fflush(log);
}
