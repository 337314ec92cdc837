import base64
import hashlib
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

ITERATIONS = 600_000
SALT_SIZE = 16


def derive_key(passphrase: str, salt: bytes) -> bytes:
    raw = hashlib.pbkdf2_hmac("sha256", passphrase.encode("utf-8"), salt, ITERATIONS, dklen=32)
    return base64.urlsafe_b64encode(raw)


def encrypt_backup(passphrase: str, src: Path, dest: Path) -> None:
    salt = os.urandom(SALT_SIZE)
    token = Fernet(derive_key(passphrase, salt)).encrypt(src.read_bytes())
    dest.write_bytes(salt + token)


def decrypt_backup(passphrase: str, src: Path) -> bytes:
    data = src.read_bytes()
    salt, token = data[:SALT_SIZE], data[SALT_SIZE:]
    try:
        return Fernet(derive_key(passphrase, salt)).decrypt(token)
    except InvalidToken:
        raise ValueError("wrong passphrase or corrupted backup") from None
