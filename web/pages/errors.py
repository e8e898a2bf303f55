"""Errors on dashboard pages: HTML for people, never JSON, never a stack trace or PHI.

An HTMX request gets the message in the page's alert region (`#flash`); a full page gets an
error page; a request without a (live) session is sent to the sign-in page.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from litestar import Request, Response
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_401_UNAUTHORIZED, HTTP_403_FORBIDDEN
from litestar.types import ExceptionHandlersMap

from web.auth import SessionEnded
from web.errors import HANDLED, status_and_message

SIGN_IN = "/sign-in"
EXPIRED_FORM = "This page has expired. Reload it and try again."


def show_error(request: Request, message: str, status: int) -> Response:
    if request.headers.get("hx-request"):
        return Template(
            template_name="partials/flash.html",
            context={"message": message, "level": "error"},
            status_code=status,
            headers={"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"},
        )
    return Template(
        template_name="error.html",
        context={"message": message, "status": status},
        status_code=status,
    )


def domain_error(request: Request, error: Exception) -> Response:
    status, message = status_and_message(request, error)
    return show_error(request, message[:1].upper() + message[1:], status)


def expired_form(request: Request, error: PermissionDeniedException) -> Response:
    """The CSRF check failed: the page was open too long (or the request is forged)."""
    return show_error(request, EXPIRED_FORM, HTTP_403_FORBIDDEN)


def sign_in_first(request: Request, error: NotAuthorizedException) -> Response:
    """To the sign-in page, and back to where the person was once signed in."""
    if request.headers.get("accept", "").startswith("text/event-stream"):
        return Response("sign in first", status_code=HTTP_401_UNAUTHORIZED)
    page = request.url  # the page to return to: for an HTMX request, the one it came from
    if request.headers.get("hx-request") and request.headers.get("hx-current-url"):
        page = urlsplit(request.headers["hx-current-url"])  # type: ignore[assignment]
    back = page.path + (f"?{page.query}" if page.query else "")
    target = f"{SIGN_IN}?next={quote(local_path(back), safe='/')}"
    if isinstance(error, SessionEnded):
        target += "&reason=idle"
    if request.headers.get("hx-request"):
        return Response("", status_code=HTTP_401_UNAUTHORIZED, headers={"HX-Redirect": target})
    return Redirect(target, status_code=HTTP_303_SEE_OTHER)


def local_path(url: str) -> str:
    """The path (and query) of a URL on this site, or "/": `next` never leads elsewhere."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return "/"
    if parts.path.startswith(("//", "/\\")):  # browsers read both as another host
        return "/"
    return parts.path + (f"?{parts.query}" if parts.query else "")


PAGE_EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    NotAuthorizedException: sign_in_first,
    PermissionDeniedException: expired_form,
    **dict.fromkeys(HANDLED, domain_error),
}
