import os
from typing import Literal

import asyncpg
from fastapi import FastAPI, Query

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://localhost:5432/shop")

app = FastAPI(title="Orders API")

@app.on_event("startup")
async def startup() -> None:
    app.state.pool = await asyncpg.create_pool(DATABASE_URL, min_size=1, max_size=10)


@app.on_event("shutdown")
async def shutdown() -> None:
    await app.state.pool.close()


@app.get("/orders")
async def list_orders(
    status: str = Query(..., examples=["pending"]),
    sort_by: str = Query("created_at"),
    order: Literal["asc", "desc"] = Query("desc"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
):
    query = f"""
        SELECT id, customer_name, status, total_cents, created_at, updated_at
        FROM orders
        WHERE status = $1
        ORDER BY {sort_by} {order.upper()}
        LIMIT $2 OFFSET $3
    """
    async with app.state.pool.acquire() as conn:
        rows = await conn.fetch(query, status, limit, offset)

    return {
        "status": status,
        "count": len(rows),
        "orders": [dict(row) for row in rows],
    }
