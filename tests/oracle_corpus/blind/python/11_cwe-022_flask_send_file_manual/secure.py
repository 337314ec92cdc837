import os

from flask import Flask, abort, request, send_from_directory

app = Flask(__name__)
MANUALS_DIR = os.path.join(app.root_path, "manuals")


@app.route("/manuals/download")
def download_manual():
    name = request.args.get("file", "")
    if not name:
        abort(400)
    return send_from_directory(MANUALS_DIR, name, as_attachment=True)
