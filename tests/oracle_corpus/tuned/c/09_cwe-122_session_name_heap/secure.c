#include <stdlib.h>
#include <string.h>

#define MAX_NAME 64

struct session {
    char *name;
    int authenticated;
};

int parse_login(struct session *s, const unsigned char *pkt, size_t pkt_len)
{
    if (pkt_len < 2)
        return -1;
    size_t declared = ((size_t)pkt[0] << 8) | pkt[1];
    if (declared >= MAX_NAME || declared > pkt_len - 2)
        return -1;

    s->name = malloc(MAX_NAME);
    if (s->name == NULL)
        return -1;
    memcpy(s->name, pkt + 2, declared);
    s->name[declared] = '\0';
    s->authenticated = 0;
    return 0;
}
