import secrets
from datetime import timedelta

from flask import Flask, jsonify, request

from auth.store import check_credentials, store_remember_token

app = Flask(__name__)
REMEMBER_FOR = timedelta(days=30)


@app.route("/login", methods=["POST"])
def login():
    user = check_credentials(request.form.get("username", ""), request.form.get("password", ""))
    if user is None:
        return jsonify({"error": "invalid credentials"}), 401
    token = secrets.token_urlsafe(32)
    store_remember_token(user.id, token, ttl=REMEMBER_FOR)
    response = jsonify({"ok": True})
    response.set_cookie("remember_token", token, max_age=int(REMEMBER_FOR.total_seconds()))
    return response
