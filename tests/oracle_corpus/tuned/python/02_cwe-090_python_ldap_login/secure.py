import ldap
import ldap.filter

LDAP_URI = "ldap://directory.internal:389"
SEARCH_BASE = "dc=corp,dc=example"


def authenticate(mail: str, password: str) -> bool:
    conn = ldap.initialize(LDAP_URI)
    conn.protocol_version = ldap.VERSION3
    conn.set_option(ldap.OPT_REFERRALS, 0)
    query = "(mail=%s)" % ldap.filter.escape_filter_chars(mail)
    results = conn.search_s(SEARCH_BASE, ldap.SCOPE_SUBTREE, query, ["dn"])
    if len(results) != 1:
        return False
    user_dn = results[0][0]
    try:
        conn.simple_bind_s(user_dn, password)
        return True
    except ldap.INVALID_CREDENTIALS:
        return False
    finally:
        conn.unbind_s()
