import os
from functools import wraps

from flask import Flask, abort, g, send_file, send_from_directory, session

app = Flask(__name__)
app.config["INVOICE_DIR"] = os.environ.get("INVOICE_DIR", "/var/lib/billing/invoices")


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        user_id = session.get("user_id")
        if user_id is None:
            abort(401)
        g.user_id = user_id
        return view(*args, **kwargs)

    return wrapped


@app.route("/invoices/<path:filename>")
@login_required
def download_invoice(filename):
    """Let a signed-in customer download one of their own invoice PDFs, which are
    stored as INVOICE_DIR/<user id>/<file name>."""
    user_dir = os.path.join(app.config["INVOICE_DIR"], str(g.user_id))
    if not filename.lower().endswith(".pdf"):
        abort(404)
    return send_file(os.path.join(user_dir, filename), mimetype="application/pdf", as_attachment=True)
