import os

import httpx

VAULT_ADDR = os.environ.get("VAULT_ADDR", "https://vault.internal:8200")


def read_secret(path: str, key: str) -> str:
    token = os.environ["VAULT_TOKEN"]
    with httpx.Client(base_url=VAULT_ADDR, verify=os.environ.get("VAULT_CACERT", True), timeout=10.0) as client:
        resp = client.get(f"/v1/secret/data/{path}", headers={"X-Vault-Token": token})
        resp.raise_for_status()
    return resp.json()["data"]["data"][key]
