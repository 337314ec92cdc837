// Fixture for tsp_utils/oracle/rules/go.yml, checked by `semgrep --test` (tests/test_oracle_rules.py).
// Each "ruleid:" line marks the next line as a finding of that rule; each "ok:" line marks one that must not be.
package fixtures

import "text/template"

// ---------------------------------------------------------------- CWE-22
func download(c *gin.Context) {
	name := c.Query("file")
	// ruleid: go-path-tainted
	c.File(filepath.Join("/srv/reports", name))
}

func downloadChecked(c *gin.Context) {
	name := c.Query("file")
	if !filepath.IsLocal(name) {
		c.AbortWithStatus(400)
		return
	}
	// ok: go-path-tainted
	c.File(filepath.Join("/srv/reports", name))
}

func deleteAvatar(c echo.Context) error {
	name := c.QueryParam("name")
	if name == "" || strings.ContainsAny(name, `/\`) {
		return echo.ErrBadRequest
	}
	// ok: go-path-tainted
	return os.Remove(filepath.Join("/var/avatars", name))
}

func storeUpload(w http.ResponseWriter, r *http.Request, data []byte) {
	id := make([]byte, 16)
	rand.Read(id)
	// ok: go-path-tainted
	os.WriteFile(filepath.Join("/srv/uploads", hex.EncodeToString(id)), data, 0o600)
}

func SaveConfig(path string, data []byte) error {
	// ok: go-path-param-joined
	return os.WriteFile(path, data, 0o600)
}

func ReadTheme(name string) ([]byte, error) {
	// ruleid: go-path-param-joined
	return os.ReadFile(filepath.Join("/srv/themes", name))
}

func ReadThemeBase(name string) ([]byte, error) {
	// ok: go-path-param-joined
	return os.ReadFile(filepath.Join("/srv/themes", filepath.Base(name)))
}

// ---------------------------------------------------------------- CWE-377
func importCSV(r *http.Request) {
	// ruleid: go-fixed-temp-file-name
	f, _ := os.Create(filepath.Join(os.TempDir(), "import-"+strconv.FormatInt(time.Now().Unix(), 10)+".csv"))
	defer f.Close()
}

func importCSVSafe(r *http.Request) {
	// ok: go-fixed-temp-file-name
	f, _ := os.CreateTemp(os.TempDir(), "import-*.csv")
	defer f.Close()
}

// ---------------------------------------------------------------- CWE-601
func callback(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	// ruleid: go-open-redirect
	w.Header().Set("Location", next)
	w.WriteHeader(http.StatusFound)
}

func callbackPrefixOnly(c *gin.Context) {
	next := c.DefaultQuery("next", "/")
	if !strings.HasPrefix(next, "/") {
		next = "/"
	}
	// ruleid: go-open-redirect
	c.Redirect(http.StatusFound, next)
}

func callbackLocal(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		next = "/"
	}
	// ok: go-open-redirect
	w.Header().Set("Location", next)
}

// ---------------------------------------------------------------- CWE-918
func testWebhook(w http.ResponseWriter, r *http.Request) {
	var req struct{ URL string }
	json.NewDecoder(r.Body).Decode(&req)
	// ruleid: go-ssrf-request-url
	http.Post(req.URL, "application/json", nil)
}

func testWebhookAllowed(w http.ResponseWriter, r *http.Request) {
	var req struct{ URL string }
	json.NewDecoder(r.Body).Decode(&req)
	u, err := url.Parse(req.URL)
	if err != nil || !allowedHosts[u.Hostname()] {
		return
	}
	// ok: go-ssrf-request-url
	http.Post(req.URL, "application/json", nil)
}

// ---------------------------------------------------------------- CWE-90
func findUser(conn *ldap.Conn, username string) {
	filter := fmt.Sprintf("(&(objectClass=person)(uid=%s))", username)
	// ruleid: go-ldap-injection
	req := ldap.NewSearchRequest("dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, filter, nil, nil)
	conn.Search(req)
}

func findUserEscaped(conn *ldap.Conn, username string) {
	filter := fmt.Sprintf("(&(objectClass=person)(uid=%s))", ldap.EscapeFilter(username))
	// ok: go-ldap-injection
	req := ldap.NewSearchRequest("dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, filter, nil, nil)
	conn.Search(req)
}

// ---------------------------------------------------------------- CWE-117
func failedLogin(w http.ResponseWriter, r *http.Request) {
	user := r.FormValue("username")
	// ruleid: go-log-injection
	log.Printf("failed login for %s from %s", user, r.RemoteAddr)
	// ok: go-log-injection
	log.Printf("failed login for %q from %s", user, r.RemoteAddr)
	// ok: go-log-injection
	log.Printf("%d: failed login from %s", 3, r.RemoteAddr)
}

func loadFailed(db *sql.DB, r *http.Request) {
	_, err := db.Query("SELECT 1 WHERE id = $1", r.URL.Query().Get("id"))
	// ok: go-log-injection
	log.Printf("load: %v", err)
}

// ---------------------------------------------------------------- CWE-116
func status(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("service")
	// ruleid: go-hand-built-json
	fmt.Fprintf(w, `{"service": "%s", "up": %t}`, name, true)
	// ok: go-hand-built-json
	json.NewEncoder(w).Encode(map[string]any{"service": name})
}

// ---------------------------------------------------------------- CWE-20, CWE-369
func addItem(w http.ResponseWriter, r *http.Request) {
	qty, err := strconv.Atoi(r.FormValue("qty"))
	if err != nil {
		return
	}
	// ruleid: go-parsed-int-unbounded
	total := price * qty
	// ruleid: go-divide-by-parsed
	share := total / qty
	fmt.Fprint(w, total, share)
}

func addItemBounded(w http.ResponseWriter, r *http.Request) {
	qty, err := strconv.Atoi(r.FormValue("qty"))
	if err != nil || qty < 1 || qty > 99 {
		return
	}
	// ok: go-parsed-int-unbounded
	total := price * qty
	fmt.Fprint(w, total)
}

// ---------------------------------------------------------------- CWE-400 / 770 / 1333
func upload(w http.ResponseWriter, r *http.Request) {
	// ruleid: go-request-body-unbounded
	data, _ := io.ReadAll(r.Body)
	w.Write(data)
}

func uploadLimited(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 10<<20)
	// ok: go-request-body-unbounded
	data, _ := io.ReadAll(r.Body)
	w.Write(data)
}

func serve(mux *http.ServeMux) {
	// ruleid: go-http-server-no-timeouts
	srv := &http.Server{Addr: ":8443", Handler: mux}
	// ok: go-http-server-no-timeouts
	srv2 := &http.Server{Addr: ":8443", Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	srv.ListenAndServe()
	srv2.ListenAndServe()
}

func search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	// ruleid: go-regexp-from-input
	re := regexp.MustCompile(q)
	// ok: go-regexp-from-input
	re2 := regexp.MustCompile(regexp.QuoteMeta(q))
	fmt.Fprint(w, re, re2)
}

// ---------------------------------------------------------------- CWE-323 / 329 / 327
func Seal(gcm cipher.AEAD, plaintext []byte) []byte {
	nonce := make([]byte, gcm.NonceSize())
	// ruleid: go-static-nonce-iv
	return gcm.Seal(nonce, nonce, plaintext, nil)
}

func SealRandom(gcm cipher.AEAD, plaintext []byte) ([]byte, error) {
	nonce := make([]byte, gcm.NonceSize())
	if _, err := io.ReadFull(rand.Reader, nonce); err != nil {
		return nil, err
	}
	// ok: go-static-nonce-iv
	return gcm.Seal(nonce, nonce, plaintext, nil), nil
}

func EncryptCBC(block cipher.Block, dst, src []byte) {
	iv := []byte("0123456789abcdef")
	// ruleid: go-static-nonce-iv
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(dst, src)
}

func EncryptECB(key, data []byte) []byte {
	block, _ := aes.NewCipher(key)
	out := make([]byte, len(data))
	for i := 0; i < len(data); i += aes.BlockSize {
		// ruleid: go-ecb-mode
		block.Encrypt(out[i:], data[i:])
	}
	return out
}

// ---------------------------------------------------------------- CWE-760
func DeriveKey(passphrase string) []byte {
	// ruleid: go-hardcoded-salt
	salt := []byte("vault-salt-2024!")
	return argon2.IDKey([]byte(passphrase), salt, 1, 64*1024, 4, 32)
}

func DeriveKeyRandom(passphrase string) []byte {
	// ok: go-hardcoded-salt
	salt := make([]byte, 16)
	rand.Read(salt)
	return argon2.IDKey([]byte(passphrase), salt, 1, 64*1024, 4, 32)
}

// ---------------------------------------------------------------- CWE-798 / 326 / 347 / 732
func OpenDB() (*sql.DB, error) {
	// ruleid: go-hardcoded-password-in-dsn
	return sql.Open("mysql", "shop:Sup3rS3cret!@tcp(db.internal:3306)/shop")
}

func OpenDBFromEnv() (*sql.DB, error) {
	// ok: go-hardcoded-password-in-dsn
	return sql.Open("mysql", fmt.Sprintf("%s:%s@tcp(%s)/shop", os.Getenv("U"), os.Getenv("P"), os.Getenv("H")))
}

func weakKeys(params *dsa.Parameters) {
	// ruleid: go-weak-rsa-key
	dsa.GenerateParameters(params, rand.Reader, dsa.L1024N160)
	// ok: go-weak-rsa-key
	rsa.GenerateKey(rand.Reader, 3072)
}

func claimsOf(tok string) jwt.Claims {
	// ruleid: go-jwt-parse-unverified
	t, _ := jwt.Parse(tok, keyFunc)
	return t.Claims
}

func init() {
	// ruleid: go-umask-zero
	syscall.Umask(0)
}

// ---------------------------------------------------------------- CWE-362
type visits struct {
	mu     sync.Mutex
	counts map[string]int
}

func (v *visits) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// ruleid: go-handler-map-race
	v.counts[r.URL.Path]++
}

func (v *visits) Locked(w http.ResponseWriter, r *http.Request) {
	v.mu.Lock()
	defer v.mu.Unlock()
	// ok: go-handler-map-race
	v.counts[r.URL.Path]++
}

// ---------------------------------------------------------------- CWE-614
func setSession(w http.ResponseWriter, id string) {
	// ruleid: go-cookie-missing-flags
	http.SetCookie(w, &http.Cookie{Name: "session", Value: id, Path: "/"})
	// ok: go-cookie-missing-flags
	http.SetCookie(w, &http.Cookie{Name: "session", Value: id, Path: "/", Secure: true, HttpOnly: true})
	// ok: go-cookie-missing-flags
	http.SetCookie(w, &http.Cookie{Name: "session", Value: "", MaxAge: -1, Path: "/"})
}

// ---------------------------------------------------------------- CWE-209
func order(db *sql.DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := db.QueryRow("SELECT 1").Scan()
		if err != nil {
			// ruleid: go-error-detail-to-client
			http.Error(w, "database error: "+err.Error(), http.StatusInternalServerError)
			// ok: go-error-detail-to-client
			http.Error(w, "internal server error", http.StatusInternalServerError)
		}
	}
}

func badInput(w http.ResponseWriter, r *http.Request) {
	_, err := strconv.Atoi(r.FormValue("n"))
	// ok: go-error-detail-to-client
	http.Error(w, err.Error(), http.StatusBadRequest)
}

// ---------------------------------------------------------------- CWE-942
func withCORS(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	if origin != "" {
		// ruleid: go-cors-reflected-origin
		w.Header().Set("Access-Control-Allow-Origin", origin)
	}
	if allowedOrigins[origin] {
		// ok: go-cors-reflected-origin
		w.Header().Set("Access-Control-Allow-Origin", origin)
	}
}

// ---------------------------------------------------------------- CWE-532
func loginAttempt(r *http.Request) {
	user, pass := r.FormValue("username"), r.FormValue("password")
	// ruleid: go-secret-logged
	log.Printf("login user=%q password=%q", user, pass)
	// ok: go-secret-logged
	log.Printf("login user=%q", user)
}

// ---------------------------------------------------------------- CWE-915
func updateProfile(w http.ResponseWriter, r *http.Request) {
	u, ok := users[r.Header.Get("X-User")]
	if !ok {
		return
	}
	// ruleid: go-decode-into-stored-object
	json.NewDecoder(r.Body).Decode(u)
	var in struct{ Name string }
	// ok: go-decode-into-stored-object
	json.NewDecoder(r.Body).Decode(&in)
	u.Name = in.Name
}

// ---------------------------------------------------------------- rules from before issue #22
func convert(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("name")
	// ruleid: go-shell-command-nonliteral, go-command-from-string
	exec.Command("sh", "-c", fmt.Sprintf("soffice --convert-to pdf %s", name)).Run()
	// ok: go-shell-command-nonliteral
	exec.Command("soffice", "--convert-to", "pdf", name).Run()
}

func products(db *sql.DB, category string) {
	// ruleid: go-sql-built-query, go-sql-tainted-query
	db.Query(fmt.Sprintf("SELECT id FROM products WHERE category = '%s'", category))
	// ok: go-sql-built-query, go-sql-tainted-query
	db.Query("SELECT id FROM products WHERE category = $1", category)
}

func comments(w http.ResponseWriter, r *http.Request) {
	// ruleid: go-html-unescaped
	fmt.Fprintf(w, "<p>Hello %s</p>", r.URL.Query().Get("name"))
	// ok: go-html-unescaped
	fmt.Fprintf(w, "<p>Hello %s</p>", html.EscapeString(r.URL.Query().Get("name")))
}

func page(w http.ResponseWriter, r *http.Request, t *template.Template, data any) {
	// ruleid: go-text-template-html-response
	t.Execute(w, data)
}

func perms(p string, b []byte) {
	// ruleid: go-world-writable-permissions
	os.WriteFile(p, b, 0666)
	// ok: go-world-writable-permissions
	os.WriteFile(p, b, 0600)
}

func pageSize(s string) int32 {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	// ruleid: go-narrowing-conversion-unchecked
	return int32(n)
}

func imageSize(buf []byte) int {
	w := binary.BigEndian.Uint16(buf)
	h := binary.BigEndian.Uint16(buf[2:])
	// ruleid: go-narrow-product-overflow
	size := w * h
	return int(size)
}

func grid(r *http.Request) []int {
	rows, _ := strconv.Atoi(r.FormValue("rows"))
	cols := 10
	// ruleid: go-make-size-unchecked, go-parsed-int-unbounded
	return make([]int, rows*cols)
}

func hashPassword(password string) string {
	// ruleid: go-weak-hash-sensitive, go-weak-hash-in-password-function, go-weak-hash
	sum := md5.Sum([]byte(password))
	return hex.EncodeToString(sum[:])
}

func verifyDigest(data, want []byte) bool {
	// ruleid: go-weak-hash
	h := sha1.New()
	h.Write(data)
	// ruleid: go-weak-hash-integrity
	return bytes.Equal(h.Sum(nil), want)
}

func legacyCipher(key []byte) {
	// ruleid: go-weak-cipher
	rc4.NewCipher(key)
}

func tlsClient() *tls.Config {
	// ruleid: go-tls-insecure
	return &tls.Config{InsecureSkipVerify: true}
}

func tlsOld() *tls.Config {
	// ruleid: go-tls-weak-version
	return &tls.Config{MinVersion: tls.VersionTLS10}
}

func newSessionToken() string {
	b := make([]byte, 16)
	for i := range b {
		// ruleid: go-math-rand-secret
		b[i] = letters[rand.Intn(len(letters))]
	}
	return string(b)
}

// ruleid: go-hardcoded-credential
var jwtKey = []byte("my_secret_key_123")
