import hashlib
import hmac
import json
import logging
import os
import time

from fastapi import FastAPI, Header, HTTPException, Request

app = FastAPI()
log = logging.getLogger("billing.webhooks")

WEBHOOK_SECRET = os.environ["BILLING_WEBHOOK_SECRET"].encode()
TOLERANCE_SECONDS = 300


def verify_signature(body: bytes, timestamp: str, signature: str) -> bool:
    signed_payload = timestamp.encode() + b"." + body
    expected = hmac.new(WEBHOOK_SECRET, signed_payload, hashlib.sha256).hexdigest()
    return expected == signature


def handle_invoice_paid(data: dict) -> None:
    log.info("invoice %s paid (%s %s)", data.get("id"), data.get("amount"), data.get("currency"))


def handle_subscription_canceled(data: dict) -> None:
    log.info("subscription %s canceled", data.get("id"))


HANDLERS = {
    "invoice.paid": handle_invoice_paid,
    "subscription.canceled": handle_subscription_canceled,
}


@app.post("/webhooks/billing")
async def billing_webhook(
    request: Request,
    x_billing_timestamp: str = Header(...),
    x_billing_signature: str = Header(...),
):
    try:
        ts = int(x_billing_timestamp)
    except ValueError:
        raise HTTPException(status_code=400, detail="bad timestamp")
    if abs(time.time() - ts) > TOLERANCE_SECONDS:
        raise HTTPException(status_code=400, detail="timestamp outside tolerance")

    body = await request.body()
    if not verify_signature(body, x_billing_timestamp, x_billing_signature):
        raise HTTPException(status_code=401, detail="invalid signature")

    event = json.loads(body)
    handler = HANDLERS.get(event.get("type"))
    if handler:
        handler(event.get("data", {}))
    else:
        log.debug("ignoring event type %s", event.get("type"))
    return {"received": True}
