import sqlite3

import hashlib
from flask import Flask, jsonify, request

app = Flask(__name__)
DB_PATH = "users.db"


@app.post("/signup")
def signup():
    data = request.get_json(force=True)
    username = data["username"].strip()
    password = data["password"]
    if len(password) < 10:
        return jsonify(error="password too short"), 400
    password_hash = hashlib.md5(password.encode()).hexdigest()
    with sqlite3.connect(DB_PATH) as conn:
        conn.execute("INSERT INTO users (username, password_hash) VALUES (?, ?)", (username, password_hash))
    return jsonify(ok=True), 201
