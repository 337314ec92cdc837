#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <ctype.h>

static int valid_domain(const char *d)
{
    if (d[0] == '\0' || d[0] == '-' || strlen(d) > 253)
        return 0;
    for (const char *p = d; *p; p++) {
        if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-')
            return 0;
    }
    return 1;
}

int whois_lookup(const char *domain, char *out, size_t out_len)
{
    char cmd[300];
    size_t used = 0;
    char line[256];

    if (!valid_domain(domain))
        return -1;
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
