"""The one place that turns Settings into a uvicorn server: `signavatar serve` and the test
services (tests/api/serve_fake_app.py) both start through `serve`, so tests run production's limits.

Connections, request heads and bodies are bounded by api/transport_limits.py; here the process is
given file descriptors for them: the soft RLIMIT_NOFILE is raised to the hard limit, and client
connections may take at most three quarters of it (CONNECTION_SHARE), so SQLite, the worker
processes' pipes, ffmpeg and the log always find a descriptor.
"""

from __future__ import annotations

import logging
import socket
import sys

import uvicorn
from starlette.types import ASGIApp

from api.transport_limits import TransportLimits, protocol_with
from signavatar.settings import Settings

log = logging.getLogger("signavatar.http")
CONNECTION_SHARE = 0.75  # of the process's file descriptors, at most this share go to client connections


def raise_open_file_limit() -> int | None:
    """Raise the soft RLIMIT_NOFILE to the hard limit (where the system allows); the soft limit
    now, or None where there is none (Windows)."""
    if sys.platform == "win32":
        return None
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):  # e.g. an unlimited hard limit above the kernel's nr_open
            log.warning("could not raise the open-file limit from %d to %d", soft, hard)
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return soft


def connection_cap(max_connections: int, open_files: int | None) -> int:
    """max_connections, lowered (with a warning) to CONNECTION_SHARE of `open_files` descriptors."""
    room = max_connections if open_files is None else max(1, int(open_files * CONNECTION_SHARE))
    if max_connections > room:
        log.warning("max_connections %d lowered to %d: the process may open %d files (ulimit -n); "
                    "raise the limit to allow more", max_connections, room, open_files)
        return room
    return max_connections


def uvicorn_config(app: ASGIApp, settings: Settings, host: str, port: int,
                   open_files: int | None) -> uvicorn.Config:
    """uvicorn's Config for `app` with the connection limits of `settings`; `open_files` is the
    process's open-file limit (raise_open_file_limit; None: unknown)."""
    limits = TransportLimits(
        max_connections=connection_cap(settings.max_connections, open_files),
        max_client_connections=settings.max_client_connections,
        header_timeout_s=settings.header_timeout_s, body_timeout_s=settings.body_timeout_s,
        keep_alive_s=settings.keep_alive_s, max_header_bytes=settings.max_header_bytes,
    )
    # access_log off: uvicorn's would write raw paths and query strings (user text); the app logs
    # each request by its route template instead (api/request_log.py). ws off: no WebSocket routes.
    # proxy_headers off: uvicorn would otherwise take the client address from X-Forwarded-For on
    # loopback connections, and the per-address rate limit (api/rate_limit.py) must not be dodged.
    return uvicorn.Config(
        app, host=host, port=port, http=protocol_with(limits), ws="none", lifespan="on",
        log_config=None, access_log=False,
        proxy_headers=False,
    )


def serve(app: ASGIApp, settings: Settings, host: str = "127.0.0.1", port: int = 8000,
          sockets: list[socket.socket] | None = None) -> bool:
    """Run `app` until the process is told to stop; on `host`:`port`, or on already bound
    `sockets`. False when the server never started."""
    server = uvicorn.Server(uvicorn_config(app, settings, host, port, raise_open_file_limit()))
    server.run(sockets=sockets)
    return server.started
