from flask import Flask, jsonify, request

app = Flask(__name__)


@app.after_request
def add_cors_headers(resp):
    origin = request.headers.get("Origin")
    if origin:
        resp.headers["Access-Control-Allow-Origin"] = origin
        resp.headers["Access-Control-Allow-Credentials"] = "true"
        resp.headers["Vary"] = "Origin"
    return resp


@app.get("/api/me")
def me():
    return jsonify(user=request.cookies.get("session_user"))
