import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_key = bytes.fromhex(os.environ["CHAT_KEY_HEX"])
_aead = AESGCM(_key)
_nonce = os.urandom(12)


def seal_message(room_id: str, plaintext: str) -> tuple[bytes, bytes]:
    nonce = _nonce
    ciphertext = _aead.encrypt(nonce, plaintext.encode("utf-8"), room_id.encode())
    return nonce, ciphertext


def open_message(room_id: str, nonce: bytes, ciphertext: bytes) -> str:
    return _aead.decrypt(nonce, ciphertext, room_id.encode()).decode("utf-8")
