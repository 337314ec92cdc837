import asyncio
import os
import uuid

from aiohttp import web

UPLOAD_DIR = "/var/lib/gallery/uploads"
THUMB_DIR = "/var/lib/gallery/thumbs"

routes = web.RouteTableDef()


@routes.post("/thumbnail")
async def make_thumbnail(request: web.Request) -> web.Response:
    data = await request.post()
    name = data.get("image")
    size = data.get("size", "200x200")
    if not name:
        raise web.HTTPBadRequest(text="missing image")

    src = os.path.join(UPLOAD_DIR, os.path.basename(name))
    if not os.path.isfile(src):
        raise web.HTTPNotFound(text="no such image")
    dst = os.path.join(THUMB_DIR, f"{uuid.uuid4().hex}.png")

    proc = await asyncio.create_subprocess_shell(
        f"convert {src} -thumbnail {size} {dst}",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await proc.communicate()
    if proc.returncode != 0:
        raise web.HTTPInternalServerError(text=err.decode(errors="replace"))
    return web.json_response({"thumbnail": os.path.basename(dst)})


def create_app() -> web.Application:
    app = web.Application(client_max_size=20 * 1024 * 1024)
    app.add_routes(routes)
    return app


if __name__ == "__main__":
    web.run_app(create_app(), port=8080)
