import json
import os
import random

import redis

SESSION_TTL = 60 * 60 * 8
r = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/0"))


def create_session(user_id: int, roles: list[str]) -> str:
    session_id = "%032x" % random.getrandbits(128)
    data = {"user_id": user_id, "roles": roles}
    r.setex(f"session:{session_id}", SESSION_TTL, json.dumps(data))
    return session_id


def load_session(session_id: str) -> dict | None:
    raw = r.get(f"session:{session_id}")
    return json.loads(raw) if raw else None
