"""The Host check: the service answers only to the names it is configured for (DNS rebinding).

A page on evil.example whose name an attacker re-points to 127.0.0.1 is same-origin with the
service in the victim's browser; its requests still say `Host: evil.example`, and that is what
this refuses. Names come from Settings.allowed_hosts; by default the loopback names (plus
public_url's host) when the service listens on loopback, and any name otherwise (with a start-up
warning: set SIGNAVATAR_ALLOWED_HOSTS).

A refused name gets 421 Misdirected Request, RFC 9110 15.5.20: "the request was directed at a
server that is unable or unwilling to produce an authoritative response for the target URI", which is
exactly a name this service does not serve; a 400 would say the request itself is malformed.
/healthz is checked too (a rebinding page could read it otherwise).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from api.asgi_reply import reply
from api.auth import is_loopback
from signavatar.settings import Settings

log = logging.getLogger(__name__)
ANY = "*"


def allowed_names(settings: Settings) -> frozenset[str] | None:
    """The host names (lower case, IPv6 without brackets) the service answers to; None = any name."""
    names = [n.strip("[]").rstrip(".") for n in settings.host_names()]
    if ANY in names:
        return None
    if names:
        return frozenset(names)
    if not is_loopback(settings.host):
        log.warning("SIGNAVATAR_ALLOWED_HOSTS is not set and the service listens on %s: it answers to any "
                    "Host name, so a DNS-rebinding page can reach it; list its names, e.g. "
                    "SIGNAVATAR_ALLOWED_HOSTS=avatar.example.de", settings.host)
        return None
    loopback = {"localhost", "127.0.0.1", "::1"}
    public = urlsplit(settings.public_url).hostname if settings.public_url else None
    return frozenset(loopback | ({public.lower()} if public else set()))


def host_name(host_header: str) -> str:
    """"Example.de:8000" -> "example.de", "[::1]:8000" -> "::1" (lower case, no trailing dot)."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0].rstrip(".") if ":" in host else host.rstrip(".")


class HostCheckMiddleware:
    """421 for an HTTP request whose Host header names no host of this service."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.allowed = allowed_names(settings)
        # 127.0.0.2 and friends are loopback too: the default set stands for all of them
        self.any_loopback = not settings.host_names()

    def _allowed(self, name: str) -> bool:
        assert self.allowed is not None
        return name in self.allowed or (self.any_loopback and is_loopback(name))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.allowed is None:
            await self.app(scope, receive, send)
            return
        raw = next((v for k, v in scope["headers"] if k == b"host"), None)
        name = host_name(raw.decode("latin-1")) if raw is not None else ""
        if self._allowed(name):
            await self.app(scope, receive, send)
            return
        shown = f"the host name {name!r}" if name else "a request without a Host header"
        detail = (f"this service does not answer to {shown}; if it should, add the name to "
                  "SIGNAVATAR_ALLOWED_HOSTS (comma-separated)")
        await reply(send, 421, detail)
