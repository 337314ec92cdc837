import os

from ldap3 import ALL, SUBTREE, Connection, Server
from ldap3.utils.conv import escape_filter_chars

LDAP_URI = os.environ.get("LDAP_URI", "ldaps://ldap.corp.example.com")
BASE_DN = os.environ.get("LDAP_BASE_DN", "dc=corp,dc=example,dc=com")


def _connect() -> Connection:
    server = Server(LDAP_URI, get_info=ALL)
    return Connection(
        server,
        user=os.environ["LDAP_BIND_DN"],
        password=os.environ["LDAP_BIND_PASSWORD"],
        auto_bind=True,
        read_only=True,
    )


def group_members(group_name: str) -> list[str]:
    """Return the uids of the members of the group whose cn is `group_name`."""
    search_filter = f"(&(objectClass=groupOfNames)(cn={escape_filter_chars(group_name)}))"
    with _connect() as conn:
        conn.search(BASE_DN, search_filter, search_scope=SUBTREE, attributes=["cn", "member"])
        if not conn.entries:
            return []
        member_dns = conn.entries[0].member.values

    uids = []
    for dn in member_dns:
        rdn = dn.split(",", 1)[0]
        attr, _, value = rdn.partition("=")
        if attr.lower() == "uid":
            uids.append(value)
    return sorted(uids)


def is_member(uid: str, group_name: str) -> bool:
    return uid in group_members(group_name)
