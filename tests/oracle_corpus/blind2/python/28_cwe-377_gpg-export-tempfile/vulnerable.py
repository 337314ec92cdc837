import csv
import os
import subprocess
import tempfile


def export_encrypted_csv(rows, fieldnames, recipient, out_path):
    """Write `rows` (dicts) as CSV, encrypt the file for the GPG key `recipient`
    and save the result at `out_path`. The clear-text CSV must not be left behind."""
    plain_path = os.path.join(tempfile.gettempdir(), f"export-{os.getpid()}.csv")
    try:
        with open(plain_path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=fieldnames)
            writer.writeheader()
            writer.writerows(rows)
        subprocess.run(
            [
                "gpg", "--batch", "--yes", "--trust-model", "always",
                "--recipient", recipient,
                "--output", out_path,
                "--encrypt", plain_path,
            ],
            check=True,
            capture_output=True,
        )
    finally:
        if os.path.exists(plain_path):
            os.remove(plain_path)
    return out_path
