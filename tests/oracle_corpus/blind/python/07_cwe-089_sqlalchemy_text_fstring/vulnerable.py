import os

from fastapi import Depends, FastAPI
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection

app = FastAPI()
engine = create_engine(os.environ["DATABASE_URL"])


def get_conn():
    with engine.connect() as conn:
        yield conn


@app.get("/tenants/{tenant_id}/invoices")
def list_invoices(tenant_id: int, status: str = "open", conn: Connection = Depends(get_conn)):
    query = text(
        "SELECT id, number, total_cents, due_date FROM invoices "
        f"WHERE tenant_id = {tenant_id} AND status = '{status}' ORDER BY due_date"
    )
    rows = conn.execute(query).mappings().all()
    return [dict(r) for r in rows]
