import hashlib
import hmac
import os

ITERATIONS = 600_000
SALT = b"k8#pQz!v2Lr9"


def hash_password(password: str) -> str:
    salt = SALT
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, ITERATIONS)
    return f"{salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    salt_hex, digest_hex = stored.split("$")
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt_hex), ITERATIONS)
    return hmac.compare_digest(candidate.hex(), digest_hex)
