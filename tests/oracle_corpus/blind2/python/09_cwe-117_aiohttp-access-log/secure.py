import logging
import time

from aiohttp import web

access_log = logging.getLogger("app.access")


def _clean(value, limit=200):
    """Make a client-supplied string safe to put on a single log line."""
    value = value.replace("\r", "\\r").replace("\n", "\\n")
    return value[:limit]


@web.middleware
async def access_logger(request, handler):
    started = time.monotonic()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        elapsed_ms = (time.monotonic() - started) * 1000
        user_agent = request.headers.get("User-Agent", "-")
        access_log.info(
            "%s %s %s %d %.1fms ua=%s",
            request.remote,
            request.method,
            _clean(request.path_qs),
            status,
            elapsed_ms,
            _clean(user_agent),
        )


async def health(request):
    return web.json_response({"status": "ok"})


def create_app():
    app = web.Application(middlewares=[access_logger])
    app.router.add_get("/health", health)
    return app


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    web.run_app(create_app(), port=8081)
