import os

from flask import Flask, abort, request, send_file

app = Flask(__name__)
MANUALS_DIR = os.path.join(app.root_path, "manuals")


@app.route("/manuals/download")
def download_manual():
    name = request.args.get("file", "")
    if not name:
        abort(400)
    path = os.path.join(MANUALS_DIR, name)
    if not os.path.isfile(path):
        abort(404)
    return send_file(path, as_attachment=True)
