import os
import subprocess
import tempfile


def html_to_pdf(html: str, pdf_path: str) -> None:
    tmp_path = tempfile.mktemp(suffix=".html")
    with open(tmp_path, "w", encoding="utf-8") as fh:
        fh.write(html)
    try:
        subprocess.run(["wkhtmltopdf", "--quiet", tmp_path, pdf_path], check=True, timeout=60)
    finally:
        os.unlink(tmp_path)
