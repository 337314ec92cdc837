from datetime import date

from jinja2 import Environment, select_autoescape
from markupsafe import Markup

env = Environment(autoescape=select_autoescape(default_for_string=True, default=True))

FOOTER_HTML = Markup(
    '<p style="color:#888">You are receiving this because you follow this thread. '
    '<a href="https://forum.example.com/settings/notifications">Unsubscribe</a></p>'
)

DIGEST_TEMPLATE = env.from_string(
    """<html><body>
<h2>New replies on "{{ thread_title }}" ({{ day.isoformat() }})</h2>
<ul>
{% for c in comments %}
  <li><b>{{ c.author }}</b> wrote:<blockquote>{{ c.text }}</blockquote></li>
{% endfor %}
</ul>
{{ footer }}
</body></html>"""
)


def render_daily_digest(thread_title, comments, day=None):
    """Build the HTML body of the daily e-mail digest listing new comments
    (dicts with 'author' and 'text', as posted by forum users) on a thread."""
    return DIGEST_TEMPLATE.render(
        thread_title=thread_title,
        comments=comments,
        day=day or date.today(),
        footer=FOOTER_HTML,
    )
