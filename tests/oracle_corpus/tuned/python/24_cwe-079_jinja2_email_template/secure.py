from jinja2 import Environment, FileSystemLoader, select_autoescape

env = Environment(
    loader=FileSystemLoader("templates/email"),
    autoescape=select_autoescape(["html", "xml"]),
)


def render_welcome(user: dict) -> str:
    template = env.get_template("welcome.html")
    return template.render(name=user["display_name"], company=user.get("company", ""), plan=user["plan"])
