"""GzipMiddleware: text answers (HTML, CSS, JS, JSON, WebVTT, SVG, glTF JSON) and binary glTF
gzip-compressed for clients that accept it; video, images and other binary files untouched.

Starlette's GZipMiddleware compresses any type but text/event-stream, ranges included, and leaves the
ETag as it is, so a gzip body and the identity body would share one strong validator. Here:

- only the types of COMPRESSIBLE, only 200 and error answers, never a 206 (byte ranges address the
  identity body), a HEAD, an answer with Content-Encoding or Content-Range, nor one under MIN_BYTES;
- `Vary: Accept-Encoding` on every answer of a compressible type, compressed or not (a cache keeps
  both variants apart);
- the ETag of a compressed body is weak (W/"..."): the same content, other bytes. The 304s come
  from api/clips_api.py serve_file (which compares tags without W/): to a client that revalidates
  its gzip copy by the weak tag it answers with that weak tag (revalidation_etag);
- a streamed body (more_body) is compressed chunk by chunk (Z_SYNC_FLUSH: what was sent is
  decodable at once), without Content-Length; a whole body in one message gets its real length.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: media types (without parameters) that are compressed
COMPRESSIBLE = frozenset({
    "text/html", "text/css", "text/javascript", "application/javascript", "application/json", "text/vtt",
    "image/svg+xml", "model/gltf+json", "text/plain", "application/problem+json",
    "model/gltf-binary",  # quantised vertices, keys and JSON: the avatar 651 -> 324 KB, a 5 s motion 23 -> 10 KB
})
#: smaller bodies are sent as they are: gzip's 18-byte frame and a round trip's packet make them no faster
MIN_BYTES = 500
#: zlib level: 6 is gzip's default, within 1-2 % of 9 on our pages at a third of the time
LEVEL = 6
_GZIP_WBITS = 31  # zlib: a gzip header and trailer
_TOKEN = re.compile(r"\s*([^\s;,]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*")


def accepts_gzip(accept_encoding: str) -> bool:
    """True when an Accept-Encoding header value allows gzip (RFC 9110 §12.5.3: `gzip`, `x-gzip`
    or `*`, with a q-value above 0; an explicit gzip;q=0 refuses it even when * is allowed)."""
    star = False
    for part in accept_encoding.split(","):
        m = _TOKEN.fullmatch(part)
        if m is None:
            continue
        coding, q = m.group(1).lower(), m.group(2)
        try:
            allowed = q is None or float(q) > 0
        except ValueError:
            allowed = False
        if coding in ("gzip", "x-gzip"):
            return allowed
        if coding == "*":
            star = allowed
    return star


def is_compressible(content_type: str) -> bool:
    return media_type(content_type) in COMPRESSIBLE


def revalidation_etag(etag: str, if_none_match: str, content_type: str) -> str:
    """The ETag of a 304 to If-None-Match: weak when the client revalidates the gzip variant of a
    compressible file by its weak tag (that copy is the one it updates), else `etag`."""
    sent = [t.strip() for t in if_none_match.split(",")]
    return weak(etag) if is_compressible(content_type) and weak(etag) in sent and etag not in sent else etag


def etag_matches(if_none_match: str, etag: str) -> bool:
    """True when an If-None-Match header value names `etag` (weakly compared, RFC 9110 §13.1.2) or is
    `*`: the client's copy is current, a 304 answers."""
    if not if_none_match:
        return False
    return if_none_match.strip() == "*" or etag in [t.strip().removeprefix("W/") for t in if_none_match.split(",")]


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def weak(etag: str) -> str:
    return etag if etag.startswith("W/") else f"W/{etag}"


def _add_vary(headers: MutableHeaders) -> None:
    vary = headers.get("vary", "")
    names = [v.strip().lower() for v in vary.split(",") if v.strip()]
    if "*" not in names and "accept-encoding" not in names:
        headers["vary"] = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"


class GzipMiddleware:
    def __init__(self, app: ASGIApp, min_bytes: int = MIN_BYTES, level: int = LEVEL) -> None:
        self.app, self.min_bytes, self.level = app, min_bytes, level

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Headers(scope=scope)
        wanted = scope["method"] == "GET" and accepts_gzip(request.get("accept-encoding", ""))
        responder = _Responder(send, wanted, self.min_bytes, self.level)
        await self.app(scope, receive, responder.send)


class _Responder:
    """The send() of one answer: holds its start until the first body message says how big it is."""

    def __init__(self, send: Send, wanted: bool, min_bytes: int, level: int) -> None:
        self._send, self._wanted = send, wanted
        self._min, self._level = min_bytes, level
        self._start: Message | None = None
        self._compressor: Callable[[bytes, bool], bytes] | None = None

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            await self._on_start(message)
        elif message["type"] == "http.response.body" and self._start is not None:
            await self._on_first_body(message)
        elif message["type"] == "http.response.body" and self._compressor is not None:
            await self._send_compressed(message)
        else:
            await self._send(message)

    async def _on_start(self, message: Message) -> None:
        message["headers"] = list(message.get("headers", []))
        headers = MutableHeaders(raw=message["headers"])
        status = int(message["status"])
        typed = is_compressible(headers.get("content-type", ""))
        if typed and status not in (206, 304) and "content-range" not in headers:
            _add_vary(headers)
        eligible = (
            self._wanted and typed and (status == 200 or status >= 400)
            and "content-encoding" not in headers and "content-range" not in headers
        )
        length = headers.get("content-length")
        if eligible and length is not None and length.isdigit() and int(length) < self._min:
            eligible = False
        if not eligible:
            await self._send(message)
            return
        self._start = message  # decided by the first body message

    async def _on_first_body(self, message: Message) -> None:
        start, self._start = self._start, None
        assert start is not None
        body: bytes = message.get("body", b"")
        more = bool(message.get("more_body", False))
        headers = MutableHeaders(raw=start["headers"])
        if not more and len(body) < self._min:
            await self._send(start)
            await self._send(message)
            return
        headers["content-encoding"] = "gzip"
        if "etag" in headers:
            headers["etag"] = weak(headers["etag"])
        if not more:
            data = gzip_bytes(body, self._level)
            headers["content-length"] = str(len(data))
            await self._send(start)
            await self._send({"type": "http.response.body", "body": data, "more_body": False})
            return
        del headers["content-length"]  # streamed: chunked transfer
        self._compressor = gzip_stream(self._level)
        await self._send(start)
        await self._send_compressed(message)

    async def _send_compressed(self, message: Message) -> None:
        assert self._compressor is not None
        more = bool(message.get("more_body", False))
        data = self._compressor(message.get("body", b""), more)
        await self._send({"type": "http.response.body", "body": data, "more_body": more})


def gzip_stream(level: int = LEVEL) -> Callable[[bytes, bool], bytes]:
    """A gzip stream: call it with each chunk and whether more follow; it returns the bytes to send
    (flushed, so a client can decode what it has; the last call ends the gzip member)."""
    c = zlib.compressobj(level, zlib.DEFLATED, _GZIP_WBITS)

    def chunk(data: bytes, more: bool) -> bytes:
        return c.compress(data) + c.flush(zlib.Z_SYNC_FLUSH if more else zlib.Z_FINISH)

    return chunk


def gzip_bytes(body: bytes, level: int = LEVEL) -> bytes:
    """`body` as one gzip member (no file name, no time stamp: the same body gives the same bytes)."""
    c = zlib.compressobj(level, zlib.DEFLATED, _GZIP_WBITS)
    return c.compress(body) + c.flush()
