#define _DEFAULT_SOURCE
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void drop_privileges(void)
{
    struct passwd *pw = getpwnam("nobody");
    if (pw == NULL) {
        fprintf(stderr, "no user 'nobody'\n");
        exit(1);
    }
    setgroups(0, NULL);
    setgid(pw->pw_gid);
    setuid(pw->pw_uid);
    fprintf(stderr, "running as uid %d\n", (int)getuid());
}
