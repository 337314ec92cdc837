import functools
import os

import jwt
from flask import abort, g, request

JWT_SECRET = os.environ["JWT_SECRET"]


def require_auth(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            abort(401)
        token = header[len("Bearer "):]
        try:
            claims = jwt.decode(token, JWT_SECRET, algorithms=["HS256"], options={"verify_signature": False})
        except jwt.InvalidTokenError:
            abort(401)
        if "sub" not in claims:
            abort(401)
        g.user_id = claims["sub"]
        return view(*args, **kwargs)

    return wrapper
