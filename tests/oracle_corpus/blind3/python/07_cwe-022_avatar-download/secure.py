from pathlib import Path

from aiohttp import web

AVATAR_ROOT = Path("/var/lib/forum/avatars").resolve()
CACHE_HEADERS = {"Cache-Control": "public, max-age=86400"}


async def get_avatar(request: web.Request) -> web.StreamResponse:
    user_id = request.match_info["user_id"]
    filename = request.match_info["filename"]

    path = (AVATAR_ROOT / user_id / filename).resolve()
    if not path.is_relative_to(AVATAR_ROOT):
        raise web.HTTPNotFound()
    if not path.is_file():
        raise web.HTTPNotFound()

    return web.FileResponse(path, headers=CACHE_HEADERS)


async def default_avatar(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(AVATAR_ROOT / "default.png", headers=CACHE_HEADERS)


def create_app() -> web.Application:
    app = web.Application()
    app.router.add_get("/avatars/default.png", default_avatar)
    app.router.add_get(r"/avatars/{user_id:\d+}/{filename:.+}", get_avatar)
    return app


if __name__ == "__main__":
    web.run_app(create_app(), port=8080)
