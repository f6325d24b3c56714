"""Refuse request bodies larger than a limit (413) before the app reads them."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Receive, Scope, Send


class BodyLimitMiddleware:
    """Bodies must declare their length; one over `max_bytes` gets 413, one without a length 411.

    uvicorn enforces the declared Content-Length, so checking the header bounds what is read.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("POST", "PUT", "PATCH"):
            headers = {k.lower(): v for k, v in scope["headers"]}
            length = headers.get(b"content-length")
            if length is None and b"chunked" in headers.get(b"transfer-encoding", b""):
                await _reply(send, 411, "send the body with a Content-Length header")
                return
            if length is not None:
                try:
                    size = int(length)
                except ValueError:
                    await _reply(send, 400, "Content-Length must be a number")
                    return
                if size > self.max_bytes:
                    await _reply(
                        send, 413, f"request body is {size} bytes; the limit is {self.max_bytes}: send shorter text"
                    )
                    return
        await self.app(scope, receive, send)


async def _reply(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close")],
    })
    await send({"type": "http.response.body", "body": body})
