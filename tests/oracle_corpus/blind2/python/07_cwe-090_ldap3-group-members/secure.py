import os

from flask import Flask, abort, jsonify
from ldap3 import ALL, SUBTREE, Connection, Server
from ldap3.utils.conv import escape_filter_chars

app = Flask(__name__)

LDAP_URL = os.environ.get("LDAP_URL", "ldaps://ldap.corp.example.com")
BASE_DN = "ou=groups,dc=corp,dc=example,dc=com"
BIND_DN = os.environ.get("LDAP_BIND_DN", "cn=reader,dc=corp,dc=example,dc=com")
BIND_PASSWORD = os.environ.get("LDAP_BIND_PASSWORD", "")


def ldap_connection():
    server = Server(LDAP_URL, get_info=ALL, use_ssl=True)
    return Connection(server, user=BIND_DN, password=BIND_PASSWORD, auto_bind=True)


@app.route("/api/groups/<group_name>/members")
def group_members(group_name):
    search_filter = f"(&(objectClass=groupOfNames)(cn={escape_filter_chars(group_name)}))"
    with ldap_connection() as conn:
        conn.search(
            search_base=BASE_DN,
            search_filter=search_filter,
            search_scope=SUBTREE,
            attributes=["cn", "member", "description"],
        )
        if not conn.entries:
            abort(404)
        entry = conn.entries[0]
        return jsonify(
            {
                "group": str(entry.cn),
                "description": str(entry.description) if entry.description else "",
                "members": [str(m) for m in entry.member.values],
            }
        )
