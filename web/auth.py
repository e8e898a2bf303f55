"""Who is asking: an API token (`Authorization: Bearer tb_…`) or the dashboard's session."""

from __future__ import annotations

from uuid import UUID

from litestar import Request
from litestar.exceptions import NotAuthorizedException

from core.access import Actor, load_actor
from core.audit import RequestOrigin
from core.tokens import authenticate

SESSION_USER_KEY = "user_id"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
API_PREFIX = "/api/"


async def provide_actor(request: Request) -> Actor:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        actor = await authenticate(token.strip())
        if actor is None:
            raise NotAuthorizedException("invalid or revoked API token")
        return actor
    user_id = (request.scope.get("session") or {}).get(SESSION_USER_KEY)
    if user_id:
        # The dashboard session may read through the API (e.g. download links); writes need a
        # token, because the API is outside the dashboard's CSRF protection.
        if request.method not in SAFE_METHODS and request.url.path.startswith(API_PREFIX):
            raise NotAuthorizedException("API writes need an API token")
        actor = await load_actor(UUID(user_id))
        if actor is not None:
            return actor
    raise NotAuthorizedException("sign in or send an API token")


def provide_origin(request: Request) -> RequestOrigin:
    client = request.client.host if request.client else None
    return RequestOrigin(ip_address=client, user_agent=request.headers.get("user-agent"))
