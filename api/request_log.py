"""RequestObserver: times every HTTP request, counts it for /metrics and logs one line about it.

Labels and log fields use the route template (`/v1/clips/{cid}/video`), never the raw path or the
query string, so neither user text nor arbitrary ids reach the metrics; the log line carries the
clip id only when it has the clip-id pattern. Bodies and headers are never looked at.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.metrics import HttpMetrics

log = logging.getLogger("signavatar.http")
UNMATCHED = "(unmatched)"
_CLIP_ID = re.compile(r"[0-9a-f]{32}")


class RequestObserver:
    """ASGI middleware; `routes` gives the app's routes, to name requests that never reached the
    router (refused by an outer middleware) by the route they were meant for."""

    def __init__(self, app: ASGIApp, metrics: HttpMetrics, routes: Callable[[], Sequence[BaseRoute]]) -> None:
        self.app, self.metrics, self.routes = app, metrics, routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def observe_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, observe_send)
        finally:
            seconds = time.perf_counter() - start
            route = self._route(scope)
            self.metrics.observe(scope["method"], route, status, seconds)
            fields = {"event": "request", "method": scope["method"], "route": route, "status": status,
                      "duration_ms": round(seconds * 1000, 2)}
            cid = (scope.get("path_params") or {}).get("cid")
            if isinstance(cid, str) and _CLIP_ID.fullmatch(cid):
                fields["clip_id"] = cid
            log.info("%s %s %d %.1f ms", scope["method"], route, status, seconds * 1000, extra=fields)

    def _route(self, scope: Scope) -> str:
        route = scope.get("route")
        path = getattr(route, "path", None)
        if isinstance(path, str):
            return path
        for candidate in self.routes():
            match, _ = candidate.matches(scope)
            if match is not Match.NONE:
                return str(getattr(candidate, "path", UNMATCHED))
        return UNMATCHED
