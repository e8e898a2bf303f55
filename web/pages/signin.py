"""Signing in and out of the dashboard, and keeping an active session alive."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import (
    HTTP_204_NO_CONTENT,
    HTTP_303_SEE_OTHER,
    HTTP_400_BAD_REQUEST,
    HTTP_429_TOO_MANY_REQUESTS,
)

from core.access import Actor
from core.infra.runtime import Runtime
from core.signin import LockedOut, SignInError, sign_in
from web.auth import SessionEnded, session_user_id, start_session
from web.pages.errors import local_path

NOTICES = {
    "idle": "You were signed out after a while without activity. Sign in to continue.",
    "signed-out": "You are signed out.",
}


def _sign_in_form(
    next_page: str, *, notice: str | None = None, error: str | None = None, email: str = ""
) -> dict[str, object]:
    return {"next": local_path(next_page), "notice": notice, "error": error, "email": email}


class SignInController(Controller):
    include_in_schema = False

    @get("/sign-in", name="sign-in")
    async def sign_in_page(
        self,
        request: Request,
        next: FromQuery[str] = "/",
        reason: FromQuery[str | None] = None,
    ) -> Response:
        try:
            if session_user_id(request):
                return Redirect(local_path(next), status_code=HTTP_303_SEE_OTHER)
        except SessionEnded:
            reason = "idle"
        return Template(
            "sign_in.html", context=_sign_in_form(next, notice=NOTICES.get(reason or ""))
        )

    @post("/sign-in")
    async def sign_in(self, request: Request, runtime: NamedDependency[Runtime]) -> Response:
        form = await request.form()
        email, password = str(form.get("email", "")), str(form.get("password", ""))
        next_page = str(form.get("next", "/"))
        try:
            actor = await sign_in(runtime.redis, email, password)
        except SignInError as error:
            locked = isinstance(error, LockedOut)
            return Template(
                "sign_in.html",
                context=_sign_in_form(next_page, error=str(error), email=email),
                status_code=HTTP_429_TOO_MANY_REQUESTS if locked else HTTP_400_BAD_REQUEST,
            )
        start_session(request, actor)
        return Redirect(local_path(next_page), status_code=HTTP_303_SEE_OTHER)

    @post("/sign-out")
    async def sign_out(self, request: Request) -> Redirect:
        request.clear_session()
        return Redirect("/sign-in?reason=signed-out", status_code=HTTP_303_SEE_OTHER)

    @post("/session/keepalive", status_code=HTTP_204_NO_CONTENT)
    async def keepalive(self, actor: NamedDependency[Actor]) -> None:
        """The person is working on the page (typing, say) without a request of their own:
        resolving `actor` records the activity."""
