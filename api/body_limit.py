"""Refuse request bodies larger than a limit (413), whatever the request's headers say.

Two checks, because headers can lie or be misread: a declared Content-Length over the limit is
refused before anything is read, and the bytes the app actually receives are counted, so any body
the header check let through (as `Transfer-Encoding: Chunked` once did, compared case-sensitively:
1 GB went into memory) is cut off with 413 once it passes `max_bytes`. A body in a
Transfer-Encoding (chunked in any letter case, alone or after other codings) gets 411: our bodies
are small JSON, and a client can always say how long they are.

`larger` names paths whose bodies may be larger (a lexicon package for POST /v1/lexicon/import, a
recorded video for POST /v1/lexicon/{gloss}/recordings), each with its own limit; a path may be a
route's template, `{name}` standing for one path segment; every other path has `max_bytes`.

Header names arrive lower-cased from the server (ASGI) and are lower-cased here again; transfer
codings are case-insensitive (RFC 9112 §7), so the value is never compared as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.asgi_reply import reply

_DIGITS = re.compile(rb"[0-9]{1,18}")  # a Content-Length we can compare; longer is over any limit


class BodyLimitMiddleware:
    """ASGI middleware: 411 for a body without a length, 413 for one over `max_bytes` bytes,
    declared or streamed. The refusals do not close the connection themselves (uvicorn would close at
    once, and a client still sending could read a reset instead of the answer): the transport
    (api/transport_limits.py) says `connection: close` in an answer sent before its body was read,
    and drains the body before it closes."""

    def __init__(self, app: ASGIApp, max_bytes: int, larger: Mapping[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = [(_path_pattern(path), limit) for path, limit in (larger or {}).items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes, hint = self._limit(scope.get("path", ""))
        refusal = self._refusal(scope["headers"], max_bytes, hint)
        if refusal is not None:
            await reply(send, *refusal, close=False)
            return
        counted = _CountedBody(receive, send, max_bytes, hint)
        try:
            await self.app(scope, counted.receive, counted.send)
        except ClientDisconnect:
            if not counted.refused:
                raise  # the client did leave
            # else the app stopped reading at the disconnect we told it of; the 413 is out

    def _limit(self, path: str) -> tuple[int, str]:
        """The body limit of `path` in bytes, and what to send less of when over it."""
        for pattern, limit in self.larger:
            if pattern.fullmatch(path):
                return limit, "send a smaller file"
        return self.max_bytes, "send shorter text"

    def _refusal(self, headers: list[tuple[bytes, bytes]], max_bytes: int, hint: str) -> tuple[int, str] | None:
        """(status, detail) when the headers alone show the body is refused; None otherwise."""
        for name, value in headers:
            if name.lower() == b"transfer-encoding":
                codings = value.decode("latin-1").strip().lower() or "(empty)"
                return 411, f"send the body with a Content-Length header, not Transfer-Encoding: {codings}"
            if name.lower() == b"content-length":
                length = value.strip().lstrip(b"0") or b"0"
                if not _DIGITS.fullmatch(length):
                    if length.isdigit():  # more than 18 digits
                        return 413, f"request body is over the limit of {max_bytes} bytes: send less"
                    return 400, "Content-Length must be a whole number of bytes"
                if int(length) > max_bytes:
                    return 413, f"request body is {int(length)} bytes; the limit is {max_bytes}: {hint}"
        return None


class _CountedBody:
    """The receive and send of one request: receive counts body bytes and, past `max_bytes`,
    answers 413 itself and tells the app the client is gone; send then drops the app's answer."""

    def __init__(self, receive: Receive, send: Send, max_bytes: int, hint: str) -> None:
        self._receive, self._send, self.max_bytes, self.hint = receive, send, max_bytes, hint
        self.received = 0
        self.started = self.refused = False

    async def receive(self) -> Message:
        if self.refused:
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.max_bytes:
                self.refused = True
                if not self.started:
                    await reply(self._send, 413, f"request body is over the limit of {self.max_bytes} bytes: "
                                                 f"{self.hint}", close=False)
                return {"type": "http.disconnect"}
        return message

    async def send(self, message: Message) -> None:
        if self.refused:
            return  # the 413 went out; the app's answer to a body it never got whole is dropped
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)


def _path_pattern(path: str) -> re.Pattern[str]:
    """A path or route template ("/v1/lexicon/{gloss}/recordings": {name} is one segment) as a pattern."""
    return re.compile(re.sub(r"\\\{[A-Za-z_][A-Za-z0-9_]*\\\}", "[^/]+", re.escape(path)))
