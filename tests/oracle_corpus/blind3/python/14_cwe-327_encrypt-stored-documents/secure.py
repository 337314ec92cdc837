"""Encrypt customer documents before they are written to shared storage."""
import base64
import os
from pathlib import Path

from Crypto.Cipher import AES


def _load_key() -> bytes:
    key = base64.b64decode(os.environ["DOCUMENT_KEY"])
    if len(key) != 32:
        raise RuntimeError("DOCUMENT_KEY must be a base64-encoded 32-byte key")
    return key


def encrypt_document(data: bytes, key: bytes) -> bytes:
    cipher = AES.new(key, AES.MODE_GCM)
    ciphertext, tag = cipher.encrypt_and_digest(data)
    return cipher.nonce + tag + ciphertext


def decrypt_document(blob: bytes, key: bytes) -> bytes:
    nonce, tag, ciphertext = blob[:16], blob[16:32], blob[32:]
    cipher = AES.new(key, AES.MODE_GCM, nonce=nonce)
    return cipher.decrypt_and_verify(ciphertext, tag)


def store_document(src: Path, dest_dir: Path) -> Path:
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / (src.name + ".enc")
    dest.write_bytes(encrypt_document(src.read_bytes(), _load_key()))
    return dest


def load_document(path: Path) -> bytes:
    return decrypt_document(path.read_bytes(), _load_key())
