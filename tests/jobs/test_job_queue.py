"""The job engine with real worker processes and a fast fake job (fake_jobs.py)."""

import functools
import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fake_jobs import FakeJob, process_gone, runs

from signavatar.errors import InvalidInputError
from signavatar.jobs.job_table import owner_alive, process_token
from signavatar.jobs.queue import JobQueue, JobRecord, QueueFull
from signavatar.types import ClipRequest

A, B, C = "a" * 32, "b" * 32, "c" * 32


def job(text: str) -> ClipRequest:
    return ClipRequest(text=text)


@contextmanager
def running_queue(folder: Path, **kw: Any) -> Iterator[JobQueue]:
    q = JobQueue(folder / "jobs.sqlite", functools.partial(FakeJob, str(folder)), **kw)
    q.start()
    try:
        yield q
    finally:
        (folder / "gate").touch()
        q.close()


def wait_for(queue: JobQueue, clip_id: str, status: str, timeout: float = 15) -> JobRecord:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rec = queue.get(clip_id)
        if rec is not None and rec.status == status:
            return rec
        time.sleep(0.02)
    raise AssertionError(f"{clip_id} never became {status}: {queue.get(clip_id)}")


def test_50_concurrent_submits_of_one_clip_make_one_job_and_one_render(tmp_path: Path) -> None:
    with running_queue(tmp_path, workers=2) as q:
        records: list[JobRecord] = []
        threads = [threading.Thread(target=lambda: records.append(q.submit(A, job("gate")))) for _ in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(records) == 50 and {r.status for r in records} <= {"queued", "running"}
        wait_for(q, A, "running")
        (tmp_path / "gate").touch()
        assert wait_for(q, A, "done").attempts == 1
        stats = q.stats()
    assert [cid for cid, _ in runs(tmp_path)] == [A]
    assert (stats.queued, stats.running, stats.done, stats.retries) == (0, 0, 1, 0) and len(stats.render_seconds) == 1


def test_user_errors_keep_the_worker_and_rendering_errors_replace_it(tmp_path: Path) -> None:
    with running_queue(tmp_path) as q:
        q.submit(A, job("bad"))
        assert wait_for(q, A, "failed").error == "unknown gloss 'xyz'"
        q.submit(B, job("error"))
        # a rendering error's public detail is a stable text without internals (they are logged)
        assert wait_for(q, B, "failed").error == (
            f"the render failed on the server; the service log has the details (clip {B})")
        q.submit(C, job("ok"))
        wait_for(q, C, "done")
        assert q.stats().failed == 2
        with pytest.raises(InvalidInputError):
            q.get("../x")
    pids = [pid for _, pid in runs(tmp_path)]
    assert pids[0] == pids[1] != pids[2]  # a fresh worker after the rendering error


def test_worker_is_recycled_after_n_clips(tmp_path: Path) -> None:
    with running_queue(tmp_path, recycle_after=2) as q:
        for cid in (A, B, C):
            q.submit(cid, job("ok"))
            wait_for(q, cid, "done")
        assert q.stats().worker_restarts == 1
    pids = [pid for _, pid in runs(tmp_path)]
    assert pids[0] == pids[1] != pids[2]


def test_sigkilled_worker_job_is_retried_by_another_worker(tmp_path: Path) -> None:
    with running_queue(tmp_path, workers=2) as q:
        q.submit(A, job("sleep 1"))
        wait_for(q, A, "running")
        while not runs(tmp_path):
            time.sleep(0.01)
        victim = runs(tmp_path)[0][1]
        os.kill(victim, signal.SIGKILL)
        rec = wait_for(q, A, "done")
        stats = q.stats()
    assert rec.attempts == 2 and stats.retries == 1 and stats.worker_restarts == 1
    assert [pid for _, pid in runs(tmp_path)][1] != victim


def test_poison_job_fails_after_max_attempts(tmp_path: Path) -> None:
    with running_queue(tmp_path, max_attempts=2) as q:
        q.submit(A, job("crash"))
        rec = wait_for(q, A, "failed")
        q.submit(B, job("ok"))  # the pool still works
        wait_for(q, B, "done")
    assert rec.attempts == 2 and "after 2 attempts" in (rec.error or "") and "SIGKILL" in (rec.error or "")
    assert [cid for cid, _ in runs(tmp_path)] == [A, A, B]


def test_timeout_kills_the_worker_and_its_ffmpeg(tmp_path: Path) -> None:
    with running_queue(tmp_path, job_timeout_s=1.0, max_attempts=1) as q:
        q.submit(A, job("ffmpeg"))
        rec = wait_for(q, A, "failed")
        assert "job_timeout_s (1 s)" in (rec.error or "") and "after 1 attempts" in (rec.error or "")
        ffmpeg = int((tmp_path / "ffmpeg.pid").read_text())
        deadline = time.monotonic() + 5
        while not process_gone(ffmpeg):
            assert time.monotonic() < deadline, "ffmpeg outlived its job"
            time.sleep(0.05)


def test_queue_full_raises_with_retry_after(tmp_path: Path) -> None:
    with running_queue(tmp_path, max_queue=2) as q:
        q.submit(A, job("gate"))
        q.submit(B, job("gate"))
        with pytest.raises(QueueFull) as err:
            q.submit(C, job("ok"))
        assert err.value.retry_after_s >= 1 and "queue is full" in str(err.value)
        assert q.submit(A, job("gate")).id == A  # an existing job is returned even when full
        (tmp_path / "gate").touch()
        wait_for(q, B, "done")
        q.submit(C, job("ok"))
        wait_for(q, C, "done")


def test_jobs_a_dead_service_left_running_are_queued_again_with_the_attempt_counted(tmp_path: Path) -> None:
    db = tmp_path / "jobs.sqlite"
    with running_queue(tmp_path):
        pass
    request = json.dumps({"text": "ok", "glosses": None, "options": {"width": 64, "height": 64}})
    conn = sqlite3.connect(db)
    with conn:
        for cid, attempts in ((A, 1), (B, 3)):
            conn.execute(
                "INSERT INTO jobs (id, status, request, attempts, owner, lease_until, created, updated)"
                " VALUES (?, 'running', ?, ?, '999999999:1:dead', ?, 't', 't')",
                (cid, request, attempts, time.time() + 60),
            )
    conn.close()
    with running_queue(tmp_path, max_attempts=3) as q:
        assert wait_for(q, A, "done").attempts == 2
        poison = q.get(B)
    assert poison is not None and poison.status == "failed" and "after 3 attempts" in (poison.error or "")
    assert "service stopped" in (poison.error or "")


def test_a_table_from_before_worker_processes_is_migrated(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "jobs.sqlite")
    with conn:
        conn.execute(
            "CREATE TABLE jobs (id TEXT PRIMARY KEY, status TEXT NOT NULL, request TEXT NOT NULL, error TEXT,"
            " created TEXT NOT NULL, updated TEXT NOT NULL)"
        )
        conn.execute(
            "INSERT INTO jobs VALUES (?, 'running', ?, NULL, 't', 't')",
            (A, '{"text": "ok", "glosses": null, "options": {"width": 64, "height": 64}}'),
        )
    conn.close()
    with running_queue(tmp_path) as q:
        assert wait_for(q, A, "done").attempts == 1


@pytest.mark.parametrize("wait", [False, True])
def test_close_gives_a_long_running_job_back_uncounted(tmp_path: Path, wait: bool) -> None:
    with running_queue(tmp_path) as q:
        q.submit(A, job("sleep 30"))
        wait_for(q, A, "running")
        t0 = time.monotonic()
        q.close(wait=wait, grace_s=0.5)
        assert time.monotonic() - t0 < 5
        rec = q.get(A)
    assert rec is not None and (rec.status, rec.attempts) == ("queued", 0)


def test_close_waits_for_a_short_render(tmp_path: Path) -> None:
    with running_queue(tmp_path) as q:
        q.submit(A, job("sleep 0.3"))
        wait_for(q, A, "running")
        q.close(wait=True)
        rec = q.get(A)
    assert rec is not None and rec.status == "done"


def test_a_dead_unreaped_owner_is_not_alive(tmp_path: Path) -> None:
    proc = subprocess.Popen(["sleep", "30"])
    token = process_token(proc.pid)
    assert token is not None and owner_alive(f"{token}:nonce")
    proc.kill()
    deadline = time.monotonic() + 5
    while owner_alive(f"{token}:nonce"):  # a zombie until wait(): dead all the same
        assert time.monotonic() < deadline
        time.sleep(0.01)
    proc.wait()
    assert not owner_alive(f"{token}:nonce") and not owner_alive(None) and not owner_alive("garbage")


def test_unpicklable_factories_are_refused_at_once(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="picklable"):
        JobQueue(tmp_path / "jobs.sqlite", lambda: (lambda cid, req, plan: None))
