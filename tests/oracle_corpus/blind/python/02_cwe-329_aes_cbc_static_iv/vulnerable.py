import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

ENC_KEY = bytes.fromhex(os.environ["PII_ENC_KEY"])  # 32 bytes
MAC_KEY = bytes.fromhex(os.environ["PII_MAC_KEY"])  # 32 bytes
STATIC_IV = b"0123456789abcdef"


def encrypt_national_id(national_id: str) -> str:
    """Encrypt with AES-256-CBC, then MAC; returns base64(iv || ciphertext || tag)."""
    iv = STATIC_IV
    padder = padding.PKCS7(128).padder()
    padded = padder.update(national_id.encode("utf-8")) + padder.finalize()
    encryptor = Cipher(algorithms.AES(ENC_KEY), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(padded) + encryptor.finalize()
    tag = hmac.new(MAC_KEY, iv + ciphertext, hashlib.sha256).digest()
    return base64.b64encode(iv + ciphertext + tag).decode("ascii")
