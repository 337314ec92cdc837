import json

from aiohttp import web

from metrics.store import store_points

MAX_BODY = 1024 * 1024
MAX_POINTS = 5000


async def ingest_metrics(request: web.Request) -> web.Response:
    body = await request.content.read()
    try:
        payload = json.loads(body)
    except ValueError:
        raise web.HTTPBadRequest(text="body must be JSON")
    points = payload.get("points") if isinstance(payload, dict) else None
    if not isinstance(points, list):
        raise web.HTTPBadRequest(text="missing points")
    await store_points(request.app["db"], points[:MAX_POINTS])
    return web.json_response({"accepted": min(len(points), MAX_POINTS)})


def make_app() -> web.Application:
    app = web.Application(client_max_size=MAX_BODY)
    app.router.add_post("/ingest", ingest_metrics)
    return app
