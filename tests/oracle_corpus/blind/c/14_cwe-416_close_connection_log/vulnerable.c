#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct client {
    int fd;
    char nick[32];
    char *pending;
    struct client *next;
};

void client_close(struct client *c)
{
    close(c->fd);
    free(c->pending);
    free(c);
    printf("client %d (%s) disconnected\n", c->fd, c->nick);
}
