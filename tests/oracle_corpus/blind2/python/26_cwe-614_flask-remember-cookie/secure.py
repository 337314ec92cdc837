import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from flask import Flask, jsonify, make_response, request
from werkzeug.security import check_password_hash

from .db import get_user_by_email, store_remember_token

app = Flask(__name__)

REMEMBER_DAYS = 30


@app.post("/api/login")
def api_login():
    data = request.get_json(silent=True) or {}
    user = get_user_by_email(data.get("email", ""))
    if user is None or not check_password_hash(user.password_hash, data.get("password", "")):
        return jsonify({"error": "invalid credentials"}), 401

    resp = make_response(jsonify({"id": user.id, "email": user.email}))
    if data.get("remember"):
        token = secrets.token_urlsafe(32)
        expires = datetime.now(timezone.utc) + timedelta(days=REMEMBER_DAYS)
        store_remember_token(user.id, hashlib.sha256(token.encode()).hexdigest(), expires)
        resp.set_cookie(
            "remember_token",
            token,
            max_age=REMEMBER_DAYS * 24 * 3600,
            secure=True,
            httponly=True,
            samesite="Lax",
        )
    return resp
