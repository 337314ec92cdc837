import base64
import json
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SESSION_KEY = base64.urlsafe_b64decode(os.environ["SESSION_KEY"])
NONCE = b"session-v1!!"  # 12 bytes


def seal_session(payload: dict) -> str:
    aesgcm = AESGCM(SESSION_KEY)
    nonce = NONCE
    data = json.dumps(payload, separators=(",", ":")).encode()
    sealed = aesgcm.encrypt(nonce, data, b"session")
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def open_session(cookie: str) -> dict:
    raw = base64.urlsafe_b64decode(cookie)
    nonce, sealed = raw[:12], raw[12:]
    data = AESGCM(SESSION_KEY).decrypt(nonce, sealed, b"session")
    return json.loads(data)
