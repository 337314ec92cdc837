import os
from urllib.parse import urlparse

from flask import Flask, Response, request, session

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]


def check_credentials(username: str, password: str) -> bool:
    from users import verify  # project module

    return verify(username, password)


@app.post("/login")
def login():
    if not check_credentials(request.form["username"], request.form["password"]):
        return Response("invalid credentials", status=401)
    session["user"] = request.form["username"]
    target = request.args.get("next", "/")
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        target = "/"
    resp = Response(status=302)
    resp.headers["Location"] = target
    return resp
