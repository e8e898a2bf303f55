"""A local HTTP server that speaks the OpenAI REST API's wire format, for tests.

Requests go to handlers by (method, path); every request is recorded in `requests`. Responses
queued for a route with `queue(...)` are served first, in order (to script "429, then success");
after them the route's handler answers. A path without a route gets OpenAI's 404 error.

    async with FakeOpenAIServer() as server:
        server.queue("POST", "/v1/chat/completions", rate_limited(), chat_completion('{"a": 1}'))
        client = AsyncOpenAI(api_key="test", base_url=server.base_url)

More endpoints (audio transcriptions, say) are one `route(...)` call away; a handler gets the
raw body and headers, so it can read multipart forms too.
"""

from __future__ import annotations

import json
import socket
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self

from aiohttp import web


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class FakeResponse:
    status: int = 200
    body: Any = None  # JSON-serialisable, or str/bytes sent as they are
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[RecordedRequest], FakeResponse]


class FakeOpenAIServer:
    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.routes: dict[tuple[str, str], Handler] = {}
        self._queued: defaultdict[tuple[str, str], deque[FakeResponse]] = defaultdict(deque)
        self._runner: web.AppRunner | None = None
        self._port = 0

    @property
    def base_url(self) -> str:
        """What `AsyncOpenAI(base_url=...)` takes: the API root, ending in /v1."""
        return f"http://127.0.0.1:{self._port}/v1"

    def route(self, method: str, path: str, handler: Handler) -> None:
        self.routes[method.upper(), path] = handler

    def queue(self, method: str, path: str, *responses: FakeResponse) -> None:
        self._queued[method.upper(), path].extend(responses)

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{path:.*}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))  # a free port chosen by the system
        self._port = listener.getsockname()[1]
        await web.SockSite(self._runner, listener).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def _dispatch(self, request: web.Request) -> web.Response:
        recorded = RecordedRequest(
            method=request.method,
            path=request.path,
            headers=dict(request.headers),
            body=await request.read(),
        )
        self.requests.append(recorded)
        key = (recorded.method, recorded.path)
        if self._queued[key]:
            response = self._queued[key].popleft()
        elif key in self.routes:
            response = self.routes[key](recorded)
        else:
            response = api_error(404, f"Unknown request URL: {recorded.method} {recorded.path}")
        return _to_web(response)


def _to_web(response: FakeResponse) -> web.Response:
    if isinstance(response.body, str | bytes):
        return web.Response(status=response.status, body=response.body, headers=response.headers)
    return web.json_response(response.body, status=response.status, headers=response.headers)


def chat_completion(
    content: str | None = None,
    *,
    refusal: str | None = None,
    finish_reason: str = "stop",
    model: str = "gpt-4o-mini",
) -> FakeResponse:
    """A successful chat completion whose assistant message says `content` (or refuses)."""
    return FakeResponse(
        body={
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content, "refusal": refusal},
                    "logprobs": None,
                    "finish_reason": finish_reason,
                }
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
        }
    )


def api_error(status: int, message: str, *, headers: dict[str, str] | None = None) -> FakeResponse:
    """An error in OpenAI's shape: {"error": {"message", "type", "code", "param"}}."""
    kind = {429: "rate_limit_exceeded", 404: "invalid_request_error"}.get(status, "server_error")
    return FakeResponse(
        status=status,
        body={"error": {"message": message, "type": kind, "code": None, "param": None}},
        headers=headers or {},
    )


def rate_limited(retry_after_seconds: float = 0.01) -> FakeResponse:
    return api_error(429, "Rate limit reached", headers={"retry-after": str(retry_after_seconds)})
