#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

char **strlist_dup(char *const *src)
{
    size_t n = 0;
    while (src[n] != NULL)
        n++;

    char **copy = malloc((n + 1) * sizeof(char *));
    if (copy == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        copy[i] = strdup(src[i]);
        if (copy[i] == NULL) {
            while (i > 0)
                free(copy[--i]);
            free(copy);
            return NULL;
        }
    }
    copy[n] = NULL;
    return copy;
}
