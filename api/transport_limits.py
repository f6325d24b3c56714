"""LimitedHttpProtocol: uvicorn's httptools protocol with the limits a public socket needs.

uvicorn bounds none of what a slow or hostile client can hold: a connection that sends nothing,
half a request head, or a body byte every few seconds stays open for ever (`timeout_keep_alive`
only covers the pause between two requests), httptools buffers a request head of any size, and
`limit_concurrency` answers 503 but keeps every socket. ~20,000 such connections took every file
descriptor, and SQLite and the health check with them. So, per connection:

- at most `max_connections` open connections, `max_client_connections` of one client address:
  beyond that the connection that has waited longest for a request (idle, or half a head) is
  closed to make room, and a newcomer is closed only when every held connection is busy
  (api/connection_table.py: honest clients get in while a slow-loris flood holds the slots);
- a request head (request line and headers) must be complete within `header_timeout_s` of its
  first byte (of the connection, for the first request): else 408;
- a request body may pause at most `body_timeout_s` between two parts while the server is
  reading, and must be complete within BODY_TOTAL_FACTOR times that (a byte every few seconds
  would otherwise hold a connection for hours): else 408; while the server is full, a body
  arriving slower than MIN_BODY_RATE (after its first second) gives way to a newcomer (408);
- a request head over `max_header_bytes` gets 431;
- a connection whose request body was not read to its end (the app answered early, e.g. 413) is
  closed after the answer, and the answer says so (`connection: close`, added when the app's
  headers did not say it: _EarlyAnswer), so a client opens a new connection for its next request
  instead of sending it into one being drained;
- what httptools cannot parse gets a 400 with a JSON detail, like the refusals above.

The protocol is chosen over ASGI middleware because these limits act before there is a request
(a silent connection, an unfinished head) and must stop the parser from buffering. A refusal is
sent, the sending side shut down, and the connection drained for LINGER_S before it is closed,
so the client reads the refusal instead of a connection reset (what nginx calls lingering close).
"""

from __future__ import annotations

import json
import logging
import time
from asyncio import TimerHandle, Transport
from dataclasses import dataclass
from typing import ClassVar, cast

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol, RequestResponseCycle

from api.connection_table import ConnectionTable
from api.rate_limit import client_key

log = logging.getLogger("signavatar.http")
LINGER_S = 2.0  # seconds a refused connection is drained before it is closed
REPORT_EVERY_S = 10.0  # refusals are logged as one line per reason at most this often
BODY_TOTAL_FACTOR = 6  # a request body must be complete within this many body_timeout_s
MIN_BODY_RATE = 1024.0  # bytes/s: a slower body gives way to a newcomer when the server is full


@dataclass(frozen=True)
class TransportLimits:
    """What one client connection may hold; times in seconds, sizes in bytes."""

    max_connections: int
    max_client_connections: int
    header_timeout_s: float
    body_timeout_s: float
    keep_alive_s: float
    max_header_bytes: int


class _RefusalLog:
    """Counts refusals by reason and logs them at most once per REPORT_EVERY_S (a flood of
    thousands of connections must not become thousands of log lines)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.last = 0.0

    def add(self, reason: str) -> None:
        self.counts[reason] = self.counts.get(reason, 0) + 1
        now = time.monotonic()
        if now - self.last >= REPORT_EVERY_S:
            self.last = now
            summary = ", ".join(f"{r}: {n}" for r, n in sorted(self.counts.items()))
            log.warning("refused connections since the last report: %s", summary,
                        extra={"event": "connections_refused"})
            self.counts.clear()


REFUSALS = _RefusalLog()


class LimitedHttpProtocol(HttpToolsProtocol):
    """HttpToolsProtocol plus TransportLimits; build a class for given limits with `protocol_with`."""

    limits: ClassVar[TransportLimits]
    table: ClassVar[ConnectionTable[LimitedHttpProtocol]]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # uvicorn's own arguments, passed through
        self.timeout_keep_alive = self.limits.keep_alive_s  # type: ignore[assignment]  # uvicorn types it int
        self._refused = False  # after a refusal the connection is drained, never parsed
        self._head_open = False  # a request head has begun and is not complete
        # Two lower bounds of the open head's size: its completed fields (httptools reports a header
        # only once it ends), and the chunks fed while it was open (what httptools buffers meanwhile).
        self._head_fields = self._head_raw = 0
        self._head_timer: TimerHandle | None = None
        self._body_open = False  # a request head is complete, its body is not
        self._body_seen = 0.0  # loop time of the last body bytes
        self._body_deadline = 0.0  # loop time by which the body must be complete
        self._body_start = 0.0  # loop time of the complete head
        self._body_bytes = 0  # body bytes received so far
        self._body_timer: TimerHandle | None = None
        self._answer: _EarlyAnswer | None = None  # the latest request's transport, as its answer sees it

    # -- connection -------------------------------------------------------------------------
    def connection_made(self, transport: Transport) -> None:  # type: ignore[override]  # uvicorn: asyncio.Transport
        peer = transport.get_extra_info("peername")
        client = client_key(peer[0] if isinstance(peer, tuple) and peer else None)
        if not self.table.admit(self, client):
            self.transport, self._refused = transport, True
            REFUSALS.add("every connection busy")
            transport.close()
            return
        super().connection_made(transport)
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self.table.remove(self)
        self._cancel_timers()
        super().connection_lost(exc)

    def give_way(self) -> None:
        """Closed to make room for a newcomer (ConnectionTable): a waiting one has nothing to
        cut off; a too slow body gets 408; a refused one being drained is closed now."""
        if self._refused:
            self._cancel_timers()
            self.transport.close()
            return
        if self._body_open:
            self._refuse(408, f"the server is full and the request body came slower than {MIN_BODY_RATE:g} "
                              "bytes a second: send it at once", "slow body, closed for a newcomer")
            return
        REFUSALS.add("longest waiting, closed for a newcomer")
        self._refused = True
        self._cancel_timers()
        self.transport.close()

    def body_rate(self) -> float | None:
        """Bytes/s of the body being received, when it is too slow to keep its place on a full
        server (MIN_BODY_RATE, after its first second; never while the server stopped reading)."""
        if not self._body_open or self._refused or self.flow.read_paused:
            return None
        elapsed = self.loop.time() - self._body_start
        if elapsed < 1.0:
            return None
        rate = self._body_bytes / elapsed
        return rate if rate < MIN_BODY_RATE else None

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # draining: read and drop
        if self._head_timer is None and not self._body_open:
            self._arm_head_timer()  # the first byte of the next request (or of stray CRLFs)
        was_open = self._head_open
        super().data_received(data)
        if self._refused_meanwhile():
            return
        if was_open and self._head_open:
            self._head_raw += len(data)  # all of this chunk went into the unfinished head
            self._check_head_size()

    def _refused_meanwhile(self) -> bool:
        """self._refused read afresh, after a call (the parser's callbacks) that may have set it:
        mypy would keep its narrowing from a check before the call."""
        return self._refused

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # An answer sent before its body was read lingers already (_EarlyAnswer.close, _refused).
        if not self._refused and not self.transport.is_closing() and not self._body_open and (
                self.cycle is None or self.cycle.response_complete):  # no pipelined request under way
            self.table.waiting(self)  # idle until the next request: it may give way now

    # -- parser callbacks -------------------------------------------------------------------
    def on_message_begin(self) -> None:
        if self._refused:
            return
        super().on_message_begin()
        self._head_open, self._head_fields, self._head_raw = True, 0, 0
        if self._head_timer is None:
            self._arm_head_timer()

    def on_url(self, url: bytes) -> None:
        if self._refused:
            return
        self._head_fields += len(url)
        if self._check_head_size():
            super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        if self._refused:
            return
        self._head_fields += len(name) + len(value) + 4  # ": " and CRLF
        if self._check_head_size():
            super().on_header(name, value)

    def on_headers_complete(self) -> None:
        if self._refused:
            return
        self._head_open = False
        _cancel(self._head_timer)
        self._head_timer = None
        self._body_open, self._body_seen = True, self.loop.time()
        self._body_deadline = self._body_seen + BODY_TOTAL_FACTOR * self.limits.body_timeout_s
        self._body_start, self._body_bytes = self._body_seen, 0
        self._body_timer = self.loop.call_later(self.limits.body_timeout_s, self._body_timed_out)
        self.table.receiving(self)  # gives way to a newcomer only if its body trickles
        before = self.cycle
        super().on_headers_complete()
        if self.cycle is not None and self.cycle is not before:  # a new request's cycle (not an upgrade)
            self._answer = _EarlyAnswer(self, self.cycle)

    def on_body(self, body: bytes) -> None:
        if self._refused:
            return
        self._body_seen = self.loop.time()
        self._body_bytes += len(body)
        super().on_body(body)

    def on_message_complete(self) -> None:
        if self._refused:
            return
        self._body_open = False
        if self._answer is not None:
            self._answer.body_read = True
        _cancel(self._body_timer)
        self._body_timer = None
        self.table.busy(self)  # the request is in: it never gives way to a newcomer now
        super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        """What httptools cannot parse: a JSON detail like every other refusal (uvicorn's is text)."""
        self._refuse(400, "the request is not valid HTTP/1.1: check the request line, the header syntax "
                          "and Content-Length", "invalid HTTP")

    # -- limits -----------------------------------------------------------------------------
    def _check_head_size(self) -> bool:
        """True while the open head is within max_header_bytes; else refuse it (431)."""
        if max(self._head_fields, self._head_raw) <= self.limits.max_header_bytes:
            return True
        self._refuse(431, f"the request line and headers are over {self.limits.max_header_bytes} bytes: "
                          "send fewer or shorter headers, and long text in the body", "head too large")
        return False

    def _arm_head_timer(self) -> None:
        self._head_timer = self.loop.call_later(self.limits.header_timeout_s, self._head_timed_out)

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self._refused or self.transport.is_closing():
            return
        if self.cycle is not None and not self.cycle.response_complete:
            # A request is being answered (the bytes were stray CRLFs or the start of a pipelined
            # request): never cut an answer off for them; look again later.
            self._arm_head_timer()
            return
        if not self._head_open:  # nothing of a request arrived: there is nobody to answer
            REFUSALS.add("idle before a request")
            self._refused = True
            self.transport.close()
            return
        detail = f"the request line and headers must arrive within {self.limits.header_timeout_s:g} s"
        self._refuse(408, detail, "request head too slow")

    def _body_timed_out(self) -> None:
        self._body_timer = None
        if self._refused or not self._body_open or self.transport.is_closing():
            return
        now = self.loop.time()
        if self.flow.read_paused or (self.cycle is not None and self.cycle.waiting_for_100_continue):
            self._body_seen = now  # not the client's pause: we stopped reading, or it awaits 100 Continue
        if now >= self._body_deadline and not self.flow.read_paused:
            total = BODY_TOTAL_FACTOR * self.limits.body_timeout_s
            self._refuse(408, f"the request body must arrive within {total:g} s: send it at once",
                         "request body too slow")
            return
        left = min(self._body_seen + self.limits.body_timeout_s, self._body_deadline) - now
        if left > 0:  # body bytes came since the timer was set
            self._body_timer = self.loop.call_later(left, self._body_timed_out)
            return
        self._refuse(408, f"the request body paused for more than {self.limits.body_timeout_s:g} s: "
                          "send it without pauses", "request body too slow")

    def _refuse(self, status: int, detail: str, reason: str) -> None:
        """Answer `status` with a JSON detail (when no response is under way), then close."""
        REFUSALS.add(reason)
        self._refused = True
        self._cancel_timers()
        self._unset_keepalive_if_required()
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            if cycle.response_started:
                self.transport.close()  # half a response went out: no room for another
                return
            # The app is waiting for this request: it now reads a disconnect, and its answer is dropped.
            cycle.disconnected = True
            cycle.message_event.set()
        body = json.dumps({"detail": detail}).encode()
        head = [STATUS_LINE[status]] + [b"%s: %s\r\n" % kv for kv in self.server_state.default_headers]
        self.transport.write(b"".join([
            *head, b"content-type: application/json\r\n", b"content-length: %d\r\n" % len(body),
            b"connection: close\r\n\r\n", body,
        ]))
        self._linger()

    def linger_unread(self) -> None:
        """An answer went out before its request's body was read: drain, then close (_EarlyAnswer)."""
        if self._refused or self.transport.is_closing():
            return
        self._refused = True
        self._cancel_timers()
        self._linger()

    def _linger(self) -> None:
        """Shut down our sending side after what is written, drain the client for LINGER_S, close
        (sooner when the server is full: a draining connection is the first to give way)."""
        self.table.doomed(self)
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.flow.resume_reading()
        self.loop.call_later(LINGER_S, self.transport.close)

    def _cancel_timers(self) -> None:
        _cancel(self._head_timer)
        _cancel(self._body_timer)
        self._head_timer, self._body_timer = None, None


class _EarlyAnswer:
    """The transport as one request's answer sees it (uvicorn's RequestResponseCycle writes to it).

    An answer whose head goes out before the request's body was read to its end (a 413 for a body
    over the limit, any refusal before reading) cannot leave the connection open: the unread rest of
    the body would be read as the next request. uvicorn either says nothing (and the protocol
    drains and closes after the answer, so a client reusing the connection got no answer: seen with
    a pooled httpx client) or, when the app sent `connection: close`, closes at once, and the
    client's unsent body then makes the kernel reset the connection before the answer is read. Here
    such an answer always says `connection: close`, and its close drains the body first
    (LimitedHttpProtocol.linger_unread)."""

    def __init__(self, protocol: LimitedHttpProtocol, cycle: RequestResponseCycle) -> None:
        self.protocol, self.cycle, self.transport = protocol, cycle, cycle.transport
        self.body_read = False  # set when the request's body is complete
        self._head_sent = False
        cycle.transport = cast(Transport, self)

    def write(self, data: bytes) -> None:
        if not self._head_sent and data.startswith(b"HTTP/1.1 ") and not data.startswith(b"HTTP/1.1 100 "):
            self._head_sent = True
            if not self.body_read and self.cycle.keep_alive and data.endswith(b"\r\n\r\n"):  # no close said
                self.cycle.keep_alive = False  # so it closes after the answer: through close() below
                data = data[:-2] + b"connection: close\r\n\r\n"
        self.transport.write(data)

    def close(self) -> None:
        if self.body_read:
            self.transport.close()
        else:
            self.protocol.linger_unread()

    def __getattr__(self, name: str) -> object:
        return getattr(self.transport, name)


def _cancel(timer: TimerHandle | None) -> None:
    """Cancel `timer` (if any); the caller stores None in its place."""
    if timer is not None:
        timer.cancel()


def protocol_with(limits: TransportLimits) -> type[LimitedHttpProtocol]:
    """A LimitedHttpProtocol class bound to `limits`, for uvicorn.Config(http=...) (uvicorn builds
    the protocol itself, with its own arguments, so the limits travel on the class)."""
    table: ConnectionTable[LimitedHttpProtocol] = ConnectionTable(
        limits.max_connections, min(limits.max_client_connections, limits.max_connections),
        LimitedHttpProtocol.give_way, LimitedHttpProtocol.body_rate)
    bound = type("LimitedHttpProtocol", (LimitedHttpProtocol,), {"limits": limits, "table": table})
    return cast(type[LimitedHttpProtocol], bound)
