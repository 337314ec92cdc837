import hmac
import secrets

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

CSRF_COOKIE = "csrftoken"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def generate_csrf_token() -> str:
    return secrets.token_urlsafe(32)


class CSRFMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        cookie_token = request.cookies.get(CSRF_COOKIE)
        if request.method not in SAFE_METHODS:
            header_token = request.headers.get(CSRF_HEADER, "")
            if not cookie_token or not hmac.compare_digest(cookie_token, header_token):
                return PlainTextResponse("CSRF token missing or invalid", status_code=403)

        response = await call_next(request)
        if not cookie_token:
            response.set_cookie(
                CSRF_COOKIE,
                generate_csrf_token(),
                secure=True,
                httponly=False,  # the frontend reads it to fill the header
                samesite="strict",
            )
        return response


async def profile(request: Request):
    return JSONResponse({"user": request.headers.get("x-user", "anonymous")})


async def update_profile(request: Request):
    data = await request.json()
    return JSONResponse({"updated": sorted(data)})


app = Starlette(
    routes=[
        Route("/api/profile", profile, methods=["GET"]),
        Route("/api/profile", update_profile, methods=["POST"]),
    ],
    middleware=[Middleware(CSRFMiddleware)],
)
