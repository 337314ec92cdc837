import os

from flask import Flask, abort, request, send_file

app = Flask(__name__)
REPORT_DIR = "/var/lib/reports"


@app.get("/reports")
def download_report():
    name = request.args.get("name", "daily")
    filename = name + ".csv"
    path = os.path.join(REPORT_DIR, filename)
    with open(path, "rb") as fh:
        data = fh.read()
    return data, 200, {"Content-Type": "text/csv"}
