import sqlite3
import threading
import time
from pathlib import Path

import pytest

from signavatar.errors import InvalidInputError
from signavatar.jobs.queue import JobQueue, JobRecord
from signavatar.types import ClipRequest

A = "a" * 32
B = "b" * 32


def wait_for(queue: JobQueue, clip_id: str, status: str, timeout: float = 10) -> JobRecord:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rec = queue.get(clip_id)
        if rec is not None and rec.status == status:
            return rec
        time.sleep(0.02)
    raise AssertionError(f"{clip_id} never became {status}: {queue.get(clip_id)}")


def test_same_clip_id_runs_once(tmp_path: Path) -> None:
    gate = threading.Event()
    calls: list[str] = []

    def run(clip_id: str, request: ClipRequest) -> None:
        calls.append(clip_id)
        gate.wait(5)

    q = JobQueue(tmp_path / "jobs.sqlite", run, workers=2)
    q.start()
    try:
        first = q.submit(A, ClipRequest(text="Hallo"))
        assert first.status in ("queued", "running")
        wait_for(q, A, "running")
        assert q.submit(A, ClipRequest(text="Hallo")).status == "running"
        gate.set()
        wait_for(q, A, "done")
    finally:
        q.close()
    assert calls == [A]


def test_failures_are_recorded(tmp_path: Path) -> None:
    def run(clip_id: str, request: ClipRequest) -> None:
        if clip_id == A:
            raise InvalidInputError("unknown gloss 'xyz'")
        raise RuntimeError("GL context lost")

    q = JobQueue(tmp_path / "jobs.sqlite", run)
    q.start()
    try:
        q.submit(A, ClipRequest(glosses="xyz"))
        q.submit(B, ClipRequest(text="Hallo"))
        assert wait_for(q, A, "failed").error == "unknown gloss 'xyz'"
        assert wait_for(q, B, "failed").error == "render failed: GL context lost"
    finally:
        q.close()
    with pytest.raises(InvalidInputError):
        q.get("../x")


def test_running_jobs_are_requeued_after_a_crash(tmp_path: Path) -> None:
    db = tmp_path / "jobs.sqlite"
    q = JobQueue(db, lambda c, r: None)
    q.start()
    q.close()
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "INSERT INTO jobs VALUES (?, 'running', ?, NULL, 't', 't')",
            (A, '{"text": "Hallo", "glosses": null, "options": {"width": 64, "height": 64}}'),
        )
    conn.close()
    seen: list[ClipRequest] = []
    q2 = JobQueue(db, lambda c, r: seen.append(r))
    q2.start()
    try:
        wait_for(q2, A, "done")
    finally:
        q2.close()
    assert seen[0].text == "Hallo" and seen[0].options.width == 64
