import base64
import os

from Crypto.Cipher import AES
from Crypto.Random import get_random_bytes
from Crypto.Util.Padding import pad, unpad


def load_key():
    key = base64.b64decode(os.environ["DOCSTORE_KEY"])
    if len(key) != 32:
        raise ValueError("DOCSTORE_KEY must be 32 bytes (base64)")
    return key


def encrypt_document(plaintext: bytes, key: bytes) -> bytes:
    """Encrypt a customer document before it is written to object storage."""
    cipher = AES.new(key, AES.MODE_ECB)
    ciphertext = cipher.encrypt(pad(plaintext, AES.block_size))
    return ciphertext


def decrypt_document(blob: bytes, key: bytes) -> bytes:
    cipher = AES.new(key, AES.MODE_ECB)
    return unpad(cipher.decrypt(blob), AES.block_size)


if __name__ == "__main__":
    k = get_random_bytes(32)
    blob = encrypt_document(b"contract #4711: signed", k)
    assert decrypt_document(blob, k) == b"contract #4711: signed"
    print(base64.b64encode(blob).decode())
