#include <stddef.h>
#include <string.h>

#define KEY_LEN 16

struct cipher_state {
    unsigned char key[KEY_LEN];
    unsigned char iv[16];
    int ready;
};

int install_key(struct cipher_state *st, const unsigned char *msg_key, size_t msg_key_len)
{
    memcpy(st->key, msg_key, msg_key_len);
    st->ready = 1;
    return 0;
}
