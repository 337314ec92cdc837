"""Generate the RSA key pair used to sign license files."""
import argparse
import getpass
import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def generate_keypair(out_dir: Path, name: str, passphrase: bytes) -> tuple[Path, Path]:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=1024)

    private_pem = private_key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase),
    )
    public_pem = private_key.public_key().public_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PublicFormat.SubjectPublicKeyInfo,
    )

    out_dir.mkdir(parents=True, exist_ok=True)
    priv_path = out_dir / f"{name}.key.pem"
    pub_path = out_dir / f"{name}.pub.pem"

    fd = os.open(priv_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(private_pem)
    pub_path.write_bytes(public_pem)
    return priv_path, pub_path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("keys"))
    parser.add_argument("--name", default="license-signing")
    args = parser.parse_args(argv)

    passphrase = getpass.getpass("Passphrase for the private key: ").encode()
    if len(passphrase) < 12:
        print("passphrase must be at least 12 characters", file=sys.stderr)
        return 1

    priv, pub = generate_keypair(args.out, args.name, passphrase)
    print(f"private key: {priv}\npublic key:  {pub}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
