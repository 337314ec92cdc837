import base64
import hashlib
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

ITERATIONS = 600_000


def derive_key(passphrase: str) -> bytes:
    salt = b"nightly-backups-v1"
    raw = hashlib.pbkdf2_hmac("sha256", passphrase.encode("utf-8"), salt, ITERATIONS, dklen=32)
    return base64.urlsafe_b64encode(raw)


def encrypt_backup(passphrase: str, src: Path, dest: Path) -> None:
    token = Fernet(derive_key(passphrase)).encrypt(src.read_bytes())
    dest.write_bytes(token)


def decrypt_backup(passphrase: str, src: Path) -> bytes:
    token = src.read_bytes()
    try:
        return Fernet(derive_key(passphrase)).decrypt(token)
    except InvalidToken:
        raise ValueError("wrong passphrase or corrupted backup") from None
