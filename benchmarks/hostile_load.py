"""Hostile load: does a steady stream of valid clip requests still get through while the service is
flooded with abusive requests?

A real `signavatar serve` (uvicorn, real pipeline, one render worker) on loopback, in two
configurations (`--modes`): `keys` (API key and editor key set, as a public deployment) and `open`
(no keys: the loopback defaults of `make run`, where the abusive bodies reach the body limits and
timeouts instead of a 401). Two phases of the same length in each, in the same run:

  quiet   the valid stream alone
  flood   the valid stream while flood processes (separate processes, no key) send, all at once:
            chunked  mixed-case `Transfer-Encoding: Chunked` bodies of up to 1 GB to POST /v1/memory
            oversize `Content-Length: 1 GB` bodies to POST /v1/clips
            words    GET /v1/gloss?text=<one 2,000-character word> (and 600-character texts)
            slow     POST bodies sent one byte every 2 s
            idle     thousands of connections that send half a request head and wait

The valid stream is open-loop: every `--interval` seconds a CMS (with the API key) posts a new
sentence ("Ich brauche N Termine.", N counting up, so every clip is new and rendered) and polls
until it is done; its latency is submit -> done. A probe reads /healthz and /embed/<id> every
0.25 s. Reported per phase: p50/p99 of the clip latency and of the probes, the flood's requests
by outcome, the server's resident memory (peak, sampled every 0.25 s from /proc) and whether every
accepted clip was rendered. The result line is the ratio p99(flood) / p99(quiet) of the clip
stream (target <= 3) and the memory peak.

The flood and the server share this machine's 2 cores: the flood's own CPU use slows the renders
too, so the ratio is an upper bound for the server's share.

By default all traffic, the flood's too, comes from 127.0.0.1: the flood shares the honest
client's address, a harder case than an attacker elsewhere, whom the per-address connection cap
limits; `--flood-from 127.0.0.2` sends the flood from another loopback address.

usage: .venv/bin/python benchmarks/hostile_load.py [--seconds 60] [--interval 3] [--idle 3000]
           [--size 96] [--fps 12] [--floods chunked,oversize,words,slow,idle] [--modes keys,open]
           [--flood-from 127.0.0.1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from real_server import serve_process  # noqa: E402  (the one launcher, shared with the e2e tests)

API_KEY = "hostile-load-benchmark-key-5d2a"
EDITOR_KEY = "hostile-load-editor-key-91c7e0"
AUTH = {"Authorization": f"Bearer {API_KEY}"}
FLOODS = ("chunked", "oversize", "words", "slow", "idle")


# ---- the flood (runs in its own process: `hostile_load.py --flood KIND HOST PORT SECONDS N`) ----

FLOOD_SOURCE = os.environ.get("HOSTILE_LOAD_SOURCE", "127.0.0.1")  # the flood's own address (set by --flood-from)


async def _open(host: str, port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.wait_for(asyncio.open_connection(host, port, local_addr=(FLOOD_SOURCE, 0)), 5)


async def _answer(reader: asyncio.StreamReader, timeout: float = 10) -> str:
    """The status code of the server's answer ("closed" when it closed without one)."""
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
        return head[9:12].decode()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        return "closed"
    except asyncio.TimeoutError:
        return "no answer"


Attack = Callable[[asyncio.StreamReader, asyncio.StreamWriter, float], Awaitable[str]]


async def _repeat(attack: Attack, host: str, port: int, stop: float, out: dict[str, int], pause: float) -> None:
    """Run `attack` on one fresh connection after another until `stop`, counting its outcomes."""
    while time.monotonic() < stop:
        try:
            reader, writer = await _open(host, port)
            outcome = await attack(reader, writer, stop)
            writer.close()
        except (OSError, asyncio.TimeoutError) as exc:
            outcome = type(exc).__name__
            await asyncio.sleep(pause)
        out[outcome] = out.get(outcome, 0) + 1


async def _chunked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, stop: float) -> str:
    """A mixed-case chunked body of up to 1 GB, sent until the server answers."""
    chunk = b"x" * 65536
    piece = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
    writer.write(b"POST /v1/memory HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 b"Transfer-Encoding: Chunked\r\n\r\n")
    sent = 0
    while sent < 1 << 30 and time.monotonic() < stop and not reader.at_eof():
        writer.write(piece)
        await asyncio.wait_for(writer.drain(), 10)
        sent += len(chunk)
        if reader._buffer:  # type: ignore[attr-defined]  (the server answered: stop sending)
            break
    status = await _answer(reader, 5)
    return f"{status} after {sent >> 20} MB" if sent >= 1 << 24 else status


async def _oversize(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, stop: float) -> str:
    """Content-Length: 1 GB, then the first 64 KB."""
    writer.write(b"POST /v1/clips HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 1073741824\r\n\r\n" + b"{" * 65536)
    return await _answer(reader, 5)


_WORDS = ["Amt" * 666, ("Bürgeramt Termin " * 40)[:600], "1" * 2000, "a-" * 999]


async def _words(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, stop: float) -> str:
    """GET /v1/gloss with one of the costly texts."""
    text = httpx.QueryParams({"text": _WORDS[int(time.monotonic() * 1000) % len(_WORDS)]})
    writer.write(f"GET /v1/gloss?{text} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    return await _answer(reader, 60)


async def _slow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, stop: float) -> str:
    """A 60,000-byte body, one byte every 2 s."""
    writer.write(b"POST /v1/memory HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 60000\r\n\r\n")
    while time.monotonic() < stop and not reader.at_eof() and not reader._buffer:  # type: ignore[attr-defined]
        writer.write(b" ")
        await writer.drain()
        await asyncio.sleep(2)
    return await _answer(reader, 5)


async def _idle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, stop: float) -> str:
    """Half a request head, then nothing."""
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never ends the head
    return f"idle {await _answer(reader, max(0.1, stop - time.monotonic()))}"


async def _flood(kind: str, host: str, port: int, seconds: float, n: int) -> dict[str, int]:
    out: dict[str, int] = {}
    stop = time.monotonic() + seconds
    attack: Attack = {"chunked": _chunked, "oversize": _oversize, "words": _words, "slow": _slow, "idle": _idle}[kind]
    pause = 0.5 if kind in ("slow", "idle") else 0.1
    await asyncio.gather(*(_repeat(attack, host, port, stop, out, pause) for _ in range(n)), return_exceptions=True)
    return out


# ---- the valid stream, the probes and the memory sampler (threads of this process) ----

def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Phase:
    """One phase's measurements."""

    def __init__(self) -> None:
        self.clip_s: list[float] = []
        self.submit_s: list[float] = []
        self.probe_s: dict[str, list[float]] = {"healthz": [], "embed": []}
        self.accepted = self.done = self.refused = 0
        self.failed: list[str] = []
        self.rss: list[float] = []
        self.lock = threading.Lock()


def _one_clip(base: str, n: int, size: int, fps: int, phase: Phase, deadline: float) -> None:
    body = {"text": f"Ich brauche {n} Termine.", "options": {"width": size, "height": size, "fps": fps}}
    t0 = time.monotonic()
    try:
        r = httpx.post(f"{base}/v1/clips", json=body, headers=AUTH, timeout=60)
    except httpx.HTTPError as exc:
        with phase.lock:
            phase.failed.append(f"submit: {exc!r}")
        return
    with phase.lock:
        phase.submit_s.append(time.monotonic() - t0)
    if r.status_code not in (200, 202):
        with phase.lock:
            phase.refused += 1
            phase.failed.append(f"submit {r.status_code}: {r.text[:120]}")
        return
    info = r.json()
    with phase.lock:
        phase.accepted += 1
    while info.get("status") not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.1)
        try:
            info = httpx.get(f"{base}/v1/clips/{info['id']}", timeout=30).json()
        except httpx.HTTPError:
            continue
    with phase.lock:
        if info.get("status") == "done":
            phase.done += 1
            phase.clip_s.append(time.monotonic() - t0)
        else:
            phase.failed.append(f"clip {info.get('id')}: {info.get('status')} {info.get('detail', '')}")


def _stream(base: str, seconds: float, interval: float, start_n: int, size: int, fps: int, phase: Phase) -> int:
    """Submit one clip every `interval` s for `seconds` s; wait for all of them (at most 300 s more)."""
    threads = []
    stop = time.monotonic() + seconds
    n = start_n
    while time.monotonic() < stop:
        t = threading.Thread(target=_one_clip, args=(base, n, size, fps, phase, stop + 300), daemon=True)
        t.start()
        threads.append(t)
        n += 1
        time.sleep(interval)
    for t in threads:
        t.join()
    return n


def _probe(base: str, embed: str, pid: int, phase: Phase, stop: threading.Event) -> None:
    while not stop.is_set():
        for name, url in (("healthz", f"{base}/healthz"), ("embed", f"{base}{embed}")):
            t0 = time.monotonic()
            try:
                r = httpx.get(url, timeout=30)
                ok = r.status_code == 200
                why = f"probe {name}: {r.status_code}"
            except httpx.HTTPError as exc:
                ok, why = False, f"probe {name}: {exc!r}"
            if not ok:
                with phase.lock:
                    phase.failed.append(why)
            with phase.lock:
                phase.probe_s[name].append(time.monotonic() - t0 if ok else float("inf"))
        with phase.lock:
            phase.rss.append(_rss_mb(pid))
        stop.wait(0.25)


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def _run_phase(base: str, pid: int, embed: str, args: argparse.Namespace, start_n: int,
               floods: list[str]) -> tuple[Phase, dict[str, dict[str, int]], int]:
    phase = Phase()
    stop = threading.Event()
    prober = threading.Thread(target=_probe, args=(base, embed, pid, phase, stop), daemon=True)
    host, port = base.removeprefix("http://").rsplit(":", 1)
    per = {"chunked": 8, "oversize": 8, "words": 48, "slow": 200, "idle": args.idle}
    procs = {
        kind: subprocess.Popen(
            [sys.executable, __file__, "--flood", kind, host, port, str(args.seconds), str(per[kind])],
            stdout=subprocess.PIPE, text=True, env={**os.environ, "HOSTILE_LOAD_SOURCE": args.flood_from},
        )
        for kind in floods
    }
    prober.start()
    next_n = _stream(base, args.seconds, args.interval, start_n, args.size, args.fps, phase)
    results: dict[str, dict[str, int]] = {}
    for kind, proc in procs.items():
        try:
            out, _ = proc.communicate(timeout=args.seconds + 120)
            results[kind] = json.loads(out or "{}")
        except (subprocess.TimeoutExpired, json.JSONDecodeError):
            proc.kill()
            results[kind] = {"flood process did not report": 1}
    stop.set()
    prober.join()
    return phase, results, next_n


def _summary(name: str, phase: Phase) -> dict[str, Any]:
    return {
        "phase": name, "accepted": phase.accepted, "done": phase.done, "refused": phase.refused,
        "lost": phase.accepted - phase.done, "failed": sorted(set(phase.failed))[:8],
        "clip_p50_s": round(_pct(phase.clip_s, 0.5), 2), "clip_p99_s": round(_pct(phase.clip_s, 0.99), 2),
        "clip_max_s": round(max(phase.clip_s, default=float("nan")), 2),
        "submit_p99_s": round(_pct(phase.submit_s, 0.99), 3),
        "healthz_p99_s": round(_pct(phase.probe_s["healthz"], 0.99), 3),
        "embed_p99_s": round(_pct(phase.probe_s["embed"], 0.99), 3),
        "probes_failed": sum(t == float("inf") for v in phase.probe_s.values() for t in v),
        "probes": sum(len(v) for v in phase.probe_s.values()),
        "rss_peak_mb": round(max(phase.rss, default=float("nan")), 1),
        "rss_median_mb": round(statistics.median(phase.rss), 1) if phase.rss else float("nan"),
    }


def _run_mode(mode: str, args: argparse.Namespace, floods: list[str]) -> dict[str, Any]:
    keys = mode == "keys"
    env = {"SIGNAVATAR_API_KEY": API_KEY if keys else "", "SIGNAVATAR_EDITOR_KEY": EDITOR_KEY if keys else "",
           "SIGNAVATAR_LOG_FORMAT": "text", "SIGNAVATAR_WORKERS": "1"}
    editor = {"Authorization": f"Bearer {EDITOR_KEY}"} if keys else {}
    with tempfile.TemporaryDirectory() as tmp, serve_process(Path(tmp), env) as service:
        base = service.url
        # one approved clip for the embed probe (the public page plays approved clips only)
        warm = Phase()
        _one_clip(base, 0, args.size, args.fps, warm, time.monotonic() + 300)
        if warm.done != 1:
            raise SystemExit(f"the first clip did not render: {warm.failed}")
        cid = httpx.post(f"{base}/v1/clips", json={"text": "Ich brauche 0 Termine.", "options": {
            "width": args.size, "height": args.size, "fps": args.fps}}, headers=AUTH, timeout=60).json()["id"]
        approved = httpx.post(f"{base}/v1/clips/{cid}/approve", json={"editor": "Benchmark"}, headers=editor,
                              timeout=30)
        if approved.status_code != 200:
            raise SystemExit(f"approving the probe clip failed: {approved.text}")
        embed = f"/embed/{cid}"
        quiet, _, n = _run_phase(base, service.pid, embed, args, 1, [])
        print(json.dumps({"mode": mode, **_summary("quiet", quiet)}), flush=True)
        flood, outcomes, _ = _run_phase(base, service.pid, embed, args, n, floods)
        print(json.dumps({"mode": mode, **_summary("flood", flood)}), flush=True)
        print(json.dumps({"mode": mode, "flood_outcomes": outcomes}), flush=True)
        alive = httpx.get(f"{base}/healthz", timeout=10).status_code == 200
    q, f = _summary("quiet", quiet), _summary("flood", flood)
    ratio = f["clip_p99_s"] / q["clip_p99_s"] if q["clip_p99_s"] else float("nan")
    return {"mode": mode, "quiet": q, "flood": f, "ratio": ratio, "alive": alive}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=60.0, help="length of each phase")
    p.add_argument("--interval", type=float, default=3.0, help="seconds between two valid clip requests")
    p.add_argument("--idle", type=int, default=3000, help="idle connections the flood keeps open")
    p.add_argument("--size", type=int, default=96, help="width and height of the valid clips")
    p.add_argument("--fps", type=int, default=12)
    p.add_argument("--floods", default=",".join(FLOODS))
    p.add_argument("--modes", default="keys,open", help="keys (API and editor key set), open (no keys)")
    p.add_argument("--flood-from", default="127.0.0.1", help="the flood's source address (a loopback one)")
    p.add_argument("--flood", nargs=5, metavar=("KIND", "HOST", "PORT", "SECONDS", "N"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.flood:
        kind, host, port, seconds, n = args.flood
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        print(json.dumps(asyncio.run(_flood(kind, host, int(port), float(seconds), int(n)))))
        return
    floods = [f for f in args.floods.split(",") if f]
    modes = [m for m in args.modes.split(",") if m]
    if set(floods) - set(FLOODS) or set(modes) - {"keys", "open"}:
        raise SystemExit(f"unknown flood or mode; floods: {', '.join(FLOODS)}; modes: keys, open")
    print(f"# {date.today()}  {platform.node()}  {os.cpu_count()} CPUs  Python {platform.python_version()}  "
          f"{args.seconds:g} s per phase, a clip every {args.interval:g} s ({args.size}x{args.size}, "
          f"{args.fps} fps), floods: {', '.join(floods)} ({args.idle} idle connections) from {args.flood_from}",
          flush=True)
    rows = [_run_mode(mode, args, floods) for mode in modes]
    print("\n| mode | clip p99 quiet s | clip p99 flood s | ratio | healthz p99 s quiet -> flood | "
          "embed p99 s quiet -> flood | RSS peak MB quiet -> flood | accepted | lost | refused |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        q, f = r["quiet"], r["flood"]
        print(f"| {r['mode']} | {q['clip_p99_s']} | {f['clip_p99_s']} | {r['ratio']:.2f} | "
              f"{q['healthz_p99_s']} -> {f['healthz_p99_s']} | {q['embed_p99_s']} -> {f['embed_p99_s']} | "
              f"{q['rss_peak_mb']} -> {f['rss_peak_mb']} | {q['accepted'] + f['accepted']} | "
              f"{q['lost'] + f['lost']} | {q['refused'] + f['refused']} |")
    worst = max(r["ratio"] for r in rows)
    print(f"\nworst clip p99 ratio {worst:.2f} (target <= 3); server alive after every flood: "
          f"{all(r['alive'] for r in rows)}")


if __name__ == "__main__":
    main()
