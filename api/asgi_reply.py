"""A JSON error answered straight from an ASGI middleware, before the app (and the body) is touched."""

from __future__ import annotations

import json
from collections.abc import Iterable

from starlette.types import Send


async def reply(send: Send, status: int, detail: str, headers: Iterable[tuple[str, str]] = (),
                close: bool = True) -> None:
    """Send `{"detail": detail}` with `status`. close: ask the client to close the connection, for
    an answer sent before a request body was read (the unread body cannot start a next request)."""
    body = json.dumps({"detail": detail}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    if close:
        raw.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
