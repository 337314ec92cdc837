import re
from urllib.parse import urlparse

import requests
from flask import Flask, abort, jsonify, request

app = Flask(__name__)
PREVIEW_HOSTS = {"github.com", "www.youtube.com", "en.wikipedia.org"}


@app.get("/preview")
def preview():
    url = request.args.get("url", "")
    parsed = urlparse(url)
    if parsed.scheme != "https" or parsed.hostname not in PREVIEW_HOSTS:
        abort(400)
    resp = requests.get(url, timeout=5, allow_redirects=False)
    match = re.search(r"<title>(.*?)</title>", resp.text, re.I | re.S)
    return jsonify(url=url, title=match.group(1).strip() if match else None)
