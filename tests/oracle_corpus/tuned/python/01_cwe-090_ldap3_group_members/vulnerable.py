import os

from flask import Flask, abort, jsonify, request
from ldap3 import ALL, Connection, Server, SUBTREE
from ldap3.utils.conv import escape_filter_chars

app = Flask(__name__)

LDAP_URL = os.environ.get("LDAP_URL", "ldaps://ldap.example.com")
BASE_DN = "ou=people,dc=example,dc=com"


@app.route("/api/users/<uid>/groups")
def user_groups(uid):
    server = Server(LDAP_URL, get_info=ALL)
    conn = Connection(server, os.environ["LDAP_BIND_DN"], os.environ["LDAP_BIND_PASSWORD"], auto_bind=True)
    try:
        search_filter = f"(&(objectClass=inetOrgPerson)(uid={uid}))"
        conn.search(BASE_DN, search_filter, search_scope=SUBTREE, attributes=["cn", "memberOf"])
        if not conn.entries:
            abort(404)
        entry = conn.entries[0]
        return jsonify({"cn": str(entry.cn), "groups": [str(g) for g in entry.memberOf]})
    finally:
        conn.unbind()
