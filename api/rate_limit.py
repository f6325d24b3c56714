"""A per-client rate limit for the public translation endpoint (GET /v1/gloss): a token bucket in
memory for each client address.

Each address may send Settings.gloss_rate_per_min requests a minute, in bursts of as many; more
get 429 with Retry-After (whole seconds until the next token) and a detail saying so. Requests with
the API key or the editor key are not limited (a CMS translating its pages): `GlossRateLimit`
checks the key with api.auth.Keys, the service's one comparison.

The address is the TCP peer (the ASGI scope's client), never X-Forwarded-For or Forwarded: the
service runs uvicorn without proxy headers (api/server.py), so a client cannot choose the address
it is counted under. Behind a reverse proxy every request has the proxy's address and all share
one bucket; that is a known limitation for now (README, "HTTP"). IPv6 clients are counted by their
/64 network, since one host usually holds a whole /64.

Memory is bounded: at most `max_clients` buckets; beyond that the least recently used one is
dropped (an old bucket has refilled, and a full bucket is the same as none).
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from fastapi import HTTPException, Request

from api.auth import Keys, presented_key

MAX_CLIENTS = 10_000  # buckets kept; about 100 bytes each


def client_key(host: str | None) -> str:
    """The bucket of a peer address: IPv4 as is, IPv6 by its /64 network, "" when unknown."""
    if not host:
        return ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host  # a Unix socket path or a test client's name
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


class RateLimiter:
    """Token buckets of `per_minute` tokens, refilled evenly over a minute, one per client key."""

    def __init__(self, per_minute: int, max_clients: int = MAX_CLIENTS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute < 1 or max_clients < 1:
            raise ValueError("per_minute and max_clients must be at least 1")
        self.per_minute, self.max_clients = per_minute, max_clients
        self._rate = per_minute / 60.0  # tokens per second
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Take one token of `key`'s bucket: 0.0 when there was one, else the seconds until there is
        one (nothing is taken then)."""
        now = self._clock()
        with self._lock:
            tokens, at = self._buckets.pop(key, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - at) * self._rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self._rate
            self._buckets[key] = (tokens, now)  # most recently used last
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
            return wait

    def __len__(self) -> int:
        return len(self._buckets)


class GlossRateLimit:
    """Applies a RateLimiter to a request, unless it carries the API key or the editor key.

    Raises HTTPException 429 with Retry-After; call it from the event loop (it does not block).
    """

    def __init__(self, limiter: RateLimiter, keys: Keys) -> None:
        self.limiter, self.keys = limiter, keys

    def check(self, request: Request) -> bool:
        """True for a request with a known key (never limited); else take from its address's
        bucket (HTTPException 429 when empty) and False."""
        if self.keys.is_known(presented_key(request.scope["headers"])):
            return True
        client = request.scope.get("client")
        wait = self.limiter.take(client_key(client[0] if client else None))
        if wait > 0:
            retry = max(1, math.ceil(wait))
            raise HTTPException(
                429,
                f"too many translations from your address: at most {self.limiter.per_minute} a minute; "
                f"try again in {retry} s (a service translating its pages sends its API key and is not limited)",
                headers={"Retry-After": str(retry)},
            )
        return False
