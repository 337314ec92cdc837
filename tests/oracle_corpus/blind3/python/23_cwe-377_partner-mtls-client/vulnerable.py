"""Client for the partner settlement API (mutual TLS)."""
import os
import tempfile

import requests

API_URL = "https://settlement.partner.example.com/v2/batches"


def submit_batch(batch: dict) -> dict:
    cert_pem = os.environ["PARTNER_CLIENT_CERT"]
    key_pem = os.environ["PARTNER_CLIENT_KEY"]

    pem_path = tempfile.mktemp(prefix="partner-", suffix=".pem")
    try:
        with open(pem_path, "w") as fh:
            fh.write(cert_pem.strip() + "\n")
            fh.write(key_pem.strip() + "\n")

        resp = requests.post(
            API_URL,
            json=batch,
            cert=pem_path,
            timeout=30,
            headers={"Idempotency-Key": batch["batch_id"]},
        )
        resp.raise_for_status()
        return resp.json()
    finally:
        os.remove(pem_path)
