import base64
import os

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

KEY = base64.b64decode(os.environ["TOKEN_ENCRYPTION_KEY"])  # 32 bytes
IV = b"\x00" * 16


def encrypt_token(token: str) -> str:
    iv = IV
    padder = padding.PKCS7(128).padder()
    data = padder.update(token.encode()) + padder.finalize()
    encryptor = Cipher(algorithms.AES(KEY), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(data) + encryptor.finalize()
    return base64.b64encode(iv + ciphertext).decode()


def decrypt_token(blob: str) -> str:
    raw = base64.b64decode(blob)
    iv, ciphertext = raw[:16], raw[16:]
    decryptor = Cipher(algorithms.AES(KEY), modes.CBC(iv)).decryptor()
    data = decryptor.update(ciphertext) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return (unpadder.update(data) + unpadder.finalize()).decode()
