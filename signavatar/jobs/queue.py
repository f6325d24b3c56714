"""A minimal background job runner: a thread pool plus a SQLite job table that survives restarts.

Table `jobs` in data_dir/jobs.sqlite: id (the clip id), status (queued | running | done | failed),
request (JSON), error, created, updated (UTC ISO 8601). The same clip id submitted twice while
queued or running is one job; jobs found "running" at start-up (the process died) are re-queued.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from signavatar.errors import InvalidInputError
from signavatar.jobs.request import request_from_dict, request_to_dict
from signavatar.jobs.store import check_clip_id
from signavatar.types import ClipRequest

log = logging.getLogger(__name__)

RunJob = Callable[[str, ClipRequest], None]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    request TEXT NOT NULL,
    error TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class JobRecord:
    id: str
    status: str
    error: str | None
    created: str
    updated: str


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class JobQueue:
    """Runs `run(clip_id, request)` on `workers` threads, one job per clip id at a time."""

    def __init__(self, db_path: Path, run: RunJob, *, workers: int = 1) -> None:
        self.db_path = Path(db_path)
        self._run = run
        self._workers = workers
        self._executor: ThreadPoolExecutor | None = None

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()

    def start(self) -> None:
        """Create the table, re-queue jobs a dead process left running, and dispatch every queued job."""
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.db_path, timeout=30)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(_SCHEMA)
            conn.commit()
        finally:
            conn.close()
        self._executor = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="signavatar-job")
        with self._db() as db:
            db.execute("UPDATE jobs SET status = 'queued', updated = ? WHERE status = 'running'", (_now(),))
            queued = [row[0] for row in db.execute("SELECT id FROM jobs WHERE status = 'queued' ORDER BY created")]
        for job_id in queued:
            self._executor.submit(self._execute, job_id)

    def close(self, *, wait: bool = True) -> None:
        """Stop taking work; queued jobs stay queued in the table for the next start."""
        if self._executor is not None:
            self._executor.shutdown(wait=wait, cancel_futures=True)
            self._executor = None

    def submit(self, clip_id: str, request: ClipRequest) -> JobRecord:
        """Queue a render unless one for this clip id is already queued or running."""
        check_clip_id(clip_id)
        if self._executor is None:
            raise RuntimeError("JobQueue.start() was not called")
        now = _now()
        with self._db() as db:
            row = db.execute("SELECT status FROM jobs WHERE id = ?", (clip_id,)).fetchone()
            if row is not None and row[0] in ("queued", "running"):
                dispatch = False
            else:
                dispatch = True
                db.execute(
                    "INSERT INTO jobs (id, status, request, error, created, updated) VALUES (?, 'queued', ?, NULL, ?, ?)"
                    " ON CONFLICT(id) DO UPDATE SET status = 'queued', request = excluded.request, error = NULL,"
                    " updated = excluded.updated",
                    (clip_id, json.dumps(request_to_dict(request), ensure_ascii=False), now, now),
                )
        if dispatch:
            self._executor.submit(self._execute, clip_id)
        record = self.get(clip_id)
        assert record is not None
        return record

    def get(self, clip_id: str) -> JobRecord | None:
        check_clip_id(clip_id)
        with self._db() as db:
            row = db.execute(
                "SELECT id, status, error, created, updated FROM jobs WHERE id = ?", (clip_id,)
            ).fetchone()
        return JobRecord(*row) if row else None

    def _set(self, clip_id: str, status: str, error: str | None = None) -> None:
        with self._db() as db:
            db.execute("UPDATE jobs SET status = ?, error = ?, updated = ? WHERE id = ?", (status, error, _now(), clip_id))

    def _execute(self, clip_id: str) -> None:
        with self._db() as db:
            claimed = db.execute(
                "UPDATE jobs SET status = 'running', updated = ? WHERE id = ? AND status = 'queued'", (_now(), clip_id)
            ).rowcount
            row = db.execute("SELECT request FROM jobs WHERE id = ?", (clip_id,)).fetchone()
        if not claimed or row is None:
            return
        try:
            self._run(clip_id, request_from_dict(json.loads(row[0])))
        except InvalidInputError as exc:
            self._set(clip_id, "failed", str(exc))
        except Exception as exc:  # a worker must survive any render failure and record it
            log.exception("render of clip %s failed", clip_id)
            self._set(clip_id, "failed", f"render failed: {exc}")
        else:
            self._set(clip_id, "done")
