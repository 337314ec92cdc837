import requests
from flask import Flask, abort, jsonify, request
from flask_login import current_user, login_required

from app.media import save_avatar

app = Flask(__name__)
MAX_AVATAR_BYTES = 2 * 1024 * 1024


@app.route("/profile/avatar/import", methods=["POST"])
@login_required
def import_avatar():
    url = str((request.get_json(silent=True) or {}).get("url", ""))
    resp = requests.get(url, timeout=5, stream=True)
    if resp.status_code != 200 or resp.headers.get("Content-Type") not in ("image/png", "image/jpeg"):
        abort(422, "URL did not return a PNG or JPEG image")
    data = resp.raw.read(MAX_AVATAR_BYTES + 1, decode_content=True)
    if len(data) > MAX_AVATAR_BYTES:
        abort(413)
    save_avatar(current_user.id, data)
    return jsonify({"ok": True, "bytes": len(data)})
