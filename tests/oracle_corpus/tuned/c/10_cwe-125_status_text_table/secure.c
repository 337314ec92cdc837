#include <stdio.h>

static const char *const STATUS_TEXT[] = {"new", "paid", "shipped", "delivered", "cancelled"};

const char *status_text(int code)
{
    if (code < 0 || (size_t)code >= sizeof STATUS_TEXT / sizeof STATUS_TEXT[0])
        return "unknown";
    return STATUS_TEXT[code];
}

void print_order(int id, int status)
{
    printf("order %d: %s\n", id, status_text(status));
}
