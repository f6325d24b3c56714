"""The SQLite job table (data_dir/jobs.sqlite): one row per clip id, surviving restarts.

Columns: id (the clip id), status (queued | running | done | failed), request (JSON), error,
attempts (renders started: counted when a worker takes the job), owner (the service process that
holds a running job: "pid:start-ticks:nonce"), lease_until (UNIX seconds; the owner renews it while the
render runs), render_s (seconds of the last render), created, updated (UTC ISO 8601), moved_to (the
clip id a done job's clip was stored under when the lexicon changed between submit and render).

A failed job stays failed for `failed_retry_after_s` seconds: submitting it again within answers
the failure (no render, no fresh attempts), so re-posting a request that crashes every worker
cannot reset its attempt count.

Every change is one `BEGIN IMMEDIATE` transaction, so concurrent submits of one clip id from any
number of threads or processes make one job.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

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
# Added to tables written before workers were processes (ALTER TABLE keeps their rows).
_COLUMNS = {
    "attempts": "INTEGER NOT NULL DEFAULT 0",
    "owner": "TEXT",
    "lease_until": "REAL",
    "render_s": "REAL",
    "moved_to": "TEXT",
}
ACTIVE = ("queued", "running")


@dataclass(frozen=True)
class JobRecord:
    """One job: `attempts` counts the renders started for it (a retry after a crash adds one)."""

    id: str
    status: str
    error: str | None
    attempts: int
    created: str
    updated: str
    moved_to: str | None = None  # done, but stored under this clip id (the lexicon changed meanwhile)


_RECORD = "SELECT id, status, error, attempts, created, updated, moved_to FROM jobs WHERE id = ?"


@dataclass(frozen=True)
class Claimed:
    """A job a worker takes: its request as stored (JSON) and the attempt this render is."""

    id: str
    request_json: str
    attempt: int


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _age_s(iso: str) -> float:
    """Seconds since an `updated` time (now_iso); infinite for one that does not parse (old rows)."""
    try:
        then = datetime.fromisoformat(iso)
    except ValueError:
        return float("inf")
    if then.tzinfo is None:
        return float("inf")
    return (datetime.now(timezone.utc) - then).total_seconds()


def process_token(pid: int | None = None) -> str | None:
    """"pid:start-ticks" of a live process (the start time tells a reused pid apart), else None."""
    pid = os.getpid() if pid is None else pid
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        if not Path("/proc/self/stat").exists():  # no procfs (not Linux): the pid alone
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return None
            except PermissionError:
                pass
            return f"{pid}:?"
        return None
    # Fields after the command name (which may hold spaces): state (3rd), ..., start time (22nd).
    after = stat.rsplit(")", 1)[1].split()
    if after[0] in ("Z", "X"):  # dead, not yet reaped by its parent
        return None
    return f"{pid}:{after[19]}"


def owner_alive(owner: str | None) -> bool:
    """Whether the process of an owner "pid:start-ticks:nonce" still runs."""
    parts = (owner or "").split(":")
    if len(parts) != 3 or not parts[0].isdigit():
        return False
    return process_token(int(parts[0])) == f"{parts[0]}:{parts[1]}"


class JobTable:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
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

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        # A plain (deferred) read: in WAL mode it never waits for a writer, so status polls stay fast.
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            yield conn
        finally:
            conn.close()

    def create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(_SCHEMA)
            have = {row[1] for row in conn.execute("PRAGMA table_info(jobs)")}
            for name, kind in _COLUMNS.items():
                if name not in have:
                    conn.execute(f"ALTER TABLE jobs ADD COLUMN {name} {kind}")
            conn.execute("CREATE INDEX IF NOT EXISTS jobs_status ON jobs (status, created)")
            conn.execute("CREATE INDEX IF NOT EXISTS jobs_updated ON jobs (updated)")
            conn.commit()
        finally:
            conn.close()

    def submit(
        self, clip_id: str, request_json: str, max_active: int, failed_retry_after_s: float = 0.0,
        passing_errors: tuple[str, ...] = (),
    ) -> tuple[JobRecord, bool] | None:
        """Queue a job unless one of this id is queued or running, or failed less than
        `failed_retry_after_s` seconds ago (unless its error is one of `passing_errors`: the
        server's trouble, e.g. a full disk, not the request's): (record, True when new). None when
        `max_active` jobs are already queued or running (the queue is full)."""
        now = now_iso()
        with self._tx() as db:
            row = db.execute("SELECT status, updated, error FROM jobs WHERE id = ?", (clip_id,)).fetchone()
            if row is not None and row[0] in ACTIVE:
                return self._get(db, clip_id), False
            if (row is not None and row[0] == "failed" and _age_s(row[1]) < failed_retry_after_s
                    and row[2] not in passing_errors):
                return self._get(db, clip_id), False
            (active,) = db.execute("SELECT count(*) FROM jobs WHERE status IN ('queued', 'running')").fetchone()
            if active >= max_active:
                return None
            db.execute(
                "INSERT INTO jobs (id, status, request, error, attempts, created, updated)"
                " VALUES (?, 'queued', ?, NULL, 0, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET status = 'queued', request = excluded.request, error = NULL,"
                " attempts = 0, owner = NULL, lease_until = NULL, moved_to = NULL, updated = excluded.updated",
                (clip_id, request_json, now, now),
            )
            return self._get(db, clip_id), True

    @staticmethod
    def _get(db: sqlite3.Connection, clip_id: str) -> JobRecord:
        return JobRecord(*db.execute(_RECORD, (clip_id,)).fetchone())

    def get(self, clip_id: str) -> JobRecord | None:
        with self._read() as db:
            row = db.execute(_RECORD, (clip_id,)).fetchone()
        return JobRecord(*row) if row else None

    def claim(self, owner: str, lease_s: float) -> Claimed | None:
        """Take the oldest queued job for `owner`: running, one more attempt, leased for `lease_s`."""
        with self._tx() as db:
            row = db.execute(
                "SELECT id, request, attempts FROM jobs WHERE status = 'queued' ORDER BY created, id LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE jobs SET status = 'running', attempts = attempts + 1, owner = ?, lease_until = ?,"
                " error = NULL, updated = ? WHERE id = ?",
                (owner, time.time() + lease_s, now_iso(), row[0]),
            )
            return Claimed(row[0], row[1], row[2] + 1)

    def renew(self, owner: str, lease_s: float) -> None:
        """Extend the lease of every job `owner` runs (its heartbeat)."""
        with self._tx() as db:
            db.execute(
                "UPDATE jobs SET lease_until = ? WHERE owner = ? AND status = 'running'", (time.time() + lease_s, owner)
            )

    def finish(
        self, clip_id: str, owner: str, status: str, error: str | None, render_s: float | None,
        moved_to: str | None = None,
    ) -> None:
        """Record the end of `owner`'s render (done or failed; `moved_to`: the clip id it was stored
        under when not this one); a job someone else took over stays."""
        with self._tx() as db:
            db.execute(
                "UPDATE jobs SET status = ?, error = ?, render_s = ?, moved_to = ?, owner = NULL, lease_until = NULL,"
                " updated = ? WHERE id = ? AND owner = ? AND status = 'running'",
                (status, error, render_s, moved_to, now_iso(), clip_id, owner),
            )

    def forget_done(self, clip_ids: list[str]) -> None:
        """Delete the rows of done jobs whose clips were evicted from the store (a new POST renders
        them again; until then their status is 404, as for a clip never made)."""
        with self._tx() as db:
            db.executemany("DELETE FROM jobs WHERE id = ? AND status = 'done'", [(c,) for c in clip_ids])

    def active_ids(self) -> set[str]:
        """Ids of the jobs queued or running now."""
        with self._read() as db:
            return {r[0] for r in db.execute("SELECT id FROM jobs WHERE status IN ('queued', 'running')")}

    def release(self, clip_id: str, owner: str, max_attempts: int, reason: str, *, count: bool = True) -> str:
        """A render of `owner` ended without a result (worker died, timed out, service stopping):
        queue the job again, or fail it once `max_attempts` renders were started. `count=False`
        gives the attempt back (the job was not at fault). Returns the new status."""
        with self._tx() as db:
            row = db.execute(
                "SELECT attempts FROM jobs WHERE id = ? AND owner = ? AND status = 'running'", (clip_id, owner)
            ).fetchone()
            if row is None:
                return "gone"
            return self._release(db, clip_id, row[0] - (0 if count else 1), max_attempts, reason)

    @staticmethod
    def _release(db: sqlite3.Connection, clip_id: str, attempts: int, max_attempts: int, reason: str) -> str:
        if attempts >= max_attempts:
            status = "failed"
            error = f"render failed after {attempts} attempts (max_attempts {max_attempts}); the last one: {reason}"
        else:
            status, error = "queued", reason
        db.execute(
            "UPDATE jobs SET status = ?, error = ?, attempts = ?, owner = NULL, lease_until = NULL, updated = ?"
            " WHERE id = ?",
            (status, error, attempts, now_iso(), clip_id),
        )
        return status

    def recover(self, max_attempts: int) -> list[tuple[str, str]]:
        """Running jobs whose owner process is gone or whose lease ran out (the service was killed,
        or another service on this folder was): queued again or failed. Returns (id, new status)."""
        out = []
        with self._tx() as db:
            rows = db.execute("SELECT id, attempts, owner, lease_until FROM jobs WHERE status = 'running'").fetchall()
            for clip_id, attempts, owner, lease_until in rows:
                if owner_alive(owner) and lease_until is not None and lease_until > time.time():
                    continue
                reason = "the service stopped during the render"
                out.append((clip_id, self._release(db, clip_id, attempts, max_attempts, reason)))
        return out

    def counts(self) -> dict[str, int]:
        with self._read() as db:
            rows = db.execute("SELECT status, count(*) FROM jobs GROUP BY status").fetchall()
        return {status: n for status, n in rows}

    def render_seconds(self, limit: int = 1000) -> tuple[float, ...]:
        """Render times (s) of the last `limit` finished jobs, oldest first."""
        with self._read() as db:
            rows = db.execute(
                "SELECT render_s FROM jobs WHERE status IN ('done', 'failed') AND render_s IS NOT NULL"
                " ORDER BY updated DESC LIMIT ?", (limit,)
            ).fetchall()
        return tuple(float(r[0]) for r in reversed(rows))
