#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>

int parse_throughput(const char *line, uint64_t *bytes_per_sec)
{
    uint64_t bytes = 0;
    uint64_t interval_ms = 0;

    if (sscanf(line, "bytes=%" SCNu64 ";interval_ms=%" SCNu64, &bytes, &interval_ms) != 2)
        return -1;
    *bytes_per_sec = bytes * 1000 / interval_ms;
    return 0;
}
