import re

from flask import Flask, jsonify, request

app = Flask(__name__)
LOG_FILE = "/var/log/app/app.log"


@app.get("/admin/logs/search")
def search_logs():
    term = request.args.get("q", "")
    if not term:
        return jsonify(matches=[])
    pattern = re.compile(term, re.IGNORECASE)
    matches = []
    with open(LOG_FILE, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if pattern.search(line):
                matches.append(line.rstrip("\n"))
                if len(matches) >= 200:
                    break
    return jsonify(matches=matches)
