"""HTTP load: a real `signavatar serve` (uvicorn) on loopback with one small rendered clip, and a
closed-loop load generator (N keep-alive HTTP/1.1 connections, each sending its next request when
the last answer is read) measuring requests per second and p50/p99 latency (ms) for:

  healthz        GET /healthz                      (baseline: the cheapest route, same run)
  status         GET /v1/clips/{id}                (status polls of a finished clip)
  video          GET /v1/clips/{id}/video          (cached clip download, whole file)
  video_range    GET .../video, Range: bytes=0-65535 (a browser seeking)
  video_304      GET .../video, If-None-Match: ETag (revalidation)

The generator is a separate process speaking raw HTTP/1.1 over asyncio streams (cheaper than an
HTTP client library), but on a 2-core machine it still shares the cores with the server: the
numbers are a lower bound for the server alone. Target: p99 < 50 ms at 100 connections.

usage: .venv/bin/python benchmarks/http_load.py [--connections 100] [--seconds 15]
                                                 [--http-workers N] [--scenarios healthz,status,...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from real_server import serve_process  # noqa: E402  (the one launcher, shared with the e2e tests)

API_KEY = "http-load-benchmark-key"
CLIP = {"glosses": "TERMIN ICH BRAUCHEN", "options": {"width": 192, "height": 192}}
WARMUP_S = 1.0  # requests that start in the first second are not counted
SCENARIOS = ("healthz", "status", "video", "video_range", "video_304")


# ---- load generator (runs in its own process: `http_load.py --generate ...`) ----

async def _connection(host: str, port: int, request: bytes, start: float, stop: float,
                      latencies: list[float], statuses: dict[int, int]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while (t0 := time.perf_counter()) < stop:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n")[1:]:
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            if length:
                await reader.readexactly(length)
            if t0 >= start:
                latencies.append(time.perf_counter() - t0)
                statuses[status] = statuses.get(status, 0) + 1
            if b"connection: close" in head.lower():
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
    finally:
        writer.close()


async def _generate(host: str, port: int, request: bytes, connections: int, seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    start = time.perf_counter() + WARMUP_S
    stop = start + seconds
    results = await asyncio.gather(
        *(_connection(host, port, request, start, stop, latencies, statuses) for _ in range(connections)),
        return_exceptions=True,
    )
    errors = [repr(r) for r in results if isinstance(r, BaseException)]
    latencies.sort()
    n = len(latencies)

    def pct(p: float) -> float:
        return 1000 * latencies[min(n - 1, int(p * n))] if n else float("nan")

    return {"requests": n, "rps": n / seconds, "p50_ms": pct(0.50), "p99_ms": pct(0.99), "max_ms": pct(1.0),
            "statuses": statuses, "errors": errors[:3], "failed_connections": len(errors)}


def _request(path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


# ---- the service under test ----

@contextmanager
def service(data: Path, http_workers: int | None) -> Iterator[tuple[str, int, int]]:
    """Run `signavatar serve` on a free loopback port; yields (host, port, pid)."""
    args = ("--http-workers", str(http_workers)) if http_workers is not None else ()
    env = {"SIGNAVATAR_API_KEY": API_KEY, "SIGNAVATAR_LOG_FORMAT": "text"}
    try:
        with serve_process(data, env, args) as proc:
            yield "127.0.0.1", int(proc.url.rsplit(":", 1)[1]), proc.pid
    except RuntimeError as exc:
        raise SystemExit(str(exc)) from None


def render_clip(base: str) -> dict[str, Any]:
    auth = {"Authorization": f"Bearer {API_KEY}"}
    info: dict[str, Any] = httpx.post(f"{base}/v1/clips", json=CLIP, headers=auth, timeout=60).json()
    deadline = time.monotonic() + 300
    while info.get("status") != "done":
        if info.get("status") not in ("queued", "running") or time.monotonic() > deadline:
            raise SystemExit(f"clip did not render: {info}")
        time.sleep(0.3)
        info = httpx.get(f"{base}/v1/clips/{info['id']}", timeout=10).json()
    return info


def scenario_requests(info: dict[str, Any], etag: str) -> dict[str, bytes]:
    video = info["urls"]["video"]
    return {
        "healthz": _request("/healthz", {}),
        "status": _request(info["urls"]["status"], {}),
        "video": _request(video, {}),
        "video_range": _request(video, {"Range": "bytes=0-65535"}),
        "video_304": _request(video, {"If-None-Match": etag}),
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its children that have exited (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--connections", type=int, default=100)
    p.add_argument("--seconds", type=float, default=15.0)
    p.add_argument("--http-workers", type=int, default=None, help="passed to signavatar serve")
    p.add_argument("--scenarios", default=",".join(SCENARIOS))
    p.add_argument("--generate", nargs=3, metavar=("HOST", "PORT", "REQUEST_JSON"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.generate:
        host, port, raw = args.generate
        result = asyncio.run(_generate(host, int(port), json.loads(raw).encode("latin-1"), args.connections,
                                       args.seconds))
        print(json.dumps(result))
        return

    with tempfile.TemporaryDirectory() as tmp, service(Path(tmp), args.http_workers) as (host, port, pid):
        base = f"http://{host}:{port}"
        info = render_clip(base)
        video = httpx.get(base + info["urls"]["video"])
        print(f"# {date.today()}  {platform.node()}  {os.cpu_count()} CPUs  {platform.python_version()}  "
              f"clip {info['id']}: {len(video.content)} bytes  connections {args.connections}  "
              f"{args.seconds:g} s per scenario  http-workers {args.http_workers or 1}")
        requests = scenario_requests(info, video.headers["etag"])
        rows = []
        for name in args.scenarios.split(","):
            cpu0 = cpu_seconds(pid)
            out = subprocess.run(
                [sys.executable, __file__, "--connections", str(args.connections), "--seconds", str(args.seconds),
                 "--generate", host, str(port), json.dumps(requests[name].decode("latin-1"))],
                capture_output=True, text=True, check=True,
            )
            r = json.loads(out.stdout)
            r["name"], r["server_cpu_s"] = name, cpu_seconds(pid) - cpu0
            rows.append(r)
            print(json.dumps(r), flush=True)
        base_rps = rows[0]["rps"] if rows and rows[0]["name"] == "healthz" else None
        print("\n| scenario | req/s | p50 ms | p99 ms | max ms | vs healthz req/s | statuses |")
        print("|---|---|---|---|---|---|---|")
        for r in rows:
            ratio = f"{r['rps'] / base_rps:.2f}" if base_rps else "-"
            print(f"| {r['name']} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['max_ms']:.0f} | "
                  f"{ratio} | {r['statuses']} |")


if __name__ == "__main__":
    main()
