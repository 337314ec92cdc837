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
    strcpy(path, home);
    strcat(path, "/.config/notes/settings.ini");
    return fopen(path, "r");
}
