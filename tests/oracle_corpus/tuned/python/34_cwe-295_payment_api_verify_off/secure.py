import os

import requests

API_BASE = "https://payments.internal.example.com/v2"
CA_BUNDLE = "/etc/ssl/certs/company-ca.pem"


def create_charge(customer_id: str, amount_cents: int, currency: str = "EUR") -> str:
    resp = requests.post(
        f"{API_BASE}/charges",
        json={"customer": customer_id, "amount": amount_cents, "currency": currency},
        headers={"Authorization": f"Bearer {os.environ['PAYMENTS_TOKEN']}"},
        timeout=10,
        verify=CA_BUNDLE,
    )
    resp.raise_for_status()
    return resp.json()["transaction_id"]
