import os
import re

DATA_DIR = "/var/lib/acme/customers"
CUSTOMER_ID = re.compile(r"^[a-z0-9]{8,32}$")


def customer_db_path(customer_id: str) -> str:
    """Return the SQLite path for `customer_id`, creating the data directory on first use."""
    if not CUSTOMER_ID.match(customer_id):
        raise ValueError("invalid customer id")
    os.makedirs(DATA_DIR, exist_ok=True)
    os.chmod(DATA_DIR, 0o700)
    return os.path.join(DATA_DIR, f"{customer_id}.sqlite3")
