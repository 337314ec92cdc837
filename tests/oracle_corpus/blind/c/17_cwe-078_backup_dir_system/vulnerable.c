#include <stdio.h>
#include <stdlib.h>

int backup_project(const char *name)
{
    char archive[512];
    char source[512];

    snprintf(archive, sizeof(archive), "/var/backups/%s.tar.gz", name);
    snprintf(source, sizeof(source), "/srv/projects/%s", name);
    char cmd[1200];
    snprintf(cmd, sizeof(cmd), "tar czf %s %s", archive, source);
    int status = system(cmd);
    return status == 0 ? 0 : -1;
}
