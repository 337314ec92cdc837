import asyncio
import os
import uuid

import tornado.ioloop
import tornado.web

UPLOAD_DIR = "/srv/media/uploads"
THUMB_DIR = "/srv/media/thumbs"


class ThumbnailHandler(tornado.web.RequestHandler):
    async def post(self):
        name = self.get_body_argument("video")
        at = self.get_body_argument("at", "00:00:01")
        try:
            width = int(self.get_body_argument("width", "320"))
        except ValueError:
            raise tornado.web.HTTPError(400, reason="width must be an integer")

        src = os.path.join(UPLOAD_DIR, os.path.basename(name))
        if not os.path.isfile(src):
            raise tornado.web.HTTPError(404, reason="video not found")

        thumb_name = f"{uuid.uuid4().hex}.jpg"
        dest = os.path.join(THUMB_DIR, thumb_name)

        proc = await asyncio.create_subprocess_exec(
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
            "-ss", at, "-i", src,
            "-frames:v", "1", "-vf", f"scale={width}:-1",
            dest,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        _, stderr = await proc.communicate()
        if proc.returncode != 0:
            self.set_status(422)
            self.write({"error": "could not extract a frame from this video"})
            return

        self.write({"thumbnail": f"/thumbs/{thumb_name}"})


def make_app() -> tornado.web.Application:
    return tornado.web.Application([
        (r"/api/thumbnails", ThumbnailHandler),
        (r"/thumbs/(.*)", tornado.web.StaticFileHandler, {"path": THUMB_DIR}),
    ])


if __name__ == "__main__":
    make_app().listen(8888)
    tornado.ioloop.IOLoop.current().start()
