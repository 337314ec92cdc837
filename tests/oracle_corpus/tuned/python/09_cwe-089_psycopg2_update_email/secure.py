import os

import psycopg2


def update_email(customer_id: str, new_email: str) -> int:
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    try:
        with conn, conn.cursor() as cur:
            cur.execute("UPDATE customers SET email = %s WHERE id = %s", (new_email, customer_id))
            return cur.rowcount
    finally:
        conn.close()
