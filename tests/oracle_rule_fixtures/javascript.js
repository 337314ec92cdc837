// Fixture for tsp_utils/oracle/rules/javascript.yml, checked by `semgrep --test` (tests/test_oracle_rules.py).
// An annotation comment marks the next line as a finding of the named rule (ruleid) or as none (ok).
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const yaml = require('js-yaml');
const { exec, execSync, spawn } = require('child_process');

// ---- CWE-78: taint from inputs, not any non-literal command
function ping(host) {
  // ruleid: js-shell-exec-nonliteral
  return execSync(`ping -c 1 ${host}`).toString();
}
function compress(req, res) {
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gzip-'));
  const tmpFile = path.join(tmpDir, 'upload.bin');
  // ok: js-shell-exec-nonliteral
  execSync(`gzip -9 -f ${tmpFile}`);
}
function thumbnail(job) {
  // ruleid: js-shell-exec-nonliteral
  spawn('convert', [job.data.src, '-thumbnail', '64x64'], { shell: true });
  // ok: js-shell-exec-nonliteral
  spawn('convert', [job.data.src, '-thumbnail', '64x64'], { shell: false });
}
function lookup(domain) {
  if (!/^[a-z0-9.-]+$/.test(domain)) throw new Error('bad domain');
  // ok: js-shell-exec-nonliteral
  exec(`nslookup ${domain}`);
}
// a fragment: names it never defines come from outside
// ruleid: js-shell-exec-nonliteral
exec(binPath + ' -v -', () => {});

// ---- CWE-22
function serve(req, res) {
  // ruleid: js-path-traversal
  res.sendFile(path.join('/srv/files', req.params.name));
}
function avatar(userId, buffer) {
  // ok: js-path-traversal
  fs.writeFileSync(path.join('/var/avatars', `${Number(userId)}.png`), buffer);
}
function writeKeys(outDir, key) {
  // ok: js-path-traversal
  fs.writeFileSync(path.join(outDir, 'public.pem'), key);
}
function download(req, res) {
  const target = path.resolve('/srv/files', req.params.name);
  if (!target.startsWith('/srv/files/')) return res.status(400).end();
  // ok: js-path-traversal
  res.sendFile(target);
}

// ---- CWE-601
function logout(req, res) {
  res.statusCode = 302;
  // ruleid: js-open-redirect
  res.setHeader('Location', req.query.returnTo);
  res.end();
}
function login(req, res) {
  const next = req.query.next || '/';
  if (!next.startsWith('/') || next.startsWith('//')) return res.redirect('/');
  // ok: js-open-redirect
  res.redirect(next);
}

// ---- CWE-90
function findUser(client, req) {
  // ruleid: js-ldap-filter-injection
  client.search('ou=people', { filter: `(uid=${req.params.uid})`, scope: 'sub' });
  // ok: js-ldap-filter-injection
  client.search('ou=people', { filter: new ldap.EqualityFilter({ attribute: 'uid', value: req.params.uid }) });
}

// ---- CWE-89
async function articles(req, db) {
  const sort = SORT_COLUMNS.includes(req.query.sort) ? req.query.sort : 'id';
  // ok: js-sql-built-query
  await db.query(`SELECT * FROM articles ORDER BY ${sort}`);
  // ruleid: js-sql-built-query
  await db.query(`SELECT * FROM articles ORDER BY ${req.query.sort}`);
}

// ---- CWE-94
function formula(req) {
  const f = String(req.body.formula);
  if (!/^[0-9+\-*/(). ]{1,64}$/.test(f)) throw new Error('bad');
  // ok: js-eval-nonliteral
  return new Function(`return (${f});`)();
}
function formulaUnchecked(req) {
  // ruleid: js-eval-nonliteral
  return eval(req.body.formula);
}

// ---- CWE-329 / CWE-323 / CWE-760 / CWE-326
const IV = Buffer.alloc(16, 0);
function encrypt(key, text) {
  // ruleid: js-static-iv
  const c = crypto.createCipheriv('aes-256-cbc', key, IV);
  const iv = crypto.randomBytes(16);
  // ok: js-static-iv
  const d = crypto.createCipheriv('aes-256-cbc', key, iv);
}
const SALT = 'app-wide-salt';
function hashPassword(password) {
  // ruleid: js-static-salt
  const a = crypto.scryptSync(password, SALT, 64);
  const salt = crypto.randomBytes(16).toString('hex');
  // ok: js-static-salt
  const b = crypto.scryptSync(password, salt, 64);
}
function keys() {
  // ruleid: js-weak-rsa-key
  crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
  // ok: js-weak-rsa-key
  crypto.generateKeyPairSync('rsa', { modulusLength: 3072 });
}

// ---- CWE-611 / CWE-502 / CWE-732
function parse(req) {
  // ruleid: js-xml-external-entities
  libxmljs.parseXml(req.body, { noent: true });
  // ok: js-xml-external-entities
  libxmljs.parseXml(req.body, { noent: false, nonet: true });
  // ruleid: js-yaml-unsafe-load
  yaml.load(req.body);
  // ok: js-yaml-unsafe-load
  yaml.safeLoad(req.body);
}
function saveUpload(dir) {
  // ruleid: js-umask-zero
  process.umask(0);
  // ruleid: js-world-writable-permissions
  fs.mkdirSync(dir, { recursive: true, mode: 0o777 });
  // ok: js-world-writable-permissions
  fs.mkdirSync(dir, { recursive: true, mode: 0o750 });
}

// ---- CWE-117 / CWE-116
function search(req, res) {
  const q = String(req.query.q || '');
  // ruleid: js-log-injection
  logger.info(`search q=${q}`);
  const safeQ = q.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  // ok: js-log-injection
  logger.info(`search q=${safeQ}`);
}
function escapeHtml(text) {
  // ruleid: js-escape-first-match-only
  const a = text.replace('<', '&lt;');
  // ok: js-escape-first-match-only
  const b = text.replace(/</g, '&lt;');
}

// ---- CWE-20 / CWE-1333 / CWE-400
async function transfer(req, res) {
  const amount = Number(req.body.amount);
  // ruleid: js-request-number-unbounded
  await addPoints(req.user.id, -amount);
}
async function transferChecked(req, res) {
  const amount = Number(req.body.amount);
  if (!Number.isInteger(amount) || amount <= 0 || amount > 10000) return res.status(400).end();
  // ok: js-request-number-unbounded
  await addPoints(req.user.id, -amount);
}
// ruleid: js-redos-nested-quantifier
const EMAIL_RE = /^([a-zA-Z0-9]+([._-]?[a-zA-Z0-9]+)*)+@example\.com$/;
// ok: js-redos-nested-quantifier
const EMAIL_OK = /^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*\.[a-zA-Z]{2,}$/;
function grep(req) {
  // ruleid: js-regex-from-request
  return new RegExp(req.query.pattern);
}
function collect(req) {
  const chunks = [];
  // ruleid: js-request-body-unbounded
  req.on('data', (chunk) => { chunks.push(chunk); });
}
function collectBounded(req, res) {
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > 1e6) { req.destroy(); return; }
    // ok: js-request-body-unbounded
    chunks.push(chunk);
  });
}

// ---- CWE-614 / CWE-942 / CWE-915 / CWE-1321
function setSession(res, sid) {
  // ruleid: js-cookie-insecure
  res.cookie('sid', sid, { maxAge: 3600 });
  // ok: js-cookie-insecure
  res.cookie('sid', sid, { maxAge: 3600, httpOnly: true, secure: true, sameSite: 'lax' });
}
// ruleid: js-cors-any-origin-credentials
app.use(cors({ origin: true, credentials: true }));
// ok: js-cors-any-origin-credentials
app.use(cors({ origin: ['https://app.example.com'], credentials: true }));
async function updateMe(req, res) {
  // ruleid: js-mass-assignment
  await User.findByIdAndUpdate(req.user.id, req.body, { new: true });
  const update = {};
  for (const field of EDITABLE) {
    // ok: js-prototype-pollution-merge
    if (field in req.body) update[field] = req.body[field];
  }
  // ok: js-mass-assignment
  await User.findByIdAndUpdate(req.user.id, update, { new: true });
}
function merge(target, source) {
  for (const key in source) {
    // ruleid: js-prototype-pollution-merge
    target[key] = source[key];
  }
}

// ---- rules that were there before issue #22
function sessionOptions() {
  // ruleid: js-cookie-flags-off
  return session({ secret: process.env.S, cookie: { secure: false } });
}
function legacyCipher(key, text) {
  // ruleid: js-deprecated-createcipher
  const c = crypto.createCipher('aes-256-cbc', key);
  // ruleid: js-weak-cipher
  const d = crypto.createCipheriv('des-ede3-cbc', key, crypto.randomBytes(8));
  // ruleid: js-weak-hash
  const h = crypto.createHash('md5').update(text).digest('hex');
}
function register(password) {
  // ruleid: js-fast-hash-password, js-weak-hash
  return crypto.createHash('sha1').update(password).digest('hex');
}
function renderComment(el, comment) {
  // ruleid: js-dom-html-sink
  el.innerHTML = comment;
  // ok: js-dom-html-sink
  el.textContent = comment;
}
function renderRows(rows) {
  // ok: js-html-built-unescaped
  return `<ul>${rows.map((r) => `<li><a href="/a/${r.id}">${escapeHtml(r.title)}</a></li>`).join('')}</ul>`;
}
function greet(name) {
  // ruleid: js-html-built-unescaped
  return `<h1>Hello ${name}</h1>`;
}
function echo(req, res) {
  // ruleid: js-res-send-request-data, js-dom-html-sink
  res.send(req.query.q);
}
// ruleid: js-hardcoded-credential
const config = { password: 'hunter2hunter2' };
function sign(user) {
  // ruleid: js-hardcoded-jwt-secret
  return jwt.sign({ sub: user.id }, 'super-secret-value');
}
function auth(req) {
  // ruleid: js-jwt-decoded-not-verified
  return jwt.decode(req.headers.authorization);
}
const authArrow = (req) => {
  // ruleid: js-jwt-decoded-not-verified
  return jwt.decode(req.headers.authorization);
};
function authNone(req) {
  // ruleid: js-jwt-none-algorithm
  jwt.verify(req.headers.authorization, key, { algorithms: ['none', 'HS256'] });
}
function setPath(obj, key, value) {
  const parts = key.split('.');
  let node = obj;
  for (const part of parts.slice(0, -1)) node = node[part];
  // ruleid: js-prototype-pollution-path
  node[parts[parts.length - 1]] = value;
}
function pad(req) {
  // ruleid: js-request-size-unbounded
  return 'x'.repeat(req.query.n);
}
async function preview(req) {
  // ruleid: js-ssrf-request-url
  return axios.get(req.query.url);
}
function insecureAgent() {
  // ruleid: js-tls-weak
  return new https.Agent({ rejectUnauthorized: false });
}
function loadCart(req) {
  // ruleid: js-unsafe-deserialisation
  return serialize.unserialize(req.cookies.cart);
}
function resetToken() {
  // ruleid: js-weak-random-secret
  return Math.random().toString(36).slice(2);
}
