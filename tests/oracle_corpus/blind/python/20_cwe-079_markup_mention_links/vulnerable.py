import re

from flask import Flask, url_for
from markupsafe import Markup

app = Flask(__name__)
MENTION = re.compile(r"@([A-Za-z0-9_]{1,30})")


@app.template_filter("link_mentions")
def link_mentions(text: str) -> Markup:
    def repl(match):
        username = match.group(1)
        return f'<a href="{url_for("profile", username=username)}">@{username}</a>'

    return Markup(MENTION.sub(repl, text))
