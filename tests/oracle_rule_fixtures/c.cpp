// Fixtures for tsp_utils/oracle/rules/c.yml (issue #22 rules and the false alarms they fixed), C++ side: each
// annotation names the rule that must (or must not) match the next line. Checked in tests/test_oracle_rules.py.
#include <string>
#include <vector>

bool delete_search(sqlite3 *db, int user_id, const std::string &name)
{
    std::string sql = "DELETE FROM saved WHERE user_id = " + std::to_string(user_id) + " AND name = '" + name + "';";
    // ruleid: c-sql-built-query
    return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

bool delete_search_bound(sqlite3 *db, const std::string &name)
{
    sqlite3_stmt *stmt = nullptr;
    // ok: c-sql-built-query
    sqlite3_prepare_v2(db, "DELETE FROM saved WHERE name = ?;", -1, &stmt, nullptr);
    return sqlite3_bind_text(stmt, 1, name.c_str(), -1, SQLITE_TRANSIENT) == SQLITE_OK;
}

class Sealer {
public:
    void seal(EVP_CIPHER_CTX *ctx)
    {
        const std::array<unsigned char, 12> &nonce = nonce_;
        // ruleid: cpp-member-nonce-reused
        EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key_.data(), nonce.data());
    }
    void seal_fresh(EVP_CIPHER_CTX *ctx)
    {
        std::array<unsigned char, 12> nonce;
        RAND_bytes(nonce.data(), 12);
        // ok: cpp-member-nonce-reused
        EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key_.data(), nonce.data());
    }
private:
    std::array<unsigned char, 32> key_;
    std::array<unsigned char, 12> nonce_;
};

std::string hash_secret(const std::string &secret, unsigned char *out)
{
    std::array<unsigned char, 16> salt{};
    const std::string kSalt = "api-clients-2024";
    std::copy(kSalt.begin(), kSalt.end(), salt.begin());
    // ruleid: c-constant-salt
    PKCS5_PBKDF2_HMAC(secret.data(), (int)secret.size(), salt.data(), 16, 210000, EVP_sha512(), 32, out);
    return "";
}

void prepare_key_dir(const fs::path &dir)
{
    // ruleid: c-permissive-file-mode
    fs::permissions(dir, fs::perms::all, fs::perm_options::replace);
    // ok: c-permissive-file-mode
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
}

void redirect(const std::string &next)
{
    std::string target = next.empty() ? "/dashboard" : next;
    // ruleid: cpp-location-header-unvalidated
    std::cout << "Location: " << target << "\r\n\r\n";
}

void redirect_local(const std::string &next)
{
    std::string target = "/dashboard";
    if (next.size() > 1 && next[0] == '/' && next[1] != '/')
        target = next;
    // ok: cpp-location-header-unvalidated
    std::cout << "Location: " << target << "\r\n\r\n";
}

void search_page(const std::string &q)
{
    // ruleid: cpp-html-unescaped-output
    std::cout << "<html><body><h1>Results for " << q << "</h1>\n";
    // ok: cpp-html-unescaped-output
    std::cout << "<html><body><h1>Results for " << html_escape(q) << "</h1>\n";
}

std::string profile_json(const std::string &name)
{
    std::ostringstream out;
    // ruleid: cpp-json-handbuilt
    out << "{\"name\":\"" << name << "\"}";
    // ok: cpp-json-handbuilt
    out << "{\"name\":\"" << json_escape(name) << "\"}";
    return out.str();
}

std::string read_body(int fd, const std::string &content_length)
{
    unsigned long long len = std::stoull(content_length);
    std::string body;
    // ruleid: c-parsed-number-unbounded
    body.resize(len);
    return body;
}

std::string read_body_bounded(int fd, const std::string &content_length)
{
    unsigned long long len = std::stoull(content_length);
    if (len > 1048576)
        throw std::length_error("too large");
    std::string body;
    // ok: c-parsed-number-unbounded
    body.resize(len);
    return body;
}

int fetch(const std::string &url)
{
    const std::string host = host_of(url);
    addrinfo *res = nullptr;
    // ruleid: cpp-connect-user-host
    return getaddrinfo(host.c_str(), "80", nullptr, &res);
}

int fetch_allowed(const std::string &url)
{
    static const std::set<std::string> kAllowed = {"example.com"};
    const std::string host = host_of(url);
    if (kAllowed.count(host) == 0)
        throw std::invalid_argument("host is not allowed");
    addrinfo *res = nullptr;
    // ok: cpp-connect-user-host
    return getaddrinfo(host.c_str(), "80", nullptr, &res);
}

fs::path data_dir()
{
    // ruleid: cpp-string-from-getenv
    const std::string home = std::getenv("HOME");
    const char *env = std::getenv("HOME");
    if (env == nullptr)
        throw std::runtime_error("HOME is not set");
    // ok: cpp-string-from-getenv
    const std::string home2 = env;
    return fs::path(home) / home2;
}

std::string make_reset_token()
{
    // ruleid: cpp-weak-prng-secret
    std::mt19937 gen(static_cast<unsigned>(std::time(nullptr)));
    return std::to_string(gen());
}

int shuffle_deck(std::vector<int> &deck)
{
    // ok: cpp-weak-prng-secret
    std::mt19937 gen(42);
    return deck[gen() % deck.size()];
}

class Histogram {
public:
    void print() const
    {
        // ok: cpp-path-join-unchecked
        for (unsigned i = 0; i < sizeof(buckets_) / sizeof(buckets_[0]); ++i)
            std::cout << buckets_[i];
    }
private:
    unsigned buckets_[12] = {};
};

std::string read_document(const std::string &name)
{
    const fs::path root = "/srv/docs";
    // ruleid: cpp-path-join-unchecked
    fs::path full = root / name;
    return full.string();
}

class Buffer {
public:
    // ok: c-alloc-count-unchecked-cpp
    explicit Buffer(const std::string &s) : data_(new char[s.size()]), size_(s.size()) {}
    // ok: c-alloc-count-unchecked-cpp
    Buffer(const Buffer &o) : data_(new char[o.size_]), size_(o.size_) {}
private:
    char *data_;
    std::size_t size_;
};

char *from_header(const Header &hdr)
{
    // ruleid: c-alloc-count-unchecked-cpp
    return new char[hdr.count];
}

std::optional<std::string> read_below(const fs::path &root, const std::string &name)
{
    const fs::path base = fs::weakly_canonical(root);
    // ok: cpp-path-join-unchecked
    fs::path target = fs::weakly_canonical(root / name);
    auto rel = target.lexically_relative(base);
    if (rel.empty() || *rel.begin() == "..")
        return std::nullopt;
    return target.string();
}

bool list_sorted(sqlite3 *db, const std::string &column)
{
    static const std::set<std::string> allowed = {"name", "price"};
    if (allowed.count(column) == 0)
        return false;
    // ok: c-sql-built-query
    std::string sql = "SELECT name FROM items ORDER BY " + column;
    return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

std::string branch_log(const std::string &branch)
{
    static const std::regex ok("^[A-Za-z0-9_./-]{1,100}$");
    if (!std::regex_match(branch, ok))
        return "";
    std::string cmd = "git log --oneline " + branch;
    // ok: c-shell-command-nonliteral
    FILE *p = popen(cmd.c_str(), "r");
    return p ? "ran" : "";
}

void audit(std::ostream &log, const std::string &remoteAddr)
{
    // ok: c-log-injection
    log << "connection from " << remoteAddr << '\n';
}

std::string branch_log_unchecked(const std::string &branch)
{
    std::string cmd = "git log --oneline " + branch;
    // ruleid: c-shell-command-nonliteral
    FILE *p = popen(cmd.c_str(), "r");
    return p ? "ran" : "";
}

struct Packet { char payload[64]; };

void fill(Packet &pkt, const uint8_t *src, std::size_t n)
{
    // ruleid: c-memcpy-unchecked-length
    std::memcpy(pkt.payload, src, n);
}

void audit_user(std::ostream &log, const std::string &username)
{
    // ruleid: c-log-injection
    log << username;
}

std::vector<unsigned char> seal_fixed(EVP_CIPHER_CTX *ctx, const unsigned char *key)
{
    static const unsigned char nonce[12] = {'v', '1', 'n', 'o', 'n', 'c', 'e', '0', '0', '0', '0', '1'};
    // ruleid: c-constant-iv-array
    EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key, nonce);
    return {};
}

std::vector<unsigned char> seal_random(EVP_CIPHER_CTX *ctx, const unsigned char *key)
{
    unsigned char nonce[12] = {0};
    if (RAND_bytes(nonce, sizeof(nonce)) != 1)
        return {};
    // ok: c-constant-iv-array
    EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key, nonce);
    return {};
}

SSL_CTX *client_context(bool pinned)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    // ruleid: c-tls-verification-disabled
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    // ok: c-tls-verification-disabled
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    return ctx;
}

void fetch(CURL *h)
{
    // ruleid: c-tls-verification-disabled
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    // ok: c-tls-verification-disabled
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
}

std::string invite_code(const std::string &alphabet)
{
    // ruleid: cpp-weak-prng-secret
    std::mt19937 gen(static_cast<unsigned>(std::chrono::system_clock::now().time_since_epoch().count()));
    std::string code;
    for (int i = 0; i < 8; ++i)
        code += alphabet[gen() % alphabet.size()];
    return code;
}

void render_to_temp()
{
    char name[L_tmpnam];
    // ruleid: c-tmpnam
    std::tmpnam(name);
// ------------------------------------------------------------------ the older rules (before fixtures were kept)

FILE *open_log(const std::string &dir)
{
    // ruleid: c-dangling-c-str
    const char *path = (dir + "/app.log").c_str();
    return fopen(path, "a");
}

FILE *open_log_ok(const std::string &dir)
{
    // ok: c-dangling-c-str
    const std::string path = dir + "/app.log";
    return fopen(path.c_str(), "a");
}

struct Node { std::size_t parent; int children; };

void add_child(std::vector<Node> &nodes, std::size_t parent)
{
    Node &p = nodes[parent];
    // ruleid: cpp-reference-invalidated-by-growth
    nodes.push_back(Node{parent, 0});
    p.children++;
}

void add_child_ok(std::vector<Node> &nodes, std::size_t parent)
{
    // ok: cpp-reference-invalidated-by-growth
    nodes.push_back(Node{parent, 0});
    Node &p = nodes[parent];
    p.children++;
}

class Session {
public:
    ~Session() { delete[] buffer_; }
    bool close();
    bool close_ok();
private:
    bool flush();
    char *buffer_ = nullptr;
    bool open_ = true;
};

bool Session::close()
{
    // ruleid: cpp-delete-member-not-reset
    delete[] buffer_;
    if (!flush())
        return false;
    open_ = false;
    return true;
}

bool Session::close_ok()
{
    // ok: cpp-delete-member-not-reset
    delete[] buffer_;
    buffer_ = nullptr;
    if (!flush())
        return false;
    open_ = false;
    return true;
}

void on_click(Widget *w)
{
    Button *b = dynamic_cast<Button *>(w);
    // ruleid: cpp-dynamic-cast-unchecked
    b->press();
}

void on_click_ok(Widget *w)
{
    Button *b = dynamic_cast<Button *>(w);
    if (b == nullptr)
        return;
    // ok: cpp-dynamic-cast-unchecked
    b->press();
}
