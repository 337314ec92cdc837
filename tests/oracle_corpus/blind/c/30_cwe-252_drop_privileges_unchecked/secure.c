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
    if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) {
        perror("drop_privileges");
        exit(1);
    }
    fprintf(stderr, "running as uid %d\n", (int)getuid());
}
