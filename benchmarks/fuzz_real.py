"""Fuzz the REAL translator over HTTP for longer than the test suite does (tests/real_fuzz.py; the
bounded run is tests/api/test_fuzz_real_translator.py).

The app with the real pipeline, in-process over ASGI, jobs queued in the real table and never
rendered. Rounds until --examples requests were sent or --seconds passed: schemathesis cases (valid
and malformed) of GET /v1/gloss, POST /v1/preview, /v1/clips, /v1/memory, then German-like texts
and gloss strings (also approved into the translation memory and translated again). Not
derandomized: each run explores new input (--seed makes one reproducible).

Reported: requests per operation and status, p50/p99/max latency, the slowest requests, and every
failure (a 5xx, a 4xx without a JSON detail string, an answer over --bound seconds, a schema check).

usage: .venv/bin/python benchmarks/fuzz_real.py [--examples 5000] [--seconds 300] [--bound 5] [--seed N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import requests  # noqa: E402
import schemathesis  # noqa: E402
from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.python import asgi  # noqa: E402

from real_fuzz import HEADERS, OPERATIONS, german_text, gloss_string, problems, real_app  # noqa: E402

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]


class Done(Exception):
    """The budget (examples or seconds) is spent."""


@dataclass
class Tally:
    examples: int
    deadline: float
    bound_s: float
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    slowest: list[tuple[float, str]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def left(self) -> None:
        if len(self.latencies) >= self.examples or time.monotonic() > self.deadline:
            raise Done

    def record(self, what: str, status: int, body: bytes, seconds: float) -> None:
        self.statuses[(what, status)] += 1
        self.latencies.append(seconds)
        self.slowest = sorted([*self.slowest, (seconds, what)], reverse=True)[:10]
        self.failures += [f"{what}: {p}" for p in problems(status, body, seconds, self.bound_s)]


def call(client: requests.Session, tally: Tally, method: str, path: str, label: str, **kwargs: Any) -> int:
    tally.left()
    start = time.monotonic()
    r = client.request(method, path, timeout=120, **kwargs)
    body = kwargs.get("json") or kwargs.get("params")
    tally.record(f"{method} {path} {label} {json.dumps(body, ensure_ascii=True)[:160]}", r.status_code, r.content,
                 time.monotonic() - start)
    return r.status_code


def fuzz_schema(app: Any, tally: Tally, per_run: int, seed_value: int | None) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    schema.config.generation.update(with_security_parameters=False)
    for path, method in OPERATIONS:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz_operation(schema[path][method], mode, f"{method.upper()} {path} {mode.value}", tally, per_run,
                           seed_value)


def fuzz_operation(operation: Any, mode: GenerationMode, label: str, tally: Tally, per_run: int,
                   seed_value: int | None) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=per_run, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case: schemathesis.Case) -> None:
        tally.left()
        start = time.monotonic()
        what = f"{label} {case.as_curl_command()[-160:]}"
        try:
            r = case.call(headers=HEADERS, timeout=120)
            case.validate_response(r, checks=CHECKS)
        except Done:
            raise
        except Exception as exc:  # a schema check failed: recorded, the run goes on
            tally.failures.append(f"{what}: {type(exc).__name__}: {str(exc)[:300]}")
            return
        tally.record(what, r.status_code, r.content, time.monotonic() - start)

    if seed_value is not None:
        run = seed(seed_value)(run)
    run()


def fuzz_german(client: requests.Session, tally: Tally, glosses: list[str], per_run: int,
                seed_value: int | None) -> None:
    @given(text=german_text(), gl=gloss_string(glosses), speed=st.sampled_from([0.25, 1.0, 4.0]))
    @settings(max_examples=per_run, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(text: str, gl: str, speed: float) -> None:
        call(client, tally, "GET", "/v1/gloss", "german", params={"text": text})
        call(client, tally, "POST", "/v1/preview", "german", json={"text": text, "speed": speed})
        call(client, tally, "POST", "/v1/clips", "german", json={"text": text})
        call(client, tally, "POST", "/v1/preview", "glosses", json={"glosses": gl})
        call(client, tally, "POST", "/v1/clips", "glosses", json={"glosses": gl})
        memory = {"text": text, "glosses": gl, "editor": "Fuzz", "comment": text[:2000]}
        if call(client, tally, "POST", "/v1/memory", "german", json=memory) == 201:
            call(client, tally, "GET", "/v1/gloss", "from-memory", params={"text": text})

    if seed_value is not None:
        run = seed(seed_value)(run)
    run()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=5000, help="requests in all (default 5000)")
    parser.add_argument("--seconds", type=float, default=300.0, help="time box (default 300)")
    parser.add_argument("--bound", type=float, default=5.0, help="seconds one answer may take (default 5)")
    parser.add_argument("--per-run", type=int, default=100, help="hypothesis examples per operation and round")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    started = time.monotonic()
    tally = Tally(args.examples, started + args.seconds, args.bound)
    rounds = 0
    with tempfile.TemporaryDirectory() as data, real_app(Path(data)) as app, asgi.get_client(app) as client:
        client.headers.update(HEADERS)
        client.get("/v1/gloss", params={"text": "Ich brauche einen Termin."})  # load the pipeline first
        glosses = [s["gloss"] for s in client.get("/v1/lexicon").json()["signs"]]
        warm = time.monotonic() - started
        try:
            while True:
                seed_value = None if args.seed is None else args.seed + rounds
                fuzz_schema(app, tally, args.per_run, seed_value)
                fuzz_german(client, tally, glosses, args.per_run, seed_value)
                rounds += 1
        except Done:
            pass
    lat = sorted(tally.latencies)
    spent = time.monotonic() - started
    print(f"fuzz_real: {len(lat)} requests in {spent:.0f} s ({warm:.1f} s loading the pipeline), {rounds} full rounds")
    by_op: dict[str, Counter[int]] = {}
    for (what, status), n in tally.statuses.items():
        by_op.setdefault(" ".join(what.split()[:2]), Counter())[status] += n
    for op, counts in sorted(by_op.items()):
        print(f"  {op:20s} " + ", ".join(f"{s}: {n}" for s, n in sorted(counts.items())))
    if lat:
        p = statistics.quantiles(lat, n=100) if len(lat) > 1 else [lat[0]] * 99
        print(f"latency p50 {p[49] * 1000:.0f} ms, p99 {p[98] * 1000:.0f} ms, max {lat[-1] * 1000:.0f} ms")
    print("slowest:")
    for seconds, what in tally.slowest:
        print(f"  {seconds * 1000:6.0f} ms  {what}")
    print(f"failures: {len(tally.failures)}")
    for failure in tally.failures[:30]:
        print("  " + failure)
    sys.exit(1 if tally.failures else 0)


if __name__ == "__main__":
    main()
