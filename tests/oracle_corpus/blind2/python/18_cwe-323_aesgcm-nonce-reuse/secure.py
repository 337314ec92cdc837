import json
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class FieldEncryptor:
    """Encrypts individual PII columns (e-mail, phone, IBAN) before they are
    written to the database. One instance is created at application start-up."""

    NONCE_SIZE = 12

    def __init__(self, key: bytes, key_id: str = "k1"):
        self._aead = AESGCM(key)
        self.key_id = key_id

    def encrypt(self, value: str, column: str) -> str:
        nonce = os.urandom(self.NONCE_SIZE)
        ct = self._aead.encrypt(nonce, value.encode("utf-8"), column.encode("ascii"))
        return json.dumps({"kid": self.key_id, "n": nonce.hex(), "ct": ct.hex()})

    def decrypt(self, token: str, column: str) -> str:
        data = json.loads(token)
        if data["kid"] != self.key_id:
            raise KeyError(f"unknown key id {data['kid']}")
        nonce = bytes.fromhex(data["n"])
        pt = self._aead.decrypt(nonce, bytes.fromhex(data["ct"]), column.encode("ascii"))
        return pt.decode("utf-8")


if __name__ == "__main__":
    enc = FieldEncryptor(AESGCM.generate_key(bit_length=256))
    a = enc.encrypt("alice@example.com", "email")
    b = enc.encrypt("bob@example.com", "email")
    print(a, b, enc.decrypt(a, "email"), sep="\n")
