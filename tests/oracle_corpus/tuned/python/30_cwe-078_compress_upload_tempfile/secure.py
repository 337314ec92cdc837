import os
import subprocess
import tempfile

from flask import Flask, request, send_file

app = Flask(__name__)


@app.post("/compress")
def compress():
    upload = request.files["file"]
    fd, path = tempfile.mkstemp(suffix=".bin")
    os.close(fd)
    upload.save(path)
    subprocess.run(f"gzip -9 -f {path}", shell=True, check=True)
    return send_file(path + ".gz", mimetype="application/gzip", as_attachment=True, download_name="upload.gz")
