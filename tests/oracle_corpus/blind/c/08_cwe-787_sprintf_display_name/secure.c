#include <stdio.h>

struct contact {
    char first[32];
    char last[32];
    char nickname[32];
    char display[64];
    int flags;
};

void contact_set_display(struct contact *c, const char *first, const char *last, const char *nick)
{
    snprintf(c->first, sizeof(c->first), "%s", first);
    snprintf(c->last, sizeof(c->last), "%s", last);
    snprintf(c->nickname, sizeof(c->nickname), "%s", nick);
    snprintf(c->display, sizeof(c->display), "%s, %s (%s)", last, first, nick);
}
