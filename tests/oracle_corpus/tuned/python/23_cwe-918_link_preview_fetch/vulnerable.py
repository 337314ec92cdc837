import re
from urllib.parse import urlparse

import requests
from flask import Flask, abort, jsonify, request

app = Flask(__name__)


@app.get("/preview")
def preview():
    url = request.args.get("url", "")
    if not url.startswith(("http://", "https://")):
        abort(400)
    resp = requests.get(url, timeout=5, allow_redirects=False)
    match = re.search(r"<title>(.*?)</title>", resp.text, re.I | re.S)
    return jsonify(url=url, title=match.group(1).strip() if match else None)
