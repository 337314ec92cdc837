import ipaddress
import socket
from urllib.parse import urlparse

import httpx
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI()

MAX_AVATAR_BYTES = 2 * 1024 * 1024


class AvatarRequest(BaseModel):
    user_id: int
    url: str


def _resolve_public_host(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise HTTPException(status_code=400, detail="only http(s) URLs are allowed")
    try:
        infos = socket.getaddrinfo(parsed.hostname, parsed.port or 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        raise HTTPException(status_code=400, detail="cannot resolve host")
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if not addr.is_global:
            raise HTTPException(status_code=400, detail="address not allowed")


@app.post("/avatars/import")
async def import_avatar(req: AvatarRequest):
    """Download the user's avatar from a URL they supply and store it."""
    _resolve_public_host(req.url)
    async with httpx.AsyncClient(timeout=10.0, follow_redirects=False) as client:
        resp = await client.get(req.url)
    if resp.status_code != 200:
        raise HTTPException(status_code=502, detail=f"upstream returned {resp.status_code}")
    content_type = resp.headers.get("content-type", "")
    if not content_type.startswith("image/"):
        raise HTTPException(status_code=415, detail="not an image")
    if len(resp.content) > MAX_AVATAR_BYTES:
        raise HTTPException(status_code=413, detail="image too large")
    path = f"/srv/media/avatars/{req.user_id}.img"
    with open(path, "wb") as fh:
        fh.write(resp.content)
    return {"user_id": req.user_id, "size": len(resp.content), "content_type": content_type}
