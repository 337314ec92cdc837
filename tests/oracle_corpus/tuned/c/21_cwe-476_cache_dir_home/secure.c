#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *cache_dir(void)
{
    const char *home = getenv("HOME");
    if (home == NULL || home[0] == '\0')
        return NULL;
    size_t len = strlen(home) + sizeof "/.cache/app";
    char *path = malloc(len);

    if (path == NULL)
        return NULL;
    snprintf(path, len, "%s/.cache/app", home);
    return path;
}
