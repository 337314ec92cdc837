#define _DEFAULT_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DRAFTS_DIR "/var/lib/blog/drafts"

int delete_draft(const char *draft_name)
{
    char path[PATH_MAX];
    char resolved[PATH_MAX];

    if (snprintf(path, sizeof(path), "%s/%s", DRAFTS_DIR, draft_name) >= (int)sizeof(path))
        return -1;
    if (realpath(path, resolved) == NULL)
        return -1;
    if (strncmp(resolved, DRAFTS_DIR "/", strlen(DRAFTS_DIR "/")) != 0)
        return -1;
    if (unlink(resolved) != 0) {
        perror("unlink");
        return -1;
    }
    return 0;
}
