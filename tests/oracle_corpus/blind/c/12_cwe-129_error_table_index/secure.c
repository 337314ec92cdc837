#include <stddef.h>

static const char *const k_messages[] = {
    "ok",
    "bad request",
    "unauthorized",
    "not found",
    "conflict",
    "rate limited",
    "internal error",
};

#define N_MESSAGES (sizeof(k_messages) / sizeof(k_messages[0]))

const char *peer_error_text(int code)
{
    if (code < 0 || code >= (int)N_MESSAGES)
        return "unknown error";
    return k_messages[code];
}
