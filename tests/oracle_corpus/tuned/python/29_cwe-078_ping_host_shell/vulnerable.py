import subprocess

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/tools/ping")
def ping():
    host = request.form.get("host", "").strip()
    result = subprocess.run(f"ping -c 3 -W 2 {host}", shell=True, capture_output=True, text=True, timeout=15)
    return jsonify(returncode=result.returncode, output=result.stdout)
