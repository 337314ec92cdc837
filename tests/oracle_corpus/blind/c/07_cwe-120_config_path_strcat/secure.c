#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH_BUF 256

FILE *open_settings(void)
{
    char path[PATH_BUF];
    const char *home = getenv("HOME");

    if (home == NULL)
        return NULL;
    int n = snprintf(path, sizeof(path), "%s/.config/notes/settings.ini", home);
    if (n < 0 || (size_t)n >= sizeof(path))
        return NULL;
    return fopen(path, "r");
}
