import os
import subprocess


def convert_to_pdf(docx_path: str, out_dir: str) -> str:
    os.makedirs(out_dir, exist_ok=True)
    cmd = ["soffice", "--headless", "--convert-to", "pdf", "--outdir", out_dir, os.path.abspath(docx_path)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"conversion failed: {result.stderr.strip()}")
    base = os.path.splitext(os.path.basename(docx_path))[0]
    pdf_path = os.path.join(out_dir, base + ".pdf")
    if not os.path.exists(pdf_path):
        raise RuntimeError("LibreOffice did not produce a PDF")
    return pdf_path
