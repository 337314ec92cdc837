import base64
import hashlib
import os

from cryptography.fernet import Fernet, InvalidToken

ITERATIONS = 600_000
SALT = b"notes-app-salt-v1"


def derive_fernet_key(passphrase: str, salt: bytes) -> bytes:
    raw = hashlib.pbkdf2_hmac("sha256", passphrase.encode("utf-8"), salt, ITERATIONS, dklen=32)
    return base64.urlsafe_b64encode(raw)


def encrypt_note(passphrase: str, text: str) -> dict:
    """Encrypt a private note with a key derived from the user's passphrase and
    return the record to store in the notes table."""
    salt = SALT
    token = Fernet(derive_fernet_key(passphrase, salt)).encrypt(text.encode("utf-8"))
    return {"salt": salt.hex(), "token": token.decode("ascii")}


def decrypt_note(passphrase: str, record: dict) -> str:
    salt = bytes.fromhex(record["salt"])
    try:
        plain = Fernet(derive_fernet_key(passphrase, salt)).decrypt(record["token"].encode("ascii"))
    except InvalidToken:
        raise ValueError("wrong passphrase or corrupted note")
    return plain.decode("utf-8")
