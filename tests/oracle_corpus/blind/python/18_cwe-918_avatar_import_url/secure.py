from urllib.parse import urlparse

import requests
from flask import Flask, abort, jsonify, request
from flask_login import current_user, login_required

from app.media import save_avatar

app = Flask(__name__)
MAX_AVATAR_BYTES = 2 * 1024 * 1024
ALLOWED_AVATAR_HOSTS = {"www.gravatar.com", "avatars.githubusercontent.com"}


@app.route("/profile/avatar/import", methods=["POST"])
@login_required
def import_avatar():
    url = str((request.get_json(silent=True) or {}).get("url", ""))
    parsed = urlparse(url)
    if parsed.scheme != "https" or "@" in parsed.netloc or parsed.hostname not in ALLOWED_AVATAR_HOSTS:
        abort(400, "avatar URL must be https on a supported host")
    resp = requests.get(url, timeout=5, stream=True, allow_redirects=False)
    if resp.status_code != 200 or resp.headers.get("Content-Type") not in ("image/png", "image/jpeg"):
        abort(422, "URL did not return a PNG or JPEG image")
    data = resp.raw.read(MAX_AVATAR_BYTES + 1, decode_content=True)
    if len(data) > MAX_AVATAR_BYTES:
        abort(413)
    save_avatar(current_user.id, data)
    return jsonify({"ok": True, "bytes": len(data)})
