"""CORS and the origin check of write requests (in place of starlette's CORSMiddleware).

Reading and embedding are governed by Settings.cors_origins ("*" by default): those origins get
CORS answers to GET/HEAD and their preflights. Writing is governed by Settings.write_origins
("" by default): a browser page may send a non-safe request (POST, ...) only from the service's own
origin or one of those, whatever key it holds and also without keys on loopback; its preflight is
answered only for those. A request of another page, told by its `Origin` (or, without one, by
`Sec-Fetch-Site: cross-site`), gets 403 before any key or body is looked at. Non-browser clients
(curl, a CMS backend) send neither header and are not affected.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.access import SAFE_METHODS
from api.asgi_reply import reply
from api.hosts import host_name
from signavatar.settings import Settings

#: request headers a cross-origin page may send (lower case)
ALLOW_HEADERS = ("authorization", "x-api-key", "content-type", "range", "if-none-match")
EXPOSE_HEADERS = "Content-Range, Accept-Ranges, ETag, Content-Length, Retry-After"
READ_METHODS = ("GET", "HEAD")
PREFLIGHT_MAX_AGE_S = 600
DEFAULT_PORTS = {"http": 80, "https": 443}


def _port(text: str, scheme: str) -> int | None:
    """The port a Host header's port part names (the scheme's default for none), None when it is
    no port: at most 5 digits, so int() never meets a 5,000-digit string (a 500 before)."""
    if text == "":
        return DEFAULT_PORTS.get(scheme)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 5 else None


def is_own_origin(origin: str, host_header: str) -> bool:
    """True when `origin` (scheme://host[:port]) names the host and port the request was sent to
    (its Host header, already checked by api/hosts.py). The scheme is not compared: behind a TLS
    proxy the service sees http while its pages are https, and no attacker's page can have this
    host name without controlling it."""
    parts = urlsplit(origin)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return False
    host = host_header.strip().lower()
    port_text = host.rpartition("]")[2] if host.startswith("[") else host
    port_text = port_text.rpartition(":")[2] if ":" in port_text else ""
    try:
        origin_port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        return False
    return parts.hostname == host_name(host) and origin_port == _port(port_text, parts.scheme)


class OriginMiddleware:
    """Preflights, CORS headers on answers, and 403 for writes from foreign pages."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.read = [o.lower() for o in settings.origins()]  # ["*"] or origins
        self.write = frozenset(o.lower() for o in settings.write_origin_list())
        public = urlsplit(settings.public_url)
        self.public = f"{public.scheme}://{public.netloc}".lower() if settings.public_url else ""

    def may_read(self, origin: str) -> bool:
        return self.read == ["*"] or origin.lower() in self.read or origin.lower() in self.write

    def may_write(self, origin: str, host_header: str) -> bool:
        low = origin.lower()
        return low in self.write or low == self.public or is_own_origin(origin, host_header)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin, method = headers.get("origin"), scope["method"]
        if method == "OPTIONS" and origin is not None and "access-control-request-method" in headers:
            await self.preflight(origin, headers, send)
            return
        if method not in SAFE_METHODS:
            foreign = (not self.may_write(origin, headers.get("host", "")) if origin is not None
                       else headers.get("sec-fetch-site", "").lower() == "cross-site")
            if foreign:
                shown = f"the web page origin {origin}" if origin is not None else "a page of another site"
                await reply(send, 403, f"write requests from {shown} are refused: only this service's own "
                            "pages and the origins listed in SIGNAVATAR_WRITE_ORIGINS may send them")
                return
        if origin is None and self.read == ["*"]:
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, self._with_cors(origin, method, send))

    def _with_cors(self, origin: str | None, method: str, send: Send) -> Send:
        allow = origin is not None and (
            self.may_read(origin) if method in SAFE_METHODS else origin.lower() in self.write
        )

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                if allow:
                    star = self.read == ["*"] and method in SAFE_METHODS
                    out["Access-Control-Allow-Origin"] = "*" if star else str(origin)
                    out["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
                if self.read != ["*"] or self.write:
                    out.add_vary_header("Origin")
            await send(message)

        return send_with_cors

    async def preflight(self, origin: str, headers: Headers, send: Send) -> None:
        wanted = headers["access-control-request-method"].strip().upper()
        asked = [h.strip().lower() for h in headers.get("access-control-request-headers", "").split(",") if h.strip()]
        writes = wanted not in READ_METHODS
        if writes and not self.may_write(origin, headers.get("host", "")):
            await reply(send, 400, f"the origin {origin} may not send {wanted} requests: list it in "
                        "SIGNAVATAR_WRITE_ORIGINS to let its pages write", close=False)
            return
        if not writes and not self.may_read(origin):
            await reply(send, 400, f"the origin {origin} may not read from this service: list it in "
                        "SIGNAVATAR_CORS_ORIGINS", close=False)
            return
        refused = [h for h in asked if h not in ALLOW_HEADERS]
        if refused:
            await reply(send, 400, f"request headers {', '.join(refused)} are not allowed; a page may send "
                        f"{', '.join(ALLOW_HEADERS)}", close=False)
            return
        star = self.read == ["*"] and not writes
        methods = "GET, HEAD, POST" if self.may_write(origin, headers.get("host", "")) else "GET, HEAD"
        out = [("Access-Control-Allow-Origin", "*" if star else origin), ("Access-Control-Allow-Methods", methods),
               ("Access-Control-Allow-Headers", ", ".join(ALLOW_HEADERS)),
               ("Access-Control-Max-Age", str(PREFLIGHT_MAX_AGE_S)), ("Vary", "Origin")]
        await send({"type": "http.response.start", "status": 200, "headers": [
            *[(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in out],
            (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", b"2")]})
        await send({"type": "http.response.body", "body": b"OK"})
