/* Fixtures for tsp_utils/oracle/rules/c.yml (issue #22 rules and the false alarms they fixed), semgrep-rules style:
   each annotation names the rule that must (or must not) match the next line. Checked by semgrep's test mode in
   tests/test_oracle_rules.py. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <ctype.h>
#include <stdint.h>

int find_user(sqlite3 *db, const char *username)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT id FROM users WHERE name = '%s';", username);
    // ruleid: c-sql-built-query
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

int find_user_bound(sqlite3 *db, const char *username)
{
    sqlite3_stmt *stmt = NULL;
    // ok: c-sql-built-query
    sqlite3_prepare_v2(db, "SELECT id FROM users WHERE name = ?;", -1, &stmt, NULL);
    return sqlite3_bind_text(stmt, 1, username, -1, SQLITE_TRANSIENT);
}

int count_rows(sqlite3 *db, int limit)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM t LIMIT %d;", limit);
    // ok: c-sql-built-query
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

int hash_password(const char *password, unsigned char *out, unsigned int *len)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    // ruleid: c-weak-hash-md5, c-weak-password-digest
    EVP_DigestInit_ex(ctx, EVP_md5(), NULL);
    EVP_DigestUpdate(ctx, password, strlen(password));
    return EVP_DigestFinal_ex(ctx, out, len);
}

int derive_password_key(const char *password, const unsigned char *salt, unsigned char *out)
{
    // ok: c-weak-hash-md5, c-weak-password-digest
    return PKCS5_PBKDF2_HMAC(password, (int)strlen(password), salt, 16, 600000, EVP_sha256(), 32, out);
}

int file_digest(EVP_MD_CTX *ctx)
{
    // ok: c-weak-hash-md5
    return EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
}

int encrypt_zero_iv(EVP_CIPHER_CTX *ctx, const unsigned char *key)
{
    unsigned char iv[16];
    memset(iv, 0, sizeof iv);
    // ruleid: c-static-iv
    return EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, iv);
}

int encrypt_random_iv(EVP_CIPHER_CTX *ctx, const unsigned char *key)
{
    unsigned char iv[16];
    if (RAND_bytes(iv, sizeof iv) != 1)
        return -1;
    // ok: c-static-iv
    return EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, iv);
}

int derive_constant_salt(const char *pass, unsigned char salt_out[16], unsigned char key[32])
{
    static const unsigned char SALT[16] = "vol-salt-v1-2024";
    memcpy(salt_out, SALT, 16);
    // ruleid: c-constant-salt
    return PKCS5_PBKDF2_HMAC(pass, (int)strlen(pass), salt_out, 16, 310000, EVP_sha256(), 32, key);
}

int derive_random_salt(const char *pass, unsigned char salt_out[16], unsigned char key[32])
{
    if (RAND_bytes(salt_out, 16) != 1)
        return -1;
    // ok: c-constant-salt
    return PKCS5_PBKDF2_HMAC(pass, (int)strlen(pass), salt_out, 16, 310000, EVP_sha256(), 32, key);
}

unsigned char *sign_literal_key(const char *payload, unsigned char *mac, unsigned int *len)
{
    const char *key = "whsec_4f9a1c7e2b8d6035aa91";
    // ruleid: c-hardcoded-crypto-key
    return HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)payload, strlen(payload), mac, len);
}

unsigned char *sign_env_key(const char *payload, unsigned char *mac, unsigned int *len)
{
    const char *key = getenv("WEBHOOK_SECRET");
    if (key == NULL)
        return NULL;
    // ok: c-hardcoded-crypto-key
    return HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)payload, strlen(payload), mac, len);
}

static const unsigned char kAesKey[] = "0123456789abcdef0123456789abcdef";

int encrypt_global_key(EVP_CIPHER_CTX *ctx, const unsigned char *iv)
{
    // ruleid: c-hardcoded-crypto-key-global
    return EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, kAesKey, iv);
}

int rsa_keygen(EVP_PKEY_CTX *ctx)
{
    // ruleid: c-weak-key-size
    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 1024);
    // ok: c-weak-key-size
    return EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 3072);
}

xmlDocPtr parse_invoice(const char *buf, int len)
{
    // ruleid: c-libxml2-xxe
    xmlDocPtr a = xmlReadMemory(buf, len, "a.xml", NULL, XML_PARSE_NOENT);
    // ok: c-libxml2-xxe
    return xmlReadMemory(buf, len, "a.xml", NULL, XML_PARSE_NONET);
}

int save_token(const char *path)
{
    // ruleid: c-permissive-file-mode
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    // ok: c-permissive-file-mode
    int fd2 = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    return fd + fd2;
}

struct device { char hostname[32]; };

void set_host(struct device *d, const char *host)
{
    // ruleid: c-strncpy-unterminated
    strncpy(d->hostname, host, sizeof d->hostname);
}

void set_host_terminated(struct device *d, const char *host)
{
    // ok: c-strncpy-unterminated
    strncpy(d->hostname, host, sizeof d->hostname);
    d->hostname[sizeof d->hostname - 1] = '\0';
}

static const char *const STATUS[] = {"new", "paid", "shipped"};

const char *status_text(int code)
{
    // ruleid: c-table-index-unchecked
    return STATUS[code];
}

const char *status_text_checked(int code)
{
    if (code < 0 || code >= 3)
        return "unknown";
    // ok: c-table-index-unchecked
    return STATUS[code];
}

char *upper_dup(const char *s)
{
    size_t len = strlen(s);
    // ruleid: c-strlen-alloc-terminator-write
    char *out = malloc(len);
    if (out == NULL)
        return NULL;
    memcpy(out, s, len);
    out[len] = '\0';
    return out;
}

char *upper_dup_ok(const char *s)
{
    size_t len = strlen(s);
    // ok: c-strlen-alloc-terminator-write
    char *out = malloc(len + 1);
    if (out == NULL)
        return NULL;
    memcpy(out, s, len);
    out[len] = '\0';
    return out;
}

void strip_header(int sock, unsigned char *buf)
{
    ssize_t n = recv(sock, buf, 2048, 0);
    size_t len = (size_t)n;
    // ruleid: c-length-minus-header-unchecked
    size_t payload = len - HDR_LEN;
    consume(buf + HDR_LEN, payload);
}

void strip_header_checked(int sock, unsigned char *buf)
{
    ssize_t n = recv(sock, buf, 2048, 0);
    size_t len = (size_t)n;
    if (len < HDR_LEN)
        return;
    // ok: c-length-minus-header-unchecked
    size_t payload = len - HDR_LEN;
    consume(buf + HDR_LEN, payload);
}

unsigned long average(FILE *f)
{
    unsigned long count, total;
    if (fscanf(f, "%lu %lu", &count, &total) != 2)
        return 0;
    // ruleid: c-division-unchecked-divisor
    return total / count;
}

unsigned long average_checked(FILE *f)
{
    unsigned long count, total;
    if (fscanf(f, "%lu %lu", &count, &total) != 2)
        return 0;
    if (count == 0)
        return 0;
    // ok: c-division-unchecked-divisor
    return total / count;
}

int hex_decode(const char *hex, unsigned char *out, size_t out_size)
{
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned int b;
        sscanf(hex + 2 * i, "%2x", &b);
        // ruleid: c-output-capacity-ignored
        out[i] = (unsigned char)b;
    }
    return (int)n;
}

int hex_decode_checked(const char *hex, unsigned char *out, size_t out_size)
{
    size_t n = strlen(hex) / 2;
    if (n > out_size)
        return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned int b;
        sscanf(hex + 2 * i, "%2x", &b);
        // ok: c-output-capacity-ignored
        out[i] = (unsigned char)b;
    }
    return (int)n;
}

void audit_login(FILE *log, const char *username, int ok)
{
    // ruleid: c-log-injection
    fprintf(log, "login user=%s result=%d\n", username, ok);
}

void audit_login_count(FILE *log, const char *uuid, int ok)
{
    // ok: c-log-injection
    fprintf(log, "device=%s result=%d\n", uuid, ok);
}

int ping_unchecked(const char *host)
{
    char cmd[320];
    snprintf(cmd, sizeof cmd, "ping -c 1 %s", host);
    // ruleid: c-shell-command-nonliteral
    return system(cmd);
}

int ping(const char *host)
{
    char cmd[320];
    if (!valid_host(host))
        return -1;
    snprintf(cmd, sizeof cmd, "ping -c 1 %s", host);
    // ok: c-shell-command-nonliteral
    return system(cmd);
}

int sort_file(void)
{
    char name[] = "/tmp/sortXXXXXX";
    char cmd[64];
    int fd = mkstemp(name);
    if (fd < 0)
        return -1;
    snprintf(cmd, sizeof cmd, "sort %s", name);
    // ok: c-shell-command-nonliteral
    return system(cmd);
}

int checksum_upload(FILE *f)
{
    int rc = -1;
    unsigned char *data = malloc(4096);
    // ok: c-free-then-goto-cleanup
    if (fread(data, 1, 4096, f) == 0) {
        free(data);
        data = NULL;
        goto out;
    }
    rc = 0;
out:
    free(data);
    return rc;
}

int checksum_upload_twice(FILE *f)
{
    int rc = -1;
    unsigned char *data = malloc(4096);
    // ruleid: c-free-then-goto-cleanup
    if (fread(data, 1, 4096, f) == 0) {
        free(data);
        goto out;
    }
    rc = 0;
out:
    free(data);
    return rc;
}

/* ---------------------------------------------------------------- the older rules (before fixtures were kept) */

void greet(const char *user)
{
    char msg[64];
    // ruleid: c-sprintf-unbounded
    sprintf(msg, "Hello, %s!", user);
    puts(msg);
}

void greet_bounded(const char *user)
{
    char msg[64];
    // ok: c-sprintf-unbounded
    snprintf(msg, sizeof msg, "Hello, %s!", user);
    puts(msg);
}

struct account { char name[32]; int id; };

void set_name(struct account *a, const char *name)
{
    // ruleid: c-strcpy-unchecked
    strcpy(a->name, name);
}

int set_name_checked(struct account *a, const char *name)
{
    if (strlen(name) >= sizeof(a->name))
        return -1;
    // ok: c-strcpy-unchecked
    strcpy(a->name, name);
    return 0;
}

int read_login(char login[32])
{
    // ruleid: c-scanf-unbounded-string
    return scanf("%s", login);
}

int read_login_width(char login[32])
{
    // ok: c-scanf-unbounded-string
    return scanf("%31s", login);
}

char *read_line(char line[256])
{
    // ruleid: c-gets
    return gets(line);
}

char *read_line_bounded(char line[256])
{
    // ok: c-gets
    return fgets(line, 256, stdin);
}

struct message { int nitems; int items[32]; };

void parse_items(struct message *m, const int *src, int count)
{
    for (int i = 0; i < count; i++)
        // ruleid: c-loop-write-unbounded
        m->items[i] = src[i];
}

int parse_items_checked(struct message *m, const int *src, int count)
{
    if (count < 0 || count > 32)
        return -1;
    for (int i = 0; i < count; i++)
        // ok: c-loop-write-unbounded
        m->items[i] = src[i];
    return 0;
}

size_t collect_digits(const char *s, char digits[16])
{
    size_t n = 0;
    for (; *s; s++) {
        if (isdigit((unsigned char)*s)) {
            // ruleid: c-index-post-increment-unbounded
            digits[n++] = *s;
        }
    }
    return n;
}

size_t collect_digits_bounded(const char *s, char digits[16])
{
    size_t n = 0;
    for (; *s; s++) {
        if (isdigit((unsigned char)*s) && n < 15) {
            // ok: c-index-post-increment-unbounded
            digits[n++] = *s;
        }
    }
    digits[n] = '\0';
    return n;
}

typedef int (*opcode_handler)(const unsigned char *);
extern opcode_handler handlers[16];

int dispatch(const unsigned char *pkt)
{
    unsigned char op = pkt[0];
    // ruleid: c-index-from-input-unchecked
    return handlers[op](pkt + 1);
}

int dispatch_checked(const unsigned char *pkt)
{
    unsigned char op = pkt[0];
    if (op >= 16)
        return -1;
    // ok: c-index-from-input-unchecked
    return handlers[op](pkt + 1);
}

#define NSLOTS 8
static int slots[NSLOTS];

void clear_slots(void)
{
    for (int i = 0; i <= NSLOTS; i++)
        // ruleid: c-loop-off-by-one
        slots[i] = 0;
}

void clear_slots_ok(void)
{
    for (int i = 0; i < NSLOTS; i++)
        // ok: c-loop-off-by-one
        slots[i] = 0;
}

void terminate_line(char *line, size_t len, size_t cap)
{
    if (len > cap)
        return;
    // ruleid: c-size-check-off-by-one
    line[len] = '\0';
}

void terminate_line_ok(char *line, size_t len, size_t cap)
{
    if (len >= cap)
        return;
    // ok: c-size-check-off-by-one
    line[len] = '\0';
}

struct pixel { unsigned char r, g, b, a; };

struct pixel *alloc_image(size_t width, size_t height)
{
    // ruleid: c-alloc-size-overflow
    return malloc(width * height * sizeof(struct pixel));
}

struct pixel *alloc_image_checked(size_t width, size_t height)
{
    if (height != 0 && width > SIZE_MAX / sizeof(struct pixel) / height)
        return NULL;
    // ok: c-alloc-size-overflow
    return malloc(width * height * sizeof(struct pixel));
}

struct field { const char *data; uint16_t len; };

unsigned char *join_fields(const struct field *f, int n)
{
    uint16_t total = 0;
    unsigned char *buf;
    for (int i = 0; i < n; i++)
        // ruleid: c-accumulate-narrow-overflow
        total += f[i].len;
    buf = malloc(total);
    return buf;
}

unsigned char *join_fields_checked(const struct field *f, int n)
{
    uint16_t total = 0;
    unsigned char *buf;
    for (int i = 0; i < n; i++) {
        if (total > UINT16_MAX - f[i].len)
            return NULL;
        // ok: c-accumulate-narrow-overflow
        total += f[i].len;
    }
    buf = malloc(total);
    return buf;
}

struct node { struct node *next; char *value; };

void free_list(struct node *head)
{
    struct node *p;
    // ruleid: c-free-in-list-walk
    for (p = head; p != NULL; p = p->next)
        free(p);
}

void free_list_ok(struct node *head)
{
    struct node *p = head;
    // ok: c-free-in-list-walk
    while (p != NULL) {
        struct node *next = p->next;
        free(p);
        p = next;
    }
}

struct request { int status; char *body; };

int finish_request(struct request *req)
{
    free(req);
    // ruleid: c-use-after-free
    return req->status;
}

int finish_request_ok(struct request *req)
{
    int status = req->status;
    free(req);
    // ok: c-use-after-free
    return status;
}

void drop_queue(struct node *head)
{
    struct node *j = head;
    while (j != NULL) {
        // ruleid: c-use-after-free-in-assignment
        free(j);
        j = j->next;
    }
}

void drop_queue_ok(struct node *head)
{
    struct node *j = head;
    while (j != NULL) {
        struct node *next = j->next;
        // ok: c-use-after-free-in-assignment
        free(j);
        j = next;
    }
}

int send_reply(int fd, const char *msg)
{
    char *copy = strdup(msg);
    if (copy == NULL)
        return -1;
    int rc = (int)write(fd, copy, strlen(copy));
    // ruleid: c-double-free
    free(copy);
    if (rc < 0)
        perror("write");
    free(copy);
    return rc;
}

int send_reply_ok(int fd, const char *msg)
{
    char *copy = strdup(msg);
    if (copy == NULL)
        return -1;
    int rc = (int)write(fd, copy, strlen(copy));
    // ok: c-double-free
    free(copy);
    copy = NULL;
    if (rc < 0)
        perror("write");
    free(copy);
    return rc;
}

struct parser { char *line; size_t len; FILE *in; };

int parser_next(struct parser *p)
{
    // ruleid: c-free-struct-fields-not-cleared, c-double-free
    free(p->line);
    p->len = 0;
    if (read_next_line(p) < 0) {
        free(p->line);
        return -1;
    }
    return 0;
}

int parser_next_ok(struct parser *p)
{
    // ok: c-free-struct-fields-not-cleared, c-double-free
    free(p->line);
    p->line = NULL;
    p->len = 0;
    if (read_next_line(p) < 0) {
        free(p->line);
        return -1;
    }
    return 0;
}

size_t home_len(void)
{
    const char *home = getenv("HOME");
    // ruleid: c-unchecked-null-return
    return strlen(home);
}

size_t home_len_ok(void)
{
    const char *home = getenv("HOME");
    if (home == NULL)
        return 0;
    // ok: c-unchecked-null-return
    return strlen(home);
}

char *read_config(const char *path)
{
    char *buf = malloc(4096);
    if (buf == NULL)
        return NULL;
    FILE *f = fopen(path, "r");
    // ruleid: c-leak-on-early-return
    if (f == NULL)
        return NULL;
    size_t n = fread(buf, 1, 4095, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

char *read_config_ok(const char *path)
{
    char *buf = malloc(4096);
    if (buf == NULL)
        return NULL;
    FILE *f = fopen(path, "r");
    // ok: c-leak-on-early-return
    if (f == NULL) {
        free(buf);
        return NULL;
    }
    size_t n = fread(buf, 1, 4095, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

void log_message(FILE *out, const char *msg)
{
    // ruleid: c-format-string-nonliteral
    fprintf(out, msg);
}

void log_message_ok(FILE *out, const char *msg)
{
    // ok: c-format-string-nonliteral
    fprintf(out, "%s", msg);
}

FILE *open_upload(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "/var/uploads/%s", name);
    // ruleid: c-path-from-argument-unchecked
    return fopen(path, "rb");
}

FILE *open_upload_checked(const char *name)
{
    char path[256];
    if (strstr(name, "..") != NULL || strchr(name, '/') != NULL)
        return NULL;
    snprintf(path, sizeof path, "/var/uploads/%s", name);
    // ok: c-path-from-argument-unchecked
    return fopen(path, "rb");
}

static const char *const MONTHS[12] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

void print_month(const char *arg)
{
    // ruleid: c-index-from-atoi-unchecked
    int m = atoi(arg);
    printf("%s\n", MONTHS[m - 1]);
}

void print_month_checked(const char *arg)
{
    // ok: c-index-from-atoi-unchecked
    int m = atoi(arg);
    if (m < 1 || m > 12)
        return;
    printf("%s\n", MONTHS[m - 1]);
}

char *dup_string(const char *s)
{
    // ruleid: c-strlen-alloc-no-terminator
    char *copy = malloc(strlen(s));
    if (copy == NULL)
        return NULL;
    strcpy(copy, s);
    return copy;
}

char *dup_string_ok(const char *s)
{
    // ok: c-strlen-alloc-no-terminator
    char *copy = malloc(strlen(s) + 1);
    if (copy == NULL)
        return NULL;
    strcpy(copy, s);
    return copy;
}

int db_login(void)
{
    // ruleid: c-hardcoded-credential
    const char *db_password = "Xk9mP2vLq7";
    return db_connect("app", db_password);
}

int db_login_env(void)
{
    // ok: c-hardcoded-credential
    const char *db_password = getenv("DB_PASSWORD");
    if (db_password == NULL)
        return -1;
    return db_connect("app", db_password);
}

// ruleid: c-hardcoded-credential-define
#define ADMIN_PASSWORD "hunter2!x9"
// ok: c-hardcoded-credential-define
#define ADMIN_PASSWORD_ENV "APP_ADMIN_PASSWORD"
// ruleid: c-hardcoded-credential-define
#define AWS_SECRET_KEY "AKIAIOSFODNN7EXAMPLE"
// ok: c-hardcoded-credential-define
#define API_TOKEN_FILE "/run/secrets/api_token"

int is_admin(const char *password)
{
    // ruleid: c-password-compared-to-literal
    return strcmp(password, "Adm1n!2024") == 0;
}

int is_admin_hashed(const char *password, const char *stored_hash)
{
    // ok: c-password-compared-to-literal
    return crypto_pwhash_str_verify(stored_hash, password, strlen(password)) == 0;
}

void store_password(const char *password, unsigned char digest[16])
{
    // ruleid: c-weak-password-hash, c-weak-hash-md5
    MD5((const unsigned char *)password, strlen(password), digest);
}

int store_password_ok(const char *password, const unsigned char salt[16], unsigned char key[32])
{
    // ok: c-weak-password-hash
    return PKCS5_PBKDF2_HMAC(password, (int)strlen(password), salt, 16, 600000, EVP_sha256(), 32, key);
}

FILE *open_scratch(void)
{
    char name[L_tmpnam];
    // ruleid: c-tmpnam
    if (tmpnam(name) == NULL)
        return NULL;
    return fopen(name, "w+");
}

FILE *open_scratch_ok(void)
{
    char name[] = "/tmp/scratchXXXXXX";
    // ok: c-tmpnam
    int fd = mkstemp(name);
    if (fd < 0)
        return NULL;
    unlink(name);
    return fdopen(fd, "w+");
}

static const char HEX[] = "0123456789abcdef";

void make_session_id(char out[33])
{
    for (int i = 0; i < 32; i++)
        // ruleid: c-weak-random-secret
        out[i] = HEX[rand() % 16];
    out[32] = '\0';
}

int make_session_id_ok(char out[33])
{
    unsigned char raw[16];
    // ok: c-weak-random-secret
    if (RAND_bytes(raw, sizeof raw) != 1)
        return -1;
    for (int i = 0; i < 16; i++) {
        out[2 * i] = HEX[raw[i] >> 4];
        out[2 * i + 1] = HEX[raw[i] & 15];
    }
    out[32] = '\0';
    return 0;
}

int roll_die(void)
{
    // ok: c-weak-random-secret
    return rand() % 6 + 1;
}
