import base64
import hashlib

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class ConversationCipher:
    """Encrypts chat messages at rest. One key per workspace, fetched from the KMS."""

    NONCE_SIZE = 12

    def __init__(self, key: bytes):
        if len(key) not in (16, 24, 32):
            raise ValueError("AES key must be 128, 192 or 256 bits")
        self._aesgcm = AESGCM(key)

    def encrypt_message(self, conversation_id: str, text: str) -> str:
        nonce = hashlib.sha256(conversation_id.encode("utf-8")).digest()[: self.NONCE_SIZE]
        ciphertext = self._aesgcm.encrypt(nonce, text.encode("utf-8"), conversation_id.encode("utf-8"))
        return base64.b64encode(nonce + ciphertext).decode("ascii")

    def decrypt_message(self, conversation_id: str, token: str) -> str:
        raw = base64.b64decode(token)
        nonce, ciphertext = raw[: self.NONCE_SIZE], raw[self.NONCE_SIZE:]
        plaintext = self._aesgcm.decrypt(nonce, ciphertext, conversation_id.encode("utf-8"))
        return plaintext.decode("utf-8")


def encrypt_history(cipher: ConversationCipher, conversation_id: str, messages: list[str]) -> list[str]:
    return [cipher.encrypt_message(conversation_id, m) for m in messages]
