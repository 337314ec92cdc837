import secrets

from flask import Flask, jsonify, make_response, request

from auth import check_login, store_remember_token  # project helpers

app = Flask(__name__)


@app.post("/login")
def login():
    user = check_login(request.form["email"], request.form["password"])
    if user is None:
        return jsonify(error="invalid credentials"), 401
    resp = make_response(jsonify(user=user.id))
    if request.form.get("remember") == "on":
        token = secrets.token_urlsafe(32)
        store_remember_token(user.id, token)
        resp.set_cookie("remember_token", token, max_age=30 * 24 * 3600)
    return resp
