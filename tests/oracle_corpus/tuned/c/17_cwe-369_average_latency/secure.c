#include <stdio.h>

int print_average(const char *path)
{
    unsigned long count, total;
    FILE *f = fopen(path, "r");

    if (f == NULL)
        return -1;
    if (fscanf(f, "%lu %lu", &count, &total) != 2) {
        fclose(f);
        return -1;
    }
    fclose(f);
    if (count == 0) {
        puts("no requests yet");
        return 0;
    }
    printf("average latency: %lu ms\n", total / count);
    return 0;
}
