#include <stdio.h>
#include <string.h>

void set_window_title(const char *track_name)
{
    char title[128];

    snprintf(title, sizeof(title), track_name);
    printf("\033]0;%s - tplay\007", title);
    fflush(stdout);
}
