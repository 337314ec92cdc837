import smtplib
from email.message import EmailMessage

from jinja2 import Environment, FileSystemLoader, StrictUndefined

env = Environment(
    loader=FileSystemLoader("templates/email"),
    undefined=StrictUndefined,
    autoescape=True,
)

SMTP_HOST = "localhost"
SENDER = "billing@example.com"


def render_subject(invoice_no, customer_name, amount_due):
    template = env.from_string("Invoice {{ invoice_no }} for {{ customer_name }} - {{ amount_due }} due")
    return template.render(
        invoice_no=invoice_no,
        customer_name=customer_name,
        amount_due=amount_due,
    )


def send_invoice_email(invoice, customer):
    """Send the invoice notification e-mail to `customer` (a dict with
    'name' and 'email'); the customer's display name comes from their profile."""
    msg = EmailMessage()
    msg["From"] = SENDER
    msg["To"] = customer["email"]
    msg["Subject"] = render_subject(
        invoice["number"], customer["name"], f"{invoice['total']:.2f} {invoice['currency']}"
    )
    body = env.get_template("invoice.txt").render(invoice=invoice, customer=customer)
    msg.set_content(body)
    with smtplib.SMTP(SMTP_HOST) as smtp:
        smtp.send_message(msg)
