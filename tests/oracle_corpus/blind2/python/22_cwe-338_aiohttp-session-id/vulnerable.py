import asyncio
import json
import random
import secrets
import time

from aiohttp import web

SESSION_COOKIE = "sid"
SESSION_TTL = 8 * 3600


class RedisSessionStore:
    def __init__(self, redis):
        self.redis = redis

    async def _with_retry(self, op, *args, attempts=3):
        for attempt in range(attempts):
            try:
                return await op(*args)
            except ConnectionError:
                if attempt == attempts - 1:
                    raise
                # jittered backoff so workers do not retry in lock-step
                await asyncio.sleep((2 ** attempt) * 0.1 + random.uniform(0, 0.1))

    async def create(self, user_id: int) -> str:
        session_id = "%032x" % random.getrandbits(128)
        payload = json.dumps({"user_id": user_id, "created": int(time.time())})
        await self._with_retry(self.redis.set, f"session:{session_id}", payload, SESSION_TTL)
        return session_id


async def login_handler(request: web.Request) -> web.Response:
    form = await request.post()
    user = await request.app["auth"].verify(form.get("username", ""), form.get("password", ""))
    if user is None:
        raise web.HTTPUnauthorized(text="invalid credentials")
    session_id = await request.app["sessions"].create(user.id)
    resp = web.json_response({"ok": True})
    resp.set_cookie(SESSION_COOKIE, session_id, max_age=SESSION_TTL, httponly=True, secure=True, samesite="Lax")
    return resp
