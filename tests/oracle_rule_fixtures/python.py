# Fixture for tsp_utils/oracle/rules/python.yml, checked by `semgrep --test` (tests/test_oracle_rules.py).
# A "ruleid" annotation line says the next line must be reported by the rule it names, an "ok" line that it must not.
# flake8: noqa
import base64
import hashlib
import hmac
import logging
import os
import pickle
import random
import re
import shlex
import ssl
import subprocess
import tarfile
import tempfile

import jwt
import ldap
import requests
import yaml
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from fastapi import FastAPI, Query
from flask import Flask, Response, jsonify, make_response, redirect, render_template_string, request
from jinja2 import Environment
from markupsafe import Markup

app = Flask(__name__)
api = FastAPI()
log = logging.getLogger(__name__)
KEY = os.urandom(32)
IV = b"\x00" * 16
SALT = b"k8#pQz!v2Lr9"
REPORTS = {"daily": "daily.csv", "weekly": "weekly.csv"}
SORTABLE = {"created_at", "total"}
ALLOWED_ORIGINS = {"https://app.example.com"}
TABLE = "users"


# ---------------------------------------------------------------- CWE-89
def find_user(cur, name):
    # ruleid: py-sql-built-query
    cur.execute(f"SELECT id FROM users WHERE name = '{name}'")
    # ok: py-sql-built-query
    cur.execute("SELECT id FROM users WHERE name = ?", (name,))
    # ok: py-sql-built-query
    cur.execute(f"SELECT id FROM {TABLE}")


def list_orders(conn, sort):
    query = "SELECT id FROM orders ORDER BY " + sort
    # ruleid: py-sql-built-query
    conn.execute(query)


def list_orders_allowed(conn, sort):
    if sort not in SORTABLE:
        sort = "created_at"
    # ok: py-sql-built-query
    conn.execute(f"SELECT id FROM orders ORDER BY {sort}")


def run_query(cur, sql):
    # ok: py-sql-built-query
    cur.execute(sql)


# ---------------------------------------------------------------- CWE-78
def ping(host):
    # ruleid: py-shell-injection
    subprocess.run(f"ping -c 1 {host}", shell=True)
    # ok: py-shell-injection
    subprocess.run(f"ping -c 1 {shlex.quote(host)}", shell=True)
    # ruleid: py-shell-injection
    os.system("ping -c 1 " + host)


def compress(data):
    fd, path = tempfile.mkstemp(suffix=".bin")
    os.write(fd, data)
    os.close(fd)
    # ok: py-shell-injection
    subprocess.run(f"gzip -9 -f {path}", shell=True, check=True)


# ---------------------------------------------------------------- CWE-22
def read_report(base_dir, name):
    # ruleid: py-path-join-untrusted
    with open(os.path.join(base_dir, name)) as fh:
        return fh.read()


def read_report_checked(base_dir, name):
    root = os.path.realpath(base_dir)
    path = os.path.realpath(os.path.join(root, name))
    if os.path.commonpath([root, path]) != root:
        raise ValueError("outside base dir")
    # ok: py-path-join-untrusted
    with open(path) as fh:
        return fh.read()


def download_report(name):
    filename = REPORTS.get(name)
    # ok: py-path-join-untrusted
    return open(os.path.join("/var/lib/reports", filename), "rb").read()


def cache_file():
    # ok: py-path-join-untrusted
    return open(os.path.join(tempfile.gettempdir(), "cache.json")).read()


def unpack(path, dest):
    with tarfile.open(path) as tar:
        # ruleid: py-archive-extractall
        tar.extractall(dest)
    with tarfile.open(path) as tar:
        # ok: py-archive-extractall
        tar.extractall(dest, filter="data")


# ---------------------------------------------------------------- CWE-79 / CWE-116 / CWE-94
def render_comment(author, body):
    # ruleid: py-html-built-unescaped
    return f"<li><b>{author}</b>: {body}</li>"


def render_comment_escaped(author, body):
    import html
    safe_author = author.replace("<", "&lt;").replace(">", "&gt;")
    # ok: py-html-built-unescaped
    return f"<li><b>{safe_author}</b>: {html.escape(body)}</li>"


def bio(text):
    # ruleid: py-markup-unescaped
    return Markup(text)


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    # ruleid: py-response-html-unescaped
    return make_response(name)


@app.route("/me")
def me():
    user = request.args.get("user")
    # ok: py-response-html-unescaped
    return make_response(jsonify(user=user))


def greet(name):
    # ruleid: py-template-string-injection
    return render_template_string(f"Hello {name}")


def greet_var(name):
    # ruleid: py-template-string-injection-var
    tpl = "Hello " + name
    return render_template_string(tpl)


@app.route("/tpl")
def tpl_from_request():
    # ruleid: py-template-from-request
    return render_template_string(request.args["t"])


def make_env():
    # ruleid: py-jinja-autoescape-off
    return Environment(autoescape=False)


# ---------------------------------------------------------------- CWE-94/95
ARITHMETIC = re.compile(r"[0-9+\-*/(). ]{1,64}")


def calc(expr):
    # ruleid: py-eval-nonliteral
    return eval(expr, {"__builtins__": {}}, {})


def calc_checked(expr):
    if not ARITHMETIC.fullmatch(expr):
        raise ValueError("not arithmetic")
    # ok: py-eval-nonliteral
    return eval(expr, {"__builtins__": {}}, {})


def run_plugin(source):
    # ruleid: py-exec-nonliteral
    exec(source)


# ---------------------------------------------------------------- CWE-502
def load_session(cookie):
    # ruleid: py-unsafe-deserialisation
    return pickle.loads(base64.b64decode(cookie))


def load_config(text):
    # ruleid: py-yaml-load-default
    return yaml.load(text)


def load_config_safe(text):
    # ok: py-yaml-load-default
    return yaml.load(text, Loader=yaml.SafeLoader)


# ---------------------------------------------------------------- CWE-327/328/916/326
def cipher_ecb(key):
    # ruleid: py-weak-cipher
    return Cipher(algorithms.AES(key), modes.ECB())


def file_digest(data):
    # ruleid: py-weak-hash
    return hashlib.md5(data).hexdigest()


def hash_password_fast(password):
    # ruleid: py-fast-hash-password
    return hashlib.sha256(password.encode()).hexdigest()


def rsa_key():
    from cryptography.hazmat.primitives.asymmetric import rsa
    # ruleid: py-weak-rsa-key
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    # ok: py-weak-rsa-key
    return weak, rsa.generate_private_key(public_exponent=65537, key_size=3072)


# ---------------------------------------------------------------- CWE-338
def reset_token():
    # ruleid: py-weak-random-secret
    return "".join(random.choice("abcdef0123456789") for _ in range(32))


def shuffle_deck(deck):
    import time
    # ruleid: py-seeded-random
    random.seed(time.time())
    random.shuffle(deck)


# ---------------------------------------------------------------- CWE-798
def connect_db(psycopg2):
    # ruleid: py-hardcoded-credential
    return psycopg2.connect(host="db", user="app", password="s3cr3tP4ss")


def api_headers():
    # ruleid: py-hardcoded-credential-header
    return {"X-Api-Key": "9f8e7d6c5b4a39281706"}


def is_admin(password):
    # ruleid: py-hardcoded-credential-compare
    return password == "hunter22"


def auth_header():
    # ruleid: py-hardcoded-bearer, py-hardcoded-credential-header
    return {"Authorization": "Bearer abcdef0123456789abcdef"}


# ---------------------------------------------------------------- CWE-611
def parse_invoice(data):
    from lxml import etree
    # ruleid: py-xml-external-entities
    parser = etree.XMLParser(resolve_entities=True)
    return etree.fromstring(data, parser)


def parse_feed(data):
    from xml.dom import minidom
    # ruleid: py-xml-stdlib-untrusted
    return minidom.parseString(data)


# ---------------------------------------------------------------- CWE-295 / CWE-377
def charge(payload):
    # ruleid: py-tls-verification-disabled
    return requests.post("https://pay.example.com/charge", json=payload, verify=False, timeout=5)


def scratch_name():
    # ruleid: py-insecure-temp-file
    return tempfile.mktemp(suffix=".pdf")


# ---------------------------------------------------------------- CWE-918
@app.get("/preview")
def preview():
    url = request.args.get("url", "")
    if not url.startswith(("http://", "https://")):
        return "bad url", 400
    # ruleid: py-ssrf-request-url
    return requests.get(url, timeout=5).text


@app.get("/user")
def user_profile():
    url = request.args.get("url", "")
    if not url.startswith("https://api.example.com/"):
        return "bad url", 400
    # ok: py-ssrf-request-url
    return requests.get(url, timeout=5).text


# ---------------------------------------------------------------- CWE-601
@app.post("/login")
def login():
    target = request.args.get("next", "/")
    resp = Response(status=302)
    # ruleid: py-open-redirect
    resp.headers["Location"] = target
    return resp


@app.get("/logout")
def logout():
    next_url = request.args.get("next", "")
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = "/"
    # ok: py-open-redirect
    return redirect(next_url)


@app.get("/signout")
def signout():
    next_url = request.args.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.host}):
        next_url = "/"
    # ok: py-open-redirect
    return redirect(next_url)


# ---------------------------------------------------------------- CWE-90
def find_dn(conn, mail):
    query = "(mail=%s)" % mail
    # ruleid: py-ldap-injection
    return conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, query, ["dn"])


def find_dn_escaped(conn, mail):
    query = "(mail=%s)" % ldap.filter.escape_filter_chars(mail)
    # ok: py-ldap-injection
    return conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, query, ["dn"])


def title_of(page):
    # ok: py-ldap-injection
    return re.search(r"<title>(.*?)</title>", page.text)


# ---------------------------------------------------------------- CWE-329/323, CWE-760
def encrypt_static(data):
    iv = IV
    # ruleid: py-static-iv-nonce
    return Cipher(algorithms.AES(KEY), modes.CBC(iv)).encryptor().update(data)


def encrypt_fresh(data):
    iv = os.urandom(16)
    # ok: py-static-iv-nonce
    return iv + Cipher(algorithms.AES(KEY), modes.CBC(iv)).encryptor().update(data)


def seal(aead: AESGCM, data):
    # ruleid: py-static-iv-nonce
    return aead.encrypt(b"\x00" * 12, data, None)


def hash_password(password):
    salt = SALT
    # ruleid: py-static-salt
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)


def verify_password(password, stored):
    salt_hex, digest_hex = (stored or "").split("$")
    # ok: py-static-salt
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt_hex), 600_000)
    return hmac.compare_digest(candidate.hex(), digest_hex)


# ---------------------------------------------------------------- CWE-347
def claims_of(token, secret):
    # ruleid: py-jwt-no-verify
    unverified = jwt.decode(token, options={"verify_signature": False})
    # ok: py-jwt-no-verify
    return unverified, jwt.decode(token, secret, algorithms=["HS256"])


# ---------------------------------------------------------------- CWE-732
def write_export(path):
    # ruleid: py-umask-permissive
    os.umask(0)
    # ruleid: py-permissive-file-mode
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o777)
    # ok: py-permissive-file-mode
    os.chmod(path, 0o640)
    return fd


# ---------------------------------------------------------------- CWE-117
@app.post("/audit")
def audit_login():
    username = request.form.get("username", "")
    # ruleid: py-log-injection
    log.warning("failed login for user %s", username)
    # ok: py-log-injection
    log.warning("failed login for user %r", username)
    clean = username.replace("\r", "\\r").replace("\n", "\\n")
    # ok: py-log-injection
    log.warning("failed login for user %s from %s", clean, request.remote_addr)
    return "", 401


@app.get("/page")
def show_page(name: str, page: int = 1):
    # ok: py-log-injection
    log.info("page %d requested", page)
    # ruleid: py-log-injection
    log.info("page %s requested", name)
    return ""


# ---------------------------------------------------------------- CWE-1333
@app.get("/search")
def search_logs():
    term = request.args.get("q", "")
    # ruleid: py-regex-injection
    pattern = re.compile(term)
    # ok: py-regex-injection
    literal = re.compile(re.escape(term))
    return str(pattern), str(literal)


def is_email(text):
    # ruleid: py-regex-nested-quantifier
    return re.match(r"^([a-zA-Z0-9]+)*@example\.com$", text)


def is_dotted_name(text):
    # ruleid: py-regex-nested-quantifier
    loose = re.match(r"^([a-z0-9_]+\.?)*[a-z0-9_]$", text)
    # ok: py-regex-nested-quantifier
    strict = re.match(r"^[a-z0-9_]+(?:\.[a-z0-9_]+)*$", text)
    return loose, strict


# ---------------------------------------------------------------- CWE-20 / CWE-400
@app.post("/cart/<sku>")
def set_quantity(sku):
    cart = {}
    quantity = int(request.json["quantity"])
    # ruleid: py-unbounded-request-number
    cart[sku] = quantity
    bounded = int(request.json["quantity"])
    if not 1 <= bounded <= 99:
        return "bad quantity", 400
    # ok: py-unbounded-request-number
    cart[sku] = bounded
    return jsonify(cart)


@api.get("/events")
# ruleid: py-fastapi-query-unbounded
def list_events(page: int = Query(1, ge=1), size: int = Query(50)):
    return {"page": page, "size": size}


@api.get("/items")
# ok: py-fastapi-query-unbounded
def list_items(page: int = Query(1, ge=1), size: int = Query(50, ge=1, le=100)):
    return {"page": page, "size": size}


# ---------------------------------------------------------------- CWE-352 / CWE-614 / CWE-942
def csrf_exempt(view):
    return view


# ruleid: py-csrf-exempt
@csrf_exempt
def transfer(request):
    return None


def remember(resp, token):
    # ruleid: py-cookie-not-secure
    resp.set_cookie("remember_token", token, max_age=3600)
    # ok: py-cookie-not-secure
    resp.set_cookie("remember_token", token, max_age=3600, secure=True, httponly=True)
    # ok: py-cookie-not-secure
    resp.set_cookie("theme", "dark")
    # ruleid: py-cookie-secure-false
    resp.set_cookie("session", token, secure=False)


@app.after_request
def add_cors(resp):
    origin = request.headers.get("Origin")
    if origin:
        # ruleid: py-cors-reflected-origin
        resp.headers["Access-Control-Allow-Origin"] = origin
    if origin in ALLOWED_ORIGINS:
        # ok: py-cors-reflected-origin
        resp.headers["Access-Control-Allow-Origin"] = origin
    return resp


def enable_cors(CORS):
    # ruleid: py-cors-any-origin-credentials
    CORS(app, supports_credentials=True)


# ---------------------------------------------------------------- CWE-915
EDITABLE_FIELDS = ("display_name", "bio")


@app.patch("/profile")
def update_profile(user):
    for field, value in request.get_json().items():
        # ruleid: py-mass-assignment
        setattr(user, field, value)
    data = request.get_json()
    for field in EDITABLE_FIELDS:
        if field in data:
            # ok: py-mass-assignment
            setattr(user, field, data[field])
    return jsonify(ok=True)


# ---------------------------------------------------------------- CWE-643
def role_of(tree, username):
    # ruleid: py-xpath-built-query
    loose = tree.xpath(f"/acl/user[@name='{username}']/@role")
    # ok: py-xpath-built-query
    bound = tree.xpath("/acl/user[@name=$name]/@role", name=username)
    # ruleid: py-xpath-built-query
    node = tree.find(".//user[@name='%s']" % username)
    # ok: py-xpath-built-query
    where = username.find(f"{username[:1]}")
    return loose, bound, node, where


# ---------------------------------------------------------------- CWE-352 (a webhook that checks its signature)
@csrf_exempt
def payment_webhook(request):
    sig = request.headers.get("X-Signature", "")
    expected = hmac.new(WEBHOOK_KEY, request.body, "sha256").hexdigest()
    if not hmac.compare_digest(sig, expected):
        return HttpResponseForbidden()
    return HttpResponse("ok")


# ruleid: py-csrf-exempt
@csrf_exempt
def transfer_funds(request):
    do_transfer(request.POST["to"])
    return HttpResponse("ok")

