#include <ctype.h>
#include <stdlib.h>
#include <string.h>

char *upper_dup(const char *s)
{
    size_t len = strlen(s);
    char *out = malloc(len + 1);

    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < len; i++)
        out[i] = (char)toupper((unsigned char)s[i]);
    out[len] = '\0';
    return out;
}
