import functools
import os

import jwt
from flask import g, jsonify, request

JWT_SECRET = os.environ["JWT_SECRET"]


def require_user(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return jsonify(error="missing token"), 401
        token = header.removeprefix("Bearer ")
        try:
            claims = jwt.decode(token, JWT_SECRET, algorithms=["HS256"])
        except jwt.PyJWTError:
            return jsonify(error="invalid token"), 401
        g.user_id = claims["sub"]
        return view(*args, **kwargs)

    return wrapper
