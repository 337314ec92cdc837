import os
import subprocess
import tempfile

from flask import Flask, request, send_file

app = Flask(__name__)


@app.post("/compress")
def compress():
    upload = request.files["file"]
    path = os.path.join(tempfile.gettempdir(), upload.filename)
    upload.save(path)
    subprocess.run(f"gzip -9 -f {path}", shell=True, check=True)
    return send_file(path + ".gz", mimetype="application/gzip", as_attachment=True, download_name="upload.gz")
