"""Which client connections the server holds, and which one gives way when a new one comes.

A connection is *waiting* while no request of it is being received or answered: it has sent
nothing yet, or half a request head, or it idles between two keep-alive requests. It is
*receiving* from its complete request head until its body is in, and *busy* from then until the
answer is sent. Slow-loris floods hold many waiting connections, slow-POST floods many receiving
ones that trickle their bodies; a refused newcomer would lock every honest client out until the
flood's timeouts ran out. So when the server holds `max_total` connections, or one client address
holds `max_per_client`, a newcomer is let in and another connection (of that address when the
address is at its cap) is closed instead: one that was refused and is only being drained before
its close (`doomed`), else the one that has waited longest, else the slowest
receiving one that `slowness` calls too slow (its body rate far below any honest upload's); only
when every held connection is busy or receiving at a fair rate is the newcomer refused. An honest
request sends its head and body right after it connects; the flood's connections are the ones
that wait or trickle.

Addresses are grouped like the rate limit's (api/rate_limit.client_key: IPv6 by /64).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

C = TypeVar("C")


class ConnectionTable(Generic[C]):
    """The held connections by client; `evict(c)` closes a connection that gives way (it must
    then call `remove(c)`, directly or from its connection_lost)."""

    def __init__(self, max_total: int, max_per_client: int, evict: Callable[[C], None],
                 slowness: Callable[[C], float | None] = lambda c: None) -> None:
        """`slowness(c)`: None while the receiving connection `c` may not give way, else its body
        rate (bytes/s; the lowest gives way first)."""
        if max_total < 1 or max_per_client < 1:
            raise ValueError("connection limits must be at least 1")
        self.max_total, self.max_per_client = max_total, max_per_client
        self._evict, self._slowness = evict, slowness
        self._client: dict[C, str] = {}  # every held connection -> its client key
        self._count: dict[str, int] = {}  # held connections per client key
        self._waiting: dict[C, None] = {}  # waiting connections, longest waiting first
        self._waiting_of: dict[str, dict[C, None]] = {}  # the same, per client key
        self._receiving: dict[C, None] = {}  # connections receiving a request body
        self._doomed: dict[C, None] = {}  # refused connections draining before their close

    def __len__(self) -> int:
        return len(self._client)

    def admit(self, conn: C, client: str) -> bool:
        """Hold `conn` (waiting) if there is room, making room by closing the longest-waiting
        connection (of `client` first when it is at its cap); False: every connection is busy."""
        if self._count.get(client, 0) >= self.max_per_client and not self._give_way(client):
            return False
        if len(self._client) >= self.max_total and not self._give_way(None):
            return False
        self._client[conn] = client
        self._count[client] = self._count.get(client, 0) + 1
        self.waiting(conn)
        return True

    def waiting(self, conn: C) -> None:
        """`conn` waits (again) for a request: it is now the one that waited least."""
        client = self._client.get(conn)
        if client is None:
            return
        self._waiting.pop(conn, None)
        self._waiting[conn] = None
        mine = self._waiting_of.setdefault(client, {})
        mine.pop(conn, None)
        mine[conn] = None

    def receiving(self, conn: C) -> None:
        """`conn` has a complete request head and its body is coming: it gives way only when
        `slowness` calls it too slow."""
        if conn in self._client:
            self.busy(conn)
            self._receiving[conn] = None

    def doomed(self, conn: C) -> None:
        """`conn` was refused and is drained before it closes: the first to give way."""
        if conn in self._client:
            self.busy(conn)
            self._doomed[conn] = None

    def busy(self, conn: C) -> None:
        """`conn`'s request is in: it never gives way until it waits again."""
        client = self._client.get(conn)
        if client is None:
            return
        self._doomed.pop(conn, None)
        self._receiving.pop(conn, None)
        self._waiting.pop(conn, None)
        mine = self._waiting_of.get(client)
        if mine is not None:
            mine.pop(conn, None)
            if not mine:
                del self._waiting_of[client]

    def remove(self, conn: C) -> None:
        """`conn` is closed (idempotent)."""
        self.busy(conn)
        client = self._client.pop(conn, None)
        if client is None:
            return
        left = self._count[client] - 1
        if left:
            self._count[client] = left
        else:
            del self._count[client]

    def _give_way(self, client: str | None) -> bool:
        """Close the longest-waiting connection (of `client`, None: of all), else the slowest
        receiving one that is too slow; False when there is none."""
        victim = next((c for c in self._doomed if client is None or self._client[c] == client), None)
        waiting = self._waiting if client is None else self._waiting_of.get(client)
        if victim is None and waiting:
            victim = next(iter(waiting))
        if victim is None:
            rates = [(rate, i, c) for i, c in enumerate(self._receiving)
                     if (client is None or self._client[c] == client) and (rate := self._slowness(c)) is not None]
            if not rates:
                return False
            victim = min(rates)[2]
        self._evict(victim)
        self.remove(victim)
        return True
