from decimal import Decimal

from jinja2 import DictLoader, Environment, select_autoescape

TEMPLATES = {
    "invoice.html": """<!doctype html>
<html>
<head><meta charset="utf-8"><title>Invoice {{ invoice.number }}</title></head>
<body>
  <h1>Invoice {{ invoice.number }}</h1>
  <p>Billed to:<br>{{ invoice.customer_name }}<br>{{ invoice.address }}</p>
  <table>
    <tr><th>Description</th><th>Qty</th><th>Unit price</th><th>Total</th></tr>
    {% for item in invoice["items"] %}
    <tr>
      <td>{{ item.description }}</td>
      <td>{{ item.quantity }}</td>
      <td>{{ item.unit_cents | money }}</td>
      <td>{{ (item.unit_cents * item.quantity) | money }}</td>
    </tr>
    {% endfor %}
  </table>
  <p class="total">Total due: {{ total_cents | money }} {{ invoice.currency }}</p>
  {% if invoice.notes %}<p class="notes">{{ invoice.notes }}</p>{% endif %}
</body>
</html>
""",
}


def _money(cents: int) -> str:
    return f"{Decimal(cents) / 100:,.2f}"


env = Environment(loader=DictLoader(TEMPLATES), autoescape=select_autoescape(["html", "xml"]), trim_blocks=True, lstrip_blocks=True)
env.filters["money"] = _money


def render_invoice(invoice: dict) -> str:
    total_cents = sum(item["unit_cents"] * item["quantity"] for item in invoice["items"])
    return env.get_template("invoice.html").render(invoice=invoice, total_cents=total_cents)
