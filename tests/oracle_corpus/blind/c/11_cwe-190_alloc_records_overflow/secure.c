#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct record {
    uint32_t sensor_id;
    uint32_t timestamp;
    double value;
};

struct record *load_records(FILE *fp, uint64_t *count_out)
{
    uint64_t count;

    if (fread(&count, sizeof(count), 1, fp) != 1)
        return NULL;
    if (count == 0 || count > SIZE_MAX / sizeof(struct record))
        return NULL;
    struct record *recs = malloc((size_t)count * sizeof(struct record));
    if (recs == NULL)
        return NULL;
    for (uint64_t i = 0; i < count; i++) {
        if (fread(&recs[i], sizeof(struct record), 1, fp) != 1) {
            free(recs);
            return NULL;
        }
    }
    *count_out = count;
    return recs;
}
