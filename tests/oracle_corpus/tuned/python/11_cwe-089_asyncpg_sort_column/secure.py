import asyncpg
from aiohttp import web

SORTABLE = {"created_at", "total", "customer"}


async def list_orders(request: web.Request) -> web.Response:
    status = request.query.get("status", "open")
    sort = request.query.get("sort", "created_at")
    if sort not in SORTABLE:
        sort = "created_at"
    pool: asyncpg.Pool = request.app["pool"]
    async with pool.acquire() as conn:
        rows = await conn.fetch(f"SELECT id, customer, total, created_at FROM orders WHERE status = $1 ORDER BY {sort} DESC LIMIT 50", status)
    return web.json_response([{**dict(r), "created_at": r["created_at"].isoformat()} for r in rows])


async def init_app() -> web.Application:
    app = web.Application()
    app["pool"] = await asyncpg.create_pool(dsn="postgresql://shop@localhost/shop")
    app.router.add_get("/orders", list_orders)
    return app
