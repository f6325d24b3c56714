"""Recycled and failed workers are handed no job: concurrent submits against a real server
(uvicorn, real worker processes, the fake pipeline) all finish, none is lost as a "crash"."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx

from fake_server import AUTH, fake_server

SMALL = {"width": 32, "height": 32, "fps": 10}
WORDS = ["HALLO", "TERMIN", "BRAUCHEN", "ICH", "DU", "HAUS", "NEU", "ALT", "GUT", "ZEIT", "ARZT", "BAHN"]


def submit_all(url: str, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """POST every body at once (one thread each); the 202/200 answers in order."""
    answers: list[dict[str, Any]] = [{} for _ in bodies]

    def post(i: int) -> None:
        r = httpx.post(f"{url}/v1/clips", json=bodies[i], headers=AUTH, timeout=60)
        assert r.status_code in (200, 202), r.text
        answers[i] = r.json()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def final(url: str, cid: str, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        info: dict[str, Any] = httpx.get(f"{url}/v1/clips/{cid}", timeout=10).json()
        if info["status"] in ("done", "failed"):
            return info
        assert time.monotonic() < deadline, info
        time.sleep(0.05)


def test_concurrent_jobs_on_workers_recycled_after_every_clip_all_finish(tmp_path: Path) -> None:
    # Before the fix: a worker's "done" arrived before its EOF, so the supervisor handed the next
    # job to the exiting worker, and with max_attempts=1 that job failed "killed by SIGKILL".
    bodies = [{"glosses": f"{w} {w}", "options": SMALL} for w in WORDS]
    with fake_server(tmp_path, worker_recycle_after=1, max_attempts=1, workers=2) as url:
        answers = submit_all(url, bodies)
        results = {a["id"]: final(url, a["id"]) for a in answers}
        metrics = httpx.get(f"{url}/metrics", timeout=10).text
    assert len(results) == len(WORDS)
    assert {cid: r["status"] for cid, r in results.items() if r["status"] != "done"} == {}, results
    assert "signavatar_job_retries_total 0" in metrics  # no job lost an attempt to a planned exit


def test_a_render_error_among_concurrent_jobs_fails_only_itself(tmp_path: Path) -> None:
    # A worker exits after a rendering error; the jobs submitted with the failing one must not be
    # sent to it meanwhile.
    bodies = [{"glosses": f"{w} {w}", "options": SMALL} for w in WORDS[:8]]
    bodies[3] = {"glosses": "HALLO FAIL", "options": SMALL}
    with fake_server(tmp_path, max_attempts=1, workers=2) as url:
        answers = submit_all(url, bodies)
        results = [final(url, a["id"]) for a in answers]
    failing = results.pop(3)
    assert failing["status"] == "failed", failing
    assert [r["status"] for r in results] == ["done"] * 7, results
