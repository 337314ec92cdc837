import os
from typing import Annotated

import jwt
from fastapi import Depends, FastAPI, HTTPException, status
from fastapi.security import OAuth2PasswordBearer
from jwt.exceptions import InvalidTokenError
from pydantic import BaseModel

SECRET_KEY = os.environ["AUTH_JWT_SECRET"]
ALGORITHM = "HS256"

app = FastAPI()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="https://auth.example.com/token")


class CurrentUser(BaseModel):
    username: str
    scopes: list[str] = []


async def get_current_user(token: Annotated[str, Depends(oauth2_scheme)]) -> CurrentUser:
    credentials_exception = HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Could not validate credentials",
        headers={"WWW-Authenticate": "Bearer"},
    )
    try:
        payload = jwt.decode(token, SECRET_KEY, algorithms=[ALGORITHM])
    except InvalidTokenError:
        raise credentials_exception
    username = payload.get("sub")
    if not username:
        raise credentials_exception
    return CurrentUser(username=username, scopes=payload.get("scope", "").split())


@app.get("/me")
async def read_me(user: Annotated[CurrentUser, Depends(get_current_user)]):
    return user


@app.get("/admin/stats")
async def admin_stats(user: Annotated[CurrentUser, Depends(get_current_user)]):
    if "admin" not in user.scopes:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="admin scope required")
    return {"active_users": 1234}
