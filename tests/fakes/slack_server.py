"""A local HTTP server that speaks the Slack Web API's wire format, for tests.

On 127.0.0.1 and a free port it serves:

- `/api/<method>`: the Web API methods the app calls, answering as Slack does — HTTP 200 with
  `{"ok": true, ...}` or `{"ok": false, "error": "..."}`, and `invalid_auth` without the bot
  token: auth.test, chat.postMessage, chat.postEphemeral, chat.update, conversations.open,
  views.publish, files.getUploadURLExternal and files.completeUploadExternal;
- `/upload/<file_id>`: the upload URL that files.getUploadURLExternal hands out;
- `/hooks/<name>`: response URLs (`response_url()` makes one);
- `/socket`: Socket Mode — apps.connections.open (with the app-level token) hands out this
  WebSocket URL; `send_envelope()` pushes a payload down it and each ack the app sends back is
  recorded as a SOCKET_ACK call.

Every call is recorded in `calls` with its parameters (query string and form or JSON body,
merged) and raw body. `rate_limit(method, times)` answers the next calls 429 with a
Retry-After header; `refuse_channel(channel)` fails posts to a channel as Slack does for one
the bot is not in. `wait_for(method, count)` waits for calls made by background work.

    async with FakeSlack() as slack:
        client = AsyncWebClient(token=FakeSlack.TOKEN, base_url=slack.api_url)
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any, Self

from aiohttp import WSMsgType, web

UPLOAD = "upload"
RESPONSE_URL = "response_url"
SOCKET_ACK = "socket_ack"


@dataclass(frozen=True)
class SlackCall:
    method: str  # a Web API method, UPLOAD or RESPONSE_URL
    path: str
    params: dict[str, Any]
    body: bytes
    received_at: float  # time.perf_counter() on arrival

    @property
    def text(self) -> str:
        """Everything a person would read in the call: text and blocks, as one string."""
        fields = {k: self.params.get(k) for k in ("text", "blocks", "view", "initial_comment")}
        return json.dumps(fields, ensure_ascii=False)


class FakeSlack:
    TOKEN = "xoxb-fake-bot-token"
    APP_TOKEN = "xapp-fake-app-token"
    TEAM_ID = "T0FAKE"
    BOT_USER_ID = "U0BOT"

    def __init__(self) -> None:
        self.calls: list[SlackCall] = []
        self.uploads: dict[str, bytes] = {}
        self._rate_limits: Counter[str] = Counter()
        self._retry_after = 1
        self._refused: dict[str, str] = {}
        self._ids = itertools.count(1)
        self._sockets: list[web.WebSocketResponse] = []
        self._runner: web.AppRunner | None = None
        self._port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    @property
    def api_url(self) -> str:
        """What `AsyncWebClient(base_url=...)` and SLACK_API_URL take."""
        return f"{self.base_url}/api/"

    def response_url(self, name: str = "command") -> str:
        return f"{self.base_url}/hooks/{name}"

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        self._rate_limits[method] += times
        self._retry_after = retry_after

    def refuse_channel(self, channel_id: str, error: str = "not_in_channel") -> None:
        self._refused[channel_id] = error

    def calls_to(self, method: str) -> list[SlackCall]:
        return [call for call in self.calls if call.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10) -> list[SlackCall]:
        deadline = time.monotonic() + timeout
        while len(self.calls_to(method)) < count:
            if time.monotonic() > deadline:
                seen = [call.method for call in self.calls]
                raise AssertionError(f"expected {count} × {method} within {timeout}s; saw {seen}")
            await asyncio.sleep(0.01)
        return self.calls_to(method)

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_post("/hooks/{name}", self._hook)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))  # a free port chosen by the system
        self._port = listener.getsockname()[1]
        await web.SockSite(self._runner, listener).start()

    async def stop(self) -> None:
        for socket_ in self._sockets:
            await socket_.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def _limited(self, method: str) -> web.Response | None:
        if self._rate_limits[method] <= 0:
            return None
        self._rate_limits[method] -= 1
        return web.json_response(
            {"ok": False, "error": "ratelimited"},
            status=429,
            headers={"Retry-After": str(self._retry_after)},
        )

    async def _record(self, method: str, request: web.Request) -> SlackCall:
        body = await request.read()
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json" and body:
            params.update(json.loads(body))
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            params.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        call = SlackCall(method, request.path, params, body, time.perf_counter())
        self.calls.append(call)
        return call

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        call = await self._record(method, request)
        if limited := self._limited(method):
            return limited
        token = self.APP_TOKEN if method == "apps.connections.open" else self.TOKEN
        if request.headers.get("Authorization") != f"Bearer {token}":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        answer = getattr(self, "_" + method.replace(".", "_"), None)
        if answer is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        return web.json_response(answer(call.params))

    async def _upload(self, request: web.Request) -> web.Response:
        call = await self._record(UPLOAD, request)
        if limited := self._limited(UPLOAD):
            return limited
        self.uploads[request.match_info["file_id"]] = call.body
        return web.Response(text=f"OK - {len(call.body)}")

    async def _hook(self, request: web.Request) -> web.Response:
        await self._record(RESPONSE_URL, request)
        if limited := self._limited(RESPONSE_URL):
            return limited
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        connection = web.WebSocketResponse()
        await connection.prepare(request)
        self._sockets.append(connection)
        await connection.send_json({"type": "hello", "num_connections": len(self._sockets)})
        async for message in connection:
            if message.type == WSMsgType.TEXT:
                body = message.data.encode()
                self.calls.append(
                    SlackCall(SOCKET_ACK, "/socket", json.loads(body), body, time.perf_counter())
                )
        return connection

    async def send_envelope(self, kind: str, payload: dict[str, Any], timeout: float = 10) -> str:
        """Push a payload (`slash_commands`, `interactive`, `events_api`) to the app connected
        over Socket Mode; returns the envelope id its ack will carry."""
        deadline = time.monotonic() + timeout
        while not self._sockets:
            if time.monotonic() > deadline:
                raise AssertionError(f"no Socket Mode connection within {timeout}s")
            await asyncio.sleep(0.01)
        envelope_id = f"envelope-{next(self._ids)}"
        await self._sockets[-1].send_json(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": kind != "events_api",
            }
        )
        return envelope_id

    def _ts(self) -> str:
        return f"{int(time.time())}.{next(self._ids):06d}"

    def _channel_error(self, channel: str | None) -> dict[str, Any] | None:
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if channel in self._refused:
            return {"ok": False, "error": self._refused[channel]}
        return None

    def _auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://fake-clinic.slack.com/",
            "team": "Fake Clinic",
            "user": "therapybridge",
            "team_id": self.TEAM_ID,
            "user_id": self.BOT_USER_ID,
            "bot_id": "B0BOT",
            "is_enterprise_install": False,
        }

    def _apps_connections_open(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": f"ws://127.0.0.1:{self._port}/socket"}

    def _chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = params.get("channel")
        if error := self._channel_error(channel):
            return error
        message = {"type": "message", "text": params.get("text"), "blocks": params.get("blocks")}
        return {"ok": True, "channel": channel, "ts": self._ts(), "message": message}

    def _chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        if error := self._channel_error(params.get("channel")):
            return error
        if not params.get("user"):
            return {"ok": False, "error": "user_not_in_channel"}
        return {"ok": True, "message_ts": self._ts()}

    def _chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        if error := self._channel_error(params.get("channel")):
            return error
        if not params.get("ts"):
            return {"ok": False, "error": "message_not_found"}
        return {
            "ok": True,
            "channel": params["channel"],
            "ts": params["ts"],
            "text": params.get("text"),
        }

    def _conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        users = params.get("users")
        if not users:
            return {"ok": False, "error": "users_list_not_supplied"}
        return {"ok": True, "channel": {"id": "D" + users.removeprefix("U")}}

    def _views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("user_id") or not params.get("view"):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": {"id": f"V{next(self._ids)}", **params["view"]}}

    def _files_getUploadURLExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("filename") or not str(params.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._ids):08d}"
        return {"ok": True, "upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def _files_completeUploadExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        if error := self._channel_error(params.get("channel_id")):
            return error
        files = json.loads(params.get("files", "[]"))
        if not files or any(f["id"] not in self.uploads for f in files):
            return {"ok": False, "error": "file_not_found"}
        return {
            "ok": True,
            "files": [
                {"id": f["id"], "title": f.get("title"), "size": len(self.uploads[f["id"]])}
                for f in files
            ],
        }
