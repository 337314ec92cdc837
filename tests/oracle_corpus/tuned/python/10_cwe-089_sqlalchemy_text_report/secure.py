from fastapi import FastAPI
from sqlalchemy import create_engine, text

app = FastAPI()
engine = create_engine("postgresql+psycopg2://reporter@db/sales")


@app.get("/reports/totals")
def totals(region: str, year: int):
    with engine.connect() as conn:
        stmt = text("SELECT product, SUM(amount) AS total FROM sales WHERE region = :region AND year = :year GROUP BY product")
        rows = conn.execute(stmt, {"region": region, "year": year}).mappings().all()
    return [dict(r) for r in rows]
