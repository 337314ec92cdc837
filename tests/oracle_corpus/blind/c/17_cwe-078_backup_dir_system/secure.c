#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int backup_project(const char *name)
{
    char archive[512];
    char source[512];

    snprintf(archive, sizeof(archive), "/var/backups/%s.tar.gz", name);
    snprintf(source, sizeof(source), "/srv/projects/%s", name);
    char *const argv[] = { "tar", "czf", archive, "--", source, NULL };
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execvp("tar", argv);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
