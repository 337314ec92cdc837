import os
import subprocess
import tempfile


def html_to_pdf(html: str, pdf_path: str) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False, encoding="utf-8") as fh:
        fh.write(html)
        tmp_path = fh.name
    try:
        subprocess.run(["wkhtmltopdf", "--quiet", tmp_path, pdf_path], check=True, timeout=60)
    finally:
        os.unlink(tmp_path)
