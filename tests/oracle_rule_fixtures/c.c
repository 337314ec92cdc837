/* Fixtures for tsp_utils/oracle/rules/c.yml (issue #22 rules and the false alarms they fixed), semgrep-rules style:
   each annotation names the rule that must (or must not) match the next line. Checked by semgrep's test mode in
   tests/test_oracle_rules.py. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

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
