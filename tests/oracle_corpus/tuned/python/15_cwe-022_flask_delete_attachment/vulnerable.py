import os

from flask import Flask, abort, g, jsonify
from werkzeug.utils import secure_filename

app = Flask(__name__)
UPLOAD_ROOT = "/srv/app/uploads"


@app.delete("/attachments/<path:name>")
def delete_attachment(name):
    user_dir = os.path.join(UPLOAD_ROOT, str(g.user_id))
    path = os.path.join(user_dir, name)
    if not os.path.isfile(path):
        abort(404)
    os.remove(path)
    return jsonify(deleted=name)
