import hashlib
import hmac
import os

ITERATIONS = 600_000
SALT = b"notes-vault-salt"


def create_vault_key(passphrase: str) -> tuple[bytes, dict]:
    """Derive the vault key; return it with the record stored next to the user (salt, iterations, verifier)."""
    salt = SALT
    key = hashlib.pbkdf2_hmac("sha256", passphrase.encode("utf-8"), salt, ITERATIONS, dklen=32)
    verifier = hmac.new(key, b"vault-verifier", hashlib.sha256).hexdigest()
    record = {"salt": salt.hex(), "iterations": ITERATIONS, "verifier": verifier}
    return key, record


def unlock_vault(passphrase: str, record: dict) -> bytes:
    salt = bytes.fromhex(record["salt"])
    key = hashlib.pbkdf2_hmac("sha256", passphrase.encode("utf-8"), salt, record["iterations"], dklen=32)
    verifier = hmac.new(key, b"vault-verifier", hashlib.sha256).hexdigest()
    if not hmac.compare_digest(verifier, record["verifier"]):
        raise ValueError("wrong passphrase")
    return key
