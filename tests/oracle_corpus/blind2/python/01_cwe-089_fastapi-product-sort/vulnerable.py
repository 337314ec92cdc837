from typing import Optional

from fastapi import Depends, FastAPI, HTTPException, Query
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

DATABASE_URL = "postgresql+psycopg2://shop@localhost/shop"

engine = create_engine(DATABASE_URL, pool_pre_ping=True)
SessionLocal = sessionmaker(bind=engine, autoflush=False)

app = FastAPI(title="Catalog API")


def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


@app.get("/products")
def list_products(
    category: Optional[str] = None,
    sort: str = Query("name"),
    order: str = Query("asc"),
    limit: int = Query(50, ge=1, le=200),
    db: Session = Depends(get_db),
):
    direction = "DESC" if order.lower() == "desc" else "ASC"
    column = sort.strip()
    if not column:
        raise HTTPException(status_code=400, detail="invalid sort column")
    sql = (
        "SELECT p.id, p.name, p.price_cents, p.category FROM products p "
        "WHERE (:category IS NULL OR p.category = :category) "
        f"ORDER BY p.{column} {direction} LIMIT :limit"
    )
    rows = db.execute(text(sql), {"category": category, "limit": limit}).mappings().all()
    return [dict(row) for row in rows]
