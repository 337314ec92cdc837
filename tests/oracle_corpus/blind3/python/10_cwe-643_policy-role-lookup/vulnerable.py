"""Small authorization service backed by an XML policy file.

<policy>
  <tenant id="acme">
    <user name="alice"><role>admin</role><role>billing</role></user>
  </tenant>
</policy>
"""
import os
from functools import lru_cache

import tornado.ioloop
import tornado.web
from lxml import etree

POLICY_PATH = os.environ.get("POLICY_PATH", "/etc/authz/policy.xml")


@lru_cache(maxsize=1)
def load_policy() -> etree._ElementTree:
    return etree.parse(POLICY_PATH)


def roles_for(tenant: str, username: str) -> list[str]:
    policy = load_policy()
    result = policy.xpath(f"/policy/tenant[@id='{tenant}']/user[@name='{username}']/role/text()")
    return [str(role) for role in result]


class RolesHandler(tornado.web.RequestHandler):
    def get(self, tenant: str):
        username = self.get_query_argument("user")
        roles = roles_for(tenant, username)
        if not roles:
            raise tornado.web.HTTPError(404, reason="unknown user")
        self.write({"tenant": tenant, "user": username, "roles": roles})


class CheckHandler(tornado.web.RequestHandler):
    def get(self, tenant: str):
        username = self.get_query_argument("user")
        role = self.get_query_argument("role")
        self.write({"allowed": role in roles_for(tenant, username)})


def make_app() -> tornado.web.Application:
    return tornado.web.Application([
        (r"/tenants/([\w-]+)/roles", RolesHandler),
        (r"/tenants/([\w-]+)/check", CheckHandler),
    ])


if __name__ == "__main__":
    make_app().listen(8100)
    tornado.ioloop.IOLoop.current().start()
