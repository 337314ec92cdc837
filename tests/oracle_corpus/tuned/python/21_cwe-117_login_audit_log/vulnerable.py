import logging

from flask import Flask, jsonify, request

app = Flask(__name__)
audit = logging.getLogger("audit")


def authenticate(username: str, password: str) -> bool:
    from accounts import check_password  # project module

    return check_password(username, password)


@app.post("/login")
def login():
    username = request.form.get("username", "")
    if not authenticate(username, request.form.get("password", "")):
        audit.warning("failed login for user %s from %s", username, request.remote_addr)
        return jsonify(error="invalid credentials"), 401
    return jsonify(ok=True)
