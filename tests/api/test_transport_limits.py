"""Connection, request-head and body limits against a real uvicorn process (the app with the fake
pipeline, started through api/server.py as in production), over raw sockets on 127.0.0.1: what
httpx would never send (half a head, a stalled body, 70 connections at once) is written by hand.

Times are bounds, never targets: the servers use 1 s timeouts and the tests allow 10 s.
"""

from __future__ import annotations

import json
import os
import resource
import select
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import anyio
import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from api.body_limit import BodyLimitMiddleware
from fake_pipeline import RELEASE_FILE
from fake_server import AUTH, TEST_EDITOR_KEY, fake_server
from real_server import serve_process

STREAM = 64 << 20  # bytes a test offers to send; a server that stops reading is left far behind
BOUND_S = 10.0  # seconds to wait for what a 1 s limit causes; generous for a loaded 2-core machine
EDITOR = f"Authorization: Bearer {TEST_EDITOR_KEY}"  # the editor key may write everywhere
POST_PATHS = ["/v1/clips", "/v1/memory", "/v1/preview", f"/v1/clips/{'0' * 32}/approve",
              f"/v1/clips/{'0' * 32}/reject", "/v1/lexicon/TERMIN/review"]


@pytest.fixture(scope="module")
def quick_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("quick")


@pytest.fixture(scope="module")
def quick(quick_dir: Path) -> Iterator[str]:
    """A service whose head, body and keep-alive timeouts are 1 s."""
    with fake_server(quick_dir, header_timeout_s=1, body_timeout_s=1, keep_alive_s=1, workers=1) as url:
        yield url


def port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def connect(url: str) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port(url)), timeout=BOUND_S)


def head(method: str, path: str, *lines: str) -> bytes:
    """A request head as written on the wire; pass "" last to end it."""
    return "\r\n".join([f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *lines, ""]).encode()


def answer(sock: socket.socket, timeout: float = BOUND_S) -> tuple[int | None, bytes]:
    """Read until the server closes (or `timeout`): (the status of its answer or None, the rest)."""
    data, deadline = b"", time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    if not data.startswith(b"HTTP/1.1 "):
        return None, data
    return int(data.split(b" ", 2)[1]), data


def closed_by_server(sock: socket.socket) -> bool:
    """True when the server has closed `sock` (after any answer it sent)."""
    try:
        sock.settimeout(BOUND_S)
        while chunk := sock.recv(65536):
            del chunk
        return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def says_close(data: bytes) -> bool:
    """Whether the first answer in `data` has the header `connection: close`."""
    return b"connection: close" in data.partition(b"\r\n\r\n")[0].lower().split(b"\r\n")[1:]


def detail(data: bytes) -> str:
    return str(json.loads(data.partition(b"\r\n\r\n")[2])["detail"])


def server_pid(data_dir: Path) -> int:
    """The pid of the serve_fake_app.py process of `data_dir` (a child of this test process)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == os.getpid() and any(a.endswith(b"serve_fake_app.py") for a in cmdline) \
                and str(data_dir).encode() in cmdline:
            return int(entry.name)
    raise AssertionError(f"no server process for {data_dir}")


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


# -- bodies -------------------------------------------------------------------------------------
def stream_until_cut(sock: socket.socket, total: int, chunk: bytes) -> tuple[int, int | None, bytes]:
    """Send `chunk`s up to `total` bytes, stopping when the server answers or closes: (bytes sent,
    status of its answer or None, the answer)."""
    sent = 0
    sock.setblocking(False)
    try:
        while sent < total:
            readable, writable, _ = select.select([sock], [sock], [], BOUND_S)
            if readable:
                break
            if not writable:
                raise AssertionError("the server neither read on nor answered")
            try:
                sent += sock.send(chunk)
            except BlockingIOError:
                continue
    except (BrokenPipeError, ConnectionResetError):
        return sent, None, b""
    finally:
        sock.setblocking(True)
    status, data = answer(sock)
    return sent, status, data


@pytest.mark.parametrize("coding", ["Chunked", "CHUNKED", "gzip, CHUNKED", "chunked"])
def test_a_chunked_body_in_any_letter_case_is_refused_before_it_is_read(
        quick: str, quick_dir: Path, coding: str) -> None:
    """Was: `Transfer-Encoding: Chunked` passed the case-sensitive check and 1 GB went into memory."""
    pid = server_pid(quick_dir)
    before = rss_kb(pid)
    with connect(quick) as sock:
        sock.sendall(head("POST", "/v1/memory", EDITOR,
                          "Content-Type: application/json", f"Transfer-Encoding: {coding}", ""))
        piece = b"%x\r\n%s\r\n" % (1 << 20, b" " * (1 << 20))  # 1 MiB chunks of JSON whitespace
        sent, status, data = stream_until_cut(sock, STREAM, piece)
    grown = rss_kb(pid) - before
    assert grown < 8 * 1024, f"the server's memory grew by {grown} kB with the body ({sent} bytes sent)"
    assert sent < STREAM // 2, f"the server read {sent} bytes of a refused body"
    assert status == 411 and "Content-Length" in detail(data), data[:300]  # readable: the server drains


@pytest.mark.parametrize("path", POST_PATHS)
def test_every_post_endpoint_refuses_a_body_over_the_limit(quick: str, path: str) -> None:
    """A declared length over the limit: 413 before the body is read; the client can read the
    answer although it is still sending (the server drains before it closes)."""
    with connect(quick) as sock:
        sock.sendall(head("POST", path, EDITOR, "Content-Type: application/json",
                          f"Content-Length: {STREAM}", ""))
        sent, status, data = stream_until_cut(sock, STREAM, b" " * 65536)
    assert status == 413, (sent, data[:300])
    assert "limit" in detail(data) and sent < STREAM // 2
    assert says_close(data), data[:300]


def test_an_answer_before_the_body_says_the_connection_closes_and_a_pooled_client_goes_on(quick: str) -> None:
    """Was: the 413 for an unread body did not say `connection: close`, the server drained and closed
    the connection, and a pooled client that sent its next request into it read no answer. Now the
    answer says so, and a pooled client opens a new connection for its next request."""
    with connect(quick) as sock:  # part of a long body, then a request the server must not parse
        sock.sendall(head("POST", "/v1/memory", EDITOR, "Content-Type: application/json",
                          f"Content-Length: {STREAM}", "") + b" " * 65536 + head("GET", "/healthz", ""))
        status, data = answer(sock)
    assert status == 413 and data.count(b"HTTP/1.1 ") == 1 and says_close(data), data[:300]
    with httpx.Client(base_url=quick, timeout=BOUND_S) as client:
        for _ in range(5):
            refused = client.post("/v1/memory", content=b" " * (2 << 20),
                                  headers={"Authorization": f"Bearer {TEST_EDITOR_KEY}",
                                           "Content-Type": "application/json"})
            assert refused.status_code == 413 and refused.headers["connection"] == "close"
            assert client.get("/healthz").status_code == 200  # the pool's next request is answered


def test_an_answer_after_the_whole_body_keeps_the_connection(quick: str) -> None:
    """A body over the limit that arrived whole before the answer leaves nothing unread: the
    connection stays open and the next request on it is answered."""
    with connect(quick) as sock:
        sock.sendall(head("POST", "/v1/memory", EDITOR, "Content-Type: application/json",
                          "Content-Length: 70000", "") + b" " * 70000 + head("GET", "/healthz", ""))
        status, data = answer(sock, timeout=3.0)
    assert status == 413 and not says_close(data), data[:300]
    assert b"HTTP/1.1 200 OK" in data and b'"status":"ok"' in data, data[-300:]


@pytest.mark.parametrize("path", POST_PATHS)
def test_every_post_endpoint_refuses_a_chunked_body(quick: str, path: str) -> None:
    with connect(quick) as sock:  # raw: httpx writes its own lower-case Transfer-Encoding
        sock.sendall(head("POST", path, EDITOR, "Content-Type: application/json",
                          "Transfer-Encoding: Chunked", "") + b'11\r\n{"text": "Hallo"}\r\n0\r\n\r\n')
        status, data = answer(sock)
    assert status == 411 and "Content-Length" in detail(data), data[:300]


def _echo_app(max_bytes: int) -> BodyLimitMiddleware:
    async def echo(request: Request) -> JSONResponse:
        return JSONResponse({"bytes": len(await request.body())})

    return BodyLimitMiddleware(Starlette(routes=[Route("/", echo, methods=["POST"])]), max_bytes=max_bytes)


def test_bytes_received_past_the_limit_are_cut_off_whatever_the_length_says() -> None:
    """Defence in depth, in process: over real sockets httptools enforces Content-Length and the
    header check refuses every Transfer-Encoding, so only a server that frames bodies otherwise
    could hand the app more than declared; the middleware counts what it receives."""

    async def post() -> tuple[httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=_echo_app(1000))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            lying = await client.post("/", content=b"x" * 5000, headers={"content-length": "10"})
            return lying, await client.post("/", content=b"x" * 1000)

    lying, fine = anyio.run(post)
    assert lying.status_code == 413 and "limit of 1000 bytes" in lying.json()["detail"]
    assert fine.status_code == 200 and fine.json() == {"bytes": 1000}


@pytest.mark.parametrize("length", ["1" * 30, "10" + "0" * 5000, "-5", "12abc", " 7_0"])
def test_content_length_of_any_form_is_a_4xx(quick: str, length: str) -> None:
    with connect(quick) as sock:
        sock.sendall(head("POST", "/v1/clips", EDITOR,
                          f"Content-Length: {length}", "") + b"{}")
        status, data = answer(sock)
    assert status is not None and 400 <= status < 500, data[:300]
    assert detail(data), data[:300]


# -- request heads ------------------------------------------------------------------------------
def test_a_connection_that_sends_nothing_is_closed_after_the_header_timeout(quick: str) -> None:
    with connect(quick) as sock:
        start = time.monotonic()
        assert closed_by_server(sock), "an idle connection stayed open"
        assert 0.5 < time.monotonic() - start < BOUND_S


def test_half_a_request_head_gets_408(quick: str) -> None:
    with connect(quick) as sock:
        sock.sendall(head("GET", "/healthz", "Accept: */*"))  # no blank line: the head never ends
        status, data = answer(sock)
    assert status == 408 and "within 1 s" in detail(data), data


def test_a_head_trickled_byte_by_byte_is_cut_off(quick: str) -> None:
    """The deadline is for the whole head: bytes arriving in time do not extend it."""
    with connect(quick) as sock:
        start, sent = time.monotonic(), 0
        try:
            while time.monotonic() - start < BOUND_S:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nX-Slow: " if sent == 0 else b"a")
                sent += 1
                if select.select([sock], [], [], 0.1)[0]:
                    break
        except (BrokenPipeError, ConnectionResetError):
            pass
        status, data = answer(sock)
    assert time.monotonic() - start < BOUND_S and status == 408, data


def test_an_idle_keep_alive_connection_is_closed(quick: str) -> None:
    with connect(quick) as sock:
        sock.sendall(head("GET", "/healthz", ""))
        assert sock.recv(65536).startswith(b"HTTP/1.1 200"), "no answer"
        assert closed_by_server(sock), "an idle keep-alive connection stayed open"


def test_20_kb_of_headers_get_431(quick: str) -> None:
    big = [f"X-Filler-{i}: {'a' * 1000}" for i in range(20)]
    with connect(quick) as sock:
        sock.sendall(head("GET", "/healthz", *big, ""))
        status, data = answer(sock)
    assert status == 431 and "16384 bytes" in detail(data), data[:300]


def test_one_endless_header_sent_in_pieces_gets_431(quick: str, quick_dir: Path) -> None:
    """httptools buffers a header field until it ends: the bytes of an open head are counted too."""
    pid = server_pid(quick_dir)
    before = rss_kb(pid)
    with connect(quick) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nX-Endless: ")
        sent, status, data = stream_until_cut(sock, STREAM, b"a" * 4096)
    assert status == 431 and sent < STREAM // 2, (sent, data[:300])
    grown = rss_kb(pid) - before
    assert grown < 8 * 1024, f"the server's memory grew by {grown} kB with the header"


def test_a_head_under_the_limit_sent_in_pieces_is_served(quick: str) -> None:
    """12 KB of headers in 30 writes: both ways of counting the head stay below 16 KB."""
    wire = head("GET", "/healthz", *(f"X-Filler-{i}: {'a' * 1000}" for i in range(12)), "")
    with connect(quick) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for i in range(0, len(wire), 400):
            sock.sendall(wire[i : i + 400])
            time.sleep(0.002)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200"), "a head under the limit was refused"


def test_normal_requests_still_work(quick: str) -> None:
    assert httpx.get(quick + "/healthz").status_code == 200
    r = httpx.post(quick + "/v1/clips", json={"glosses": "TERMIN", "options": {"width": 64, "height": 48}},
                   headers=AUTH)
    assert r.status_code in (200, 202), r.text


# -- request bodies -----------------------------------------------------------------------------
def test_a_stalled_body_gets_408(quick: str) -> None:
    with connect(quick) as sock:
        sock.sendall(head("POST", "/v1/memory", EDITOR,
                          "Content-Type: application/json", "Content-Length: 100", "") + b'{"text": ')
        start = time.monotonic()
        status, data = answer(sock)
    assert status == 408 and "paused" in detail(data), data
    assert time.monotonic() - start < BOUND_S


# -- connections --------------------------------------------------------------------------------
CAP = 50


@contextmanager
def soft_open_file_limit(limit: int) -> Iterator[None]:
    """Lower this process's soft RLIMIT_NOFILE (children inherit it) for the block."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(limit, hard), hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@pytest.fixture(scope="module")
def capped_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("capped")


@pytest.fixture(scope="module")
def capped(capped_dir: Path) -> Iterator[str]:
    """A service that holds at most CAP connections, with timeouts longer than the tests, started
    with a soft open-file limit below the hard one."""
    with ExitStack() as stack:
        with soft_open_file_limit(512):  # only while it starts: it inherits the limit
            url = stack.enter_context(fake_server(capped_dir, max_connections=CAP, header_timeout_s=120,
                                                  body_timeout_s=120, keep_alive_s=120, workers=1,
                                                  translate_max_waiting=CAP))
        yield url


def test_the_server_raises_its_open_file_limit_to_the_hard_limit(capped: str, capped_dir: Path) -> None:
    limits = Path(f"/proc/{server_pid(capped_dir)}/limits").read_text()
    soft, hard = next(line for line in limits.splitlines() if line.startswith("Max open files")).split()[3:5]
    assert soft == hard, limits


def closed_ones(socks: list[socket.socket], expected: int) -> set[socket.socket]:
    """The sockets of `socks` the server closes within BOUND_S (waiting until `expected` are),
    then a short look that no more are closed."""
    closed: set[socket.socket] = set()
    deadline = time.monotonic() + BOUND_S
    while len(closed) < expected and time.monotonic() < deadline:
        for sock in select.select([s for s in socks if s not in closed], [], [], 0.5)[0]:
            assert closed_by_server(sock)
            closed.add(sock)
    for sock in select.select([s for s in socks if s not in closed], [], [], 0.5)[0]:
        if closed_by_server(sock):
            closed.add(sock)
    return closed


def connect_from(url: str, source: str) -> socket.socket:
    """A connection from another loopback address (all of 127.0.0.0/8 is this machine)."""
    return socket.create_connection(("127.0.0.1", port(url)), timeout=BOUND_S, source_address=(source, 0))


def test_a_flood_of_waiting_connections_gives_way_to_new_clients(capped: str) -> None:
    """At the cap, the connections that waited longest for a request (idle keep-alive, half a head)
    are closed to make room: new clients get in while the flood holds every slot it can."""
    with httpx.Client(base_url=capped, timeout=BOUND_S, limits=httpx.Limits(max_connections=1)) as idle:
        assert idle.get("/healthz").status_code == 200  # one connection, now idle (kept alive)
        idle_sock = connect(capped)  # and one that sent nothing yet
        flood = [connect(capped) for _ in range(CAP + 20)]
        try:
            for sock in flood:
                sock.sendall(head("GET", "/healthz"))  # half a head each
                time.sleep(0.002)  # in this order on the server too
            closed = closed_ones([idle_sock, *flood], 21)
            # 2 + 70 connections for 50 places: the 22 that waited longest gave way (httpx's idle one too)
            assert closed == {idle_sock, *flood[:20]}, (
                f"closed {len(closed)}: idle {idle_sock in closed}, "
                f"flood {sorted(flood.index(s) for s in closed if s in flood)}")
            # New clients get in, each in place of the longest-waiting flood connection.
            for _ in range(3):
                assert httpx.get(capped + "/healthz", timeout=BOUND_S).status_code == 200
            r = httpx.post(capped + "/v1/clips", json={"glosses": "TERMIN", "options": {"width": 64, "height": 48}},
                           headers=AUTH, timeout=BOUND_S)
            assert r.status_code in (200, 202), r.text
            status = r.json()
            deadline = time.monotonic() + 30
            while status["status"] in ("queued", "running") and time.monotonic() < deadline:
                time.sleep(0.1)
                status = httpx.get(f"{capped}/v1/clips/{status['id']}", timeout=BOUND_S).json()
            assert status["status"] == "done", status  # SQLite and the worker had their descriptors
        finally:
            idle_sock.close()
            for sock in flood:
                sock.close()


def test_busy_connections_never_give_way(capped: str, capped_dir: Path) -> None:
    """Connections whose request is in and being answered (a translation the test holds) are never
    closed for a newcomer: when all are busy, the newcomer is closed instead."""
    busy = [connect(capped) for _ in range(CAP)]
    try:
        for n, sock in enumerate(busy):  # the fake translation of SLOWTEXT waits for RELEASE_FILE
            sock.sendall(head("GET", f"/v1/gloss?text=SLOWTEXT+{n}", f"Authorization: Bearer {TEST_EDITOR_KEY}",
                              "Connection: close", ""))
        time.sleep(1.0)  # every request in on the server
        with pytest.raises(httpx.TransportError):
            httpx.get(capped + "/healthz", timeout=BOUND_S)  # no place: this one is closed at once
        assert not closed_ones(busy, 0), "a busy connection was closed for a newcomer"
    finally:
        (capped_dir / RELEASE_FILE).touch()
        for sock in busy:
            assert answer(sock)[0] == 200
            sock.close()
    assert httpx.get(capped + "/healthz", timeout=BOUND_S).status_code == 200


def test_a_trickling_body_gives_way_to_a_newcomer_and_a_fair_one_does_not(capped: str) -> None:
    """On a full server the slowest body below MIN_BODY_RATE is cut off (408) for a newcomer."""
    socks = [connect(capped) for _ in range(CAP)]
    try:
        for n, sock in enumerate(socks):
            sock.sendall(head("POST", "/v1/memory", f"Authorization: Bearer {TEST_EDITOR_KEY}",
                              "Content-Type: application/json", "Content-Length: 60000", "") + b" " * (n + 1))
            time.sleep(0.002)
        time.sleep(1.5)  # past the first second: all of them trickle (1-50 bytes in 1.5 s)
        assert httpx.get(capped + "/healthz", timeout=BOUND_S).status_code == 200  # the newcomer got in
        status, data = answer(socks[0])  # the slowest (fewest bytes) gave way
        assert status == 408 and "slower than" in detail(data), data
        assert not closed_ones(socks[1:], 0), "only one had to give way"
    finally:
        for sock in socks:
            sock.close()


def test_one_address_gives_way_among_its_own_connections(tmp_path: Path) -> None:
    """An address at max_client_connections loses its own longest-waiting connection, not another
    address's; the total cap takes the longest-waiting of all."""
    with fake_server(tmp_path, max_connections=30, max_client_connections=10, header_timeout_s=120,
                     workers=1) as url:
        first = [connect_from(url, "127.0.0.2") for _ in range(15)]
        for sock in first:
            sock.sendall(head("GET", "/healthz"))
            time.sleep(0.002)
        others = [connect_from(url, f"127.0.0.{3 + i // 10}") for i in range(20)]  # 10 each from .3, .4
        for sock in others:
            sock.sendall(head("GET", "/healthz"))
            time.sleep(0.002)
        closed = closed_ones([*first, *others], 5)
        assert closed == set(first[:5]), "127.0.0.2 should have lost its own 5 oldest, no other address any"
        late = connect_from(url, "127.0.0.5")  # 31st: the longest waiting of all gives way
        late.sendall(head("GET", "/healthz", ""))
        assert answer(late)[0] == 200
        assert closed_ones([*first[5:], *others], 1) == {first[5]}
        for sock in [*first, *others, late]:
            sock.close()


def test_signavatar_serve_runs_with_the_same_limits(tmp_path: Path) -> None:
    """`signavatar serve` (the real CLI and pipeline) starts through api/server.py too."""
    env = {"SIGNAVATAR_HEADER_TIMEOUT_S": "1", "SIGNAVATAR_MAX_HEADER_BYTES": "4096",
           "SIGNAVATAR_API_KEY": ""}
    with serve_process(tmp_path, env) as service:
        with connect(service.url) as sock:
            sock.sendall(head("GET", "/healthz", "Accept: */*"))
            status, data = answer(sock)
        assert status == 408 and "within 1 s" in detail(data), data
        with connect(service.url) as sock:
            sock.sendall(head("GET", "/healthz", f"X-Filler: {'a' * 5000}", ""))
            status, data = answer(sock)
        assert status == 431 and "4096 bytes" in detail(data), data
        assert httpx.get(service.url + "/healthz").status_code == 200
