"""The key check of write requests, before their body is read.

FastAPI reads and parses a request's body before it solves the route's dependencies, so a key
checked there comes after up to max_body_bytes were received and parsed for anyone. This ASGI
middleware finds the route a non-safe request (anything but GET, HEAD, OPTIONS) is for, takes the
role its KeyRequirement names (api/auth.py; a route without one needs the API key: writes are
never open by omission), and answers 401/403 without calling `receive`. The dependencies stay on
the routes: they document the security in /openapi.json and guard the GET endpoints for editors.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Receive, Scope, Send

from api.asgi_reply import reply
from api.auth import API, EDITOR, KeyRequirement, Keys, presented_key

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def route_role(route: BaseRoute) -> str | None:
    """The role a route's KeyRequirement dependency names (the editor's when it has both), or None."""
    roles = {d.dependency.role for d in getattr(route, "dependencies", ())
             if isinstance(d.dependency, KeyRequirement)}
    return EDITOR if EDITOR in roles else API if API in roles else None


class KeyCheckMiddleware:
    """401/403 for a write request whose key may not use its route, before the body is read.

    `routes` returns the app's routes (called per request: routers are added after the middleware)."""

    def __init__(self, app: ASGIApp, keys: Keys, routes: Callable[[], Sequence[BaseRoute]]) -> None:
        self.app, self.keys, self.routes = app, keys, routes

    def role(self, scope: Scope) -> str:
        for route in self.routes():
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return route_role(route) or API
        return API  # no such route: the app answers 404/405, but only to a caller with a key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS:
            refused = self.keys.refusal(self.role(scope), presented_key(scope["headers"]))
            if refused is not None:
                await reply(send, refused.status, refused.detail, refused.headers.items())
                return
        await self.app(scope, receive, send)
