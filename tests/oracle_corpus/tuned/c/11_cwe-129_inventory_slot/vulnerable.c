#include <stdio.h>

#define NUM_SLOTS 16

static int inventory[NUM_SLOTS];

int handle_set(const char *cmd)
{
    int slot, qty;

    if (sscanf(cmd, "SET %d %d", &slot, &qty) != 2)
        return -1;
    inventory[slot] = qty;
    return 0;
}
