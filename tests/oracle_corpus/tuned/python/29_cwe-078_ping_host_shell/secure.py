import ipaddress
import subprocess

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/tools/ping")
def ping():
    host = request.form.get("host", "").strip()
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return jsonify(error="not an IP address"), 400
    result = subprocess.run(["ping", "-c", "3", "-W", "2", host], capture_output=True, text=True, timeout=15)
    return jsonify(returncode=result.returncode, output=result.stdout)
