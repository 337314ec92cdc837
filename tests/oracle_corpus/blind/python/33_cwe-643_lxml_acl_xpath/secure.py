from lxml import etree

ACL_PATH = "/etc/acme/acl.xml"


def get_role(username: str) -> str | None:
    tree = etree.parse(ACL_PATH)
    matches = tree.xpath("/acl/user[@name=$name]/@role", name=username)
    return str(matches[0]) if matches else None


def is_admin(username: str) -> bool:
    return get_role(username) == "admin"
