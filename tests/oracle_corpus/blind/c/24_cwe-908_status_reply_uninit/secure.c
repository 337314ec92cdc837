#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

struct status_reply {
    uint8_t version;
    uint16_t players;
    uint32_t uptime;
    char map_name[32];
};

int send_status(int sock, uint16_t players, uint32_t uptime, const char *map)
{
    struct status_reply reply;

    memset(&reply, 0, sizeof(reply));
    reply.version = 2;
    reply.players = players;
    reply.uptime = uptime;
    strncpy(reply.map_name, map, sizeof(reply.map_name) - 1);
    reply.map_name[sizeof(reply.map_name) - 1] = '\0';

    ssize_t n = send(sock, &reply, sizeof(reply), 0);
    return n == (ssize_t)sizeof(reply) ? 0 : -1;
}
