import logging
import os

import httpx

log = logging.getLogger(__name__)

INVENTORY_URL = os.environ.get("INVENTORY_URL", "https://inventory.internal.example.com")
# The inventory service uses a certificate issued by our internal CA.
CA_BUNDLE = os.environ.get("INVENTORY_CA_BUNDLE", "/etc/ssl/certs/internal-ca.pem")


class InventoryClient:
    def __init__(self, token: str, timeout: float = 10.0):
        self._client = httpx.Client(
            base_url=INVENTORY_URL,
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
            verify=CA_BUNDLE,
        )

    def stock_level(self, sku: str) -> int:
        resp = self._client.get(f"/v1/stock/{sku}")
        resp.raise_for_status()
        return int(resp.json()["available"])

    def reserve(self, sku: str, quantity: int, order_id: str) -> bool:
        resp = self._client.post(
            "/v1/reservations",
            json={"sku": sku, "quantity": quantity, "order_id": order_id},
        )
        if resp.status_code == 409:
            log.info("not enough stock for %s (order %s)", sku, order_id)
            return False
        resp.raise_for_status()
        return True

    def close(self) -> None:
        self._client.close()
