#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

int whois_lookup(const char *domain, char *out, size_t out_len)
{
    char cmd[300];
    size_t used = 0;
    char line[256];

    snprintf(cmd, sizeof(cmd), "whois %s", domain);
    FILE *p = popen(cmd, "r");
    if (p == NULL)
        return -1;
    out[0] = '\0';
    while (fgets(line, sizeof(line), p) != NULL) {
        size_t n = strlen(line);
        if (used + n + 1 > out_len)
            break;
        memcpy(out + used, line, n + 1);
        used += n;
    }
    return pclose(p) == 0 ? 0 : -1;
}
