#include <climits>
#include <cstdio>
#include <cstring>
#include <string>

#define THEME_DIR "/usr/share/webmail/themes"

// Loads the stylesheet of the theme selected in the user's preferences
// (stored as the "theme" cookie, e.g. "solarized") into css.
// Returns false if the theme does not exist or cannot be read.
bool load_theme_css(const char *theme, std::string &css)
{
    char path[PATH_MAX];

    if (theme == NULL || *theme == '\0')
        theme = "default";

    /* theme names are made of letters, digits, '-' and '_' only */
    size_t len = strlen(theme);
    if (len > 64 || strspn(theme, "abcdefghijklmnopqrstuvwxyz"
                                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "0123456789-_") != len)
        return false;

    int n = snprintf(path, sizeof(path), "%s/%s/style.css", THEME_DIR, theme);
    if (n < 0 || (size_t)n >= sizeof(path))
        return false;

    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return false;

    char buf[4096];
    size_t got;
    css.clear();
    while ((got = fread(buf, 1, sizeof(buf), fp)) > 0)
        css.append(buf, got);

    bool ok = !ferror(fp);
    fclose(fp);
    return ok;
}
