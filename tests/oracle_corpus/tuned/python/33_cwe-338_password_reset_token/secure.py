import secrets
from datetime import datetime, timedelta, timezone

from db import save_reset_token  # project helper


def create_reset_token(user_id: int) -> str:
    token = secrets.token_urlsafe(32)
    expires = datetime.now(timezone.utc) + timedelta(hours=1)
    save_reset_token(user_id, token, expires)
    return token
