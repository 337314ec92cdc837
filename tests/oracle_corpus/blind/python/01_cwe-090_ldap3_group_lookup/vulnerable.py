import os

from flask import Flask, abort, jsonify, request
from ldap3 import Connection, Server

app = Flask(__name__)

LDAP_URL = os.environ.get("LDAP_URL", "ldaps://ldap.example.com")
GROUPS_BASE = "ou=groups,dc=example,dc=com"


@app.route("/api/groups")
def user_groups():
    username = request.args.get("user", "")
    if not username:
        abort(400, "missing user")

    server = Server(LDAP_URL, use_ssl=True)
    conn = Connection(server, os.environ["LDAP_BIND_DN"], os.environ["LDAP_BIND_PASSWORD"], auto_bind=True)
    try:
        search_filter = f"(&(objectClass=posixGroup)(memberUid={username}))"
        conn.search(GROUPS_BASE, search_filter, attributes=["cn", "gidNumber"])
        groups = [{"name": e.cn.value, "gid": e.gidNumber.value} for e in conn.entries]
    finally:
        conn.unbind()
    return jsonify({"user": username, "groups": groups})
