#include <stdio.h>
#include <syslog.h>

void log_failed_login(const char *username, const char *ip)
{
    char msg[256];

    snprintf(msg, sizeof msg, "failed login for %s from %s", username, ip);
    syslog(LOG_WARNING, "%s", msg);
}
