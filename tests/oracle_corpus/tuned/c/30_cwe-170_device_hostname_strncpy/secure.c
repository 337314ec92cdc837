#include <stdio.h>
#include <string.h>

struct device {
    char hostname[32];
    int port;
};

void set_endpoint(struct device *d, const char *host, int port)
{
    strncpy(d->hostname, host, sizeof d->hostname);
    d->hostname[sizeof d->hostname - 1] = '\0';
    d->port = port;
    printf("device at %s:%d\n", d->hostname, d->port);
}
