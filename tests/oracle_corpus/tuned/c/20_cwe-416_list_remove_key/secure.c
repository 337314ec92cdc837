#include <stdlib.h>
#include <string.h>

struct node {
    char *key;
    struct node *next;
};

void remove_key(struct node **head, const char *key)
{
    struct node *cur = *head, *prev = NULL;

    while (cur != NULL) {
        if (strcmp(cur->key, key) == 0) {
            struct node *next = cur->next;
            if (prev != NULL)
                prev->next = cur->next;
            else
                *head = cur->next;
            free(cur->key);
            free(cur);
            cur = next;
        } else {
            prev = cur;
            cur = cur->next;
        }
    }
}
