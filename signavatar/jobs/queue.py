"""The embedded job engine: a pool of worker processes fed from a SQLite job table.

`JobQueue.submit` puts a job into the table (job_table.py; one job per clip id, even for 50
concurrent submits); a supervisor thread hands queued jobs to idle worker processes
(worker_pool.py), records their results, and keeps the pool full:
- a worker is replaced after `recycle_after` clips or after any rendering error;
- a worker that dies (SIGKILL, segfault, out of memory) or runs longer than `job_timeout_s` (it is
  killed, with its process group, so its ffmpeg too) gives its job back: queued again, or failed
  once `max_attempts` renders were started, with an error that says so;
- jobs left running by a service that died are queued again at start (their attempt counted), and
  so are jobs whose owner stops renewing its lease (another service process on the same folder);
- a worker that exits as planned (recycled, or after a rendering error) is handed no more jobs: it
  says so with its last result, and the supervisor counts its jobs too;
- with a clip store: a failed job's partial files are removed, a stored clip is counted against
  the store's quota (store_quota.py: drafts evicted, 507 when full of approved clips), and a clip
  stored under another id than its job's (the lexicon changed between submit and render,
  clip_job.py) is recorded as the job's `moved_to` and `on_versions_changed()` is called, so the
  service's own pipeline loads the new files too.
"""

from __future__ import annotations

import json
import logging
import math
import os
import pickle
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from signavatar.errors import SignavatarError
from signavatar.jobs.job_table import JobRecord, JobTable, process_token
from signavatar.jobs.plan import PLAN_KEY
from signavatar.jobs.request import request_to_dict
from signavatar.jobs.store import ClipStore, check_clip_id
from signavatar.jobs.store_quota import StoreFull, StoreQuota
from signavatar.jobs.worker_pool import NO_SPACE, RunJob, RunnerFactory, Worker, spawn_worker
from signavatar.types import ClipRequest

__all__ = ["JobQueue", "JobRecord", "QueueFull", "QueueStats", "RunJob", "RunnerFactory", "StoreFull"]

log = logging.getLogger(__name__)

DEFAULT_RENDER_S = 5.0  # assumed render time (s) for the Retry-After estimate before any job finished
_TICK_S = 0.5  # the supervisor looks at timeouts and leases at least this often (s)


class QueueFull(SignavatarError):
    """Too many jobs are queued or running; `retry_after_s` estimates when there is room (s)."""

    def __init__(self, retry_after_s: float, limit: int) -> None:
        self.retry_after_s = retry_after_s
        super().__init__(
            f"the render queue is full ({limit} clips queued or rendering); try again in {math.ceil(retry_after_s)} s"
        )


@dataclass(frozen=True)
class QueueStats:
    """Jobs in the table by status; retries and worker restarts since start; render_seconds: the
    render times (s) of the last <= 1000 finished jobs, oldest first."""

    queued: int
    running: int
    done: int
    failed: int
    retries: int
    worker_restarts: int
    render_seconds: tuple[float, ...]


class TableQueue:
    """What every job queue of the service shares: the SQLite job table (one job per clip id,
    max_queue), recovery of jobs a dead service left running, status, statistics and the
    Retry-After estimate. Subclasses set table, max_queue, max_attempts and render the jobs."""

    table: JobTable
    max_queue: int
    max_attempts: int
    lease_s: float
    failed_retry_after_s: float = 0.0
    store: ClipStore | None = None
    quota: StoreQuota | None = None
    on_versions_changed: Callable[[], None] | None = None
    _owner: str = ""
    _last_renew = _last_recover = 0.0

    def _keep_store(
        self, store: ClipStore | None, store_max_bytes: int, on_versions_changed: Callable[[], None] | None
    ) -> None:
        """Set the store the jobs write (partial files of failed jobs are removed from it), its
        quota (0 = none) and the callback for clips stored under a new id."""
        self.store, self.on_versions_changed = store, on_versions_changed
        if store is not None and store_max_bytes > 0:
            self.quota = StoreQuota(store, store_max_bytes, busy=self.table.active_ids, evicted=self.table.forget_done)

    def _finish(self, clip_id: str, status: str, error: str | None, seconds: float | None,
                stored_as: str | None = None) -> None:
        """Count the clip in the store's quota (done: before the job is marked done, so a job that
        reads done has its clip counted and the drafts over the quota evicted), record the result,
        then clean up (failed) and pass on a change of versions (stored under another id)."""
        if status != "failed" and self.quota is not None:
            try:
                self.quota.added(stored_as or clip_id)
            except OSError:
                log.exception("job %s: keeping the store under its quota failed", clip_id)
        self.table.finish(clip_id, self._owner, status, error, seconds, moved_to=stored_as)
        moved = f" (stored as clip {stored_as}: the lexicon changed since it was queued)" if stored_as else ""
        log.info("job %s %s in %.2f s%s%s", clip_id, status, seconds or 0.0, f": {error}" if error else "", moved)
        if status == "failed":
            self._failed(clip_id)
            return
        if stored_as is not None and self.on_versions_changed is not None:
            try:
                self.on_versions_changed()
            except Exception:
                log.exception("job %s: telling the service of the new versions failed", clip_id)

    def _failed(self, clip_id: str) -> None:
        """A job failed for good: remove the partial files its renders left."""
        if self.store is None:
            return
        try:
            removed = self.store.discard_partial(clip_id)
        except OSError:
            log.exception("job %s: removing its partial files failed", clip_id)
            return
        if removed:
            log.info("job %s: removed %d partial files", clip_id, removed)

    def _open_table(self) -> None:
        """Create the table, give back the jobs a dead service left running, take a fresh owner id."""
        self.table.create()
        for clip_id, status in self.table.recover(self.max_attempts):
            log.warning("job %s was running when the service stopped: %s", clip_id, status)
        self._owner = f"{process_token()}:{secrets.token_hex(4)}"
        self._last_renew = self._last_recover = time.monotonic()

    def _keep_leases(self, now: float) -> None:
        """Renew this service's leases every lease_s / 3 and take over jobs whose owner's lease
        ran out every lease_s (call it from the supervising loop)."""
        if now - self._last_renew > self.lease_s / 3:
            self.table.renew(self._owner, self.lease_s)
            self._last_renew = now
        if now - self._last_recover > self.lease_s:
            for clip_id, status in self.table.recover(self.max_attempts):
                log.warning("job %s lost its owner (lease ran out): %s", clip_id, status)
            self._last_recover = now

    def _queue(self, clip_id: str, request: ClipRequest, plan: Mapping[str, Any] | None) -> tuple[JobRecord, bool]:
        """(the job, whether it is new); QueueFull when max_queue jobs are queued or running,
        StoreFull when the store is full of approved clips. `plan` (jobs/plan.py plan_to_dict)
        travels with the request to the worker."""
        check_clip_id(clip_id)
        if self.quota is not None:
            self.quota.check_room()
        payload = request_to_dict(request)
        if plan is not None:
            payload[PLAN_KEY] = dict(plan)
        result = self.table.submit(
            clip_id, json.dumps(payload, ensure_ascii=False), self.max_queue, self.failed_retry_after_s,
            passing_errors=(NO_SPACE,),  # a full disk is the server's trouble: posting again tries again
        )
        if result is None:
            raise QueueFull(self.retry_after_s(), self.max_queue)
        return result

    def check_room(self, clip_id: str) -> None:
        """QueueFull now when submitting `clip_id` would find the queue full: a cheap check, so the
        service refuses before it spends a translation on the request; submit checks again,
        atomically. A job of this id in the table (queued, running, failed) is left to submit."""
        counts = self.table.counts()
        if counts.get("queued", 0) + counts.get("running", 0) < self.max_queue:
            return
        record = self.table.get(check_clip_id(clip_id))
        if record is None or record.status == "done":
            raise QueueFull(self.retry_after_s(), self.max_queue)

    def get(self, clip_id: str) -> JobRecord | None:
        return self.table.get(check_clip_id(clip_id))

    def _stats(self, retries: int, restarts: int) -> QueueStats:
        counts = self.table.counts()
        return QueueStats(
            queued=counts.get("queued", 0), running=counts.get("running", 0), done=counts.get("done", 0),
            failed=counts.get("failed", 0), retries=retries, worker_restarts=restarts,
            render_seconds=self.table.render_seconds(1000),
        )

    def _parallel(self) -> int:
        """How many jobs render at once (for the estimate)."""
        return 1

    def retry_after_s(self) -> float:
        """Seconds until a place in the queue is likely free: jobs ahead × recent mean render time
        / renders at once, at least 1 s."""
        counts = self.table.counts()
        recent = self.table.render_seconds(50)
        mean = sum(recent) / len(recent) if recent else DEFAULT_RENDER_S
        ahead = counts.get("queued", 0) + counts.get("running", 0)
        return max(1.0, ahead * mean / self._parallel())


class JobQueue(TableQueue):
    """Runs `runner_factory()(clip_id, request)` in `workers` worker processes, one job per clip id.

    job_timeout_s: seconds one render may take; lease_s: how long a running job stays ours without
    a heartbeat (another service on the same table takes it over after that);
    worker_log_config: a logging.config.dictConfig dict the workers log with (so they log like the
    service: same format, same redaction); failed_retry_after_s: how long a failed job stays failed
    when it is submitted again; store, store_max_bytes, on_versions_changed: see the module docstring."""

    def __init__(
        self, db_path: Path, runner_factory: RunnerFactory | str, *, workers: int = 1, max_queue: int = 100,
        job_timeout_s: float = 300.0, max_attempts: int = 3, recycle_after: int = 50, lease_s: float = 30.0,
        worker_log_config: dict[str, Any] | None = None, failed_retry_after_s: float = 0.0,
        store: ClipStore | None = None, store_max_bytes: int = 0,
        on_versions_changed: Callable[[], None] | None = None,
    ) -> None:
        try:
            pickle.dumps(runner_factory)
        except Exception as exc:
            raise TypeError(
                "the job runner factory is made again in each worker process, so it must be picklable: "
                f"a module-level callable, a functools.partial of one, or a dotted path ({exc})"
            ) from None
        self.table = JobTable(db_path)
        self._factory = runner_factory
        self._n = workers
        self.max_queue, self.job_timeout_s, self.max_attempts = max_queue, job_timeout_s, max_attempts
        self.recycle_after, self.lease_s = recycle_after, lease_s
        self.failed_retry_after_s = failed_retry_after_s
        self._keep_store(store, store_max_bytes, on_versions_changed)
        self._log_config = worker_log_config
        self._owner = ""
        self._workers: list[Worker] = []
        self._thread: threading.Thread | None = None
        self._stopping: str | None = None  # None, "wait" or "now"
        self._stop_by = 0.0  # time.monotonic() by which running renders are killed when stopping
        self._wake_r, self._wake_w = -1, -1
        self._retries = self._restarts = 0
        self._spawn_failures = 0
        self._spawn_after = 0.0

    # -- the API the service uses --------------------------------------------------------------

    def start(self) -> None:
        """Create the table, give back the jobs a dead service left running, start the workers."""
        if self._thread is not None:
            raise RuntimeError("JobQueue.start() was called twice")
        self._open_table()
        self._stopping = None
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        self._thread = threading.Thread(target=self._supervise, name="signavatar-jobs", daemon=True)
        self._thread.start()

    def close(self, *, wait: bool = True, grace_s: float = 10.0) -> None:
        """Stop the workers. With `wait` running renders may finish within `grace_s` seconds; then,
        or at once without `wait`, they are killed and their jobs queued again (the attempt not
        counted). Queued jobs stay in the table for the next start."""
        if self._thread is None:
            return
        self._stop_by = time.monotonic() + (grace_s if wait else 0.0)
        self._stopping = "wait" if wait else "now"
        self._wake()
        self._thread.join()
        self._thread = None
        os.close(self._wake_r)
        os.close(self._wake_w)

    def submit(self, clip_id: str, request: ClipRequest, plan: Mapping[str, Any] | None = None) -> JobRecord:
        """Queue a render unless one for this clip id is already queued or running (that job is
        returned). Raises QueueFull when max_queue jobs are queued or running."""
        if self._thread is None:
            raise RuntimeError("JobQueue.start() was not called")
        record, new = self._queue(clip_id, request, plan)
        if new:
            self._wake()
        return record

    def stats(self) -> QueueStats:
        return self._stats(self._retries, self._restarts)

    def _parallel(self) -> int:
        return self._n

    @property
    def worker_pids(self) -> list[int]:
        """The process ids of the worker processes now (each leads its own process group)."""
        return [w.pid for w in list(self._workers)]

    # -- the supervisor thread ---------------------------------------------------------------------

    def _wake(self) -> None:
        try:
            os.write(self._wake_w, b"x")
        except (BlockingIOError, OSError):  # full (already woken) or closed (stopping)
            pass

    def _supervise(self) -> None:
        while True:
            try:
                self._supervise_loop()
                return
            except Exception:  # e.g. the database locked for too long: log, and go on supervising
                log.exception("the job supervisor failed; it starts again in 1 s")
                time.sleep(1.0)

    def _supervise_loop(self) -> None:
        while True:
            if self._stopping is not None:
                self._stop_workers()
                if not self._workers:
                    return
            else:
                self._fill_pool()
                self._dispatch()
            conns: dict[Any, Worker] = {w.conn: w for w in self._workers}
            for ready in wait([*conns, self._wake_r], timeout=_TICK_S):
                if ready == self._wake_r:
                    try:
                        os.read(self._wake_r, 4096)
                    except BlockingIOError:
                        pass
                else:
                    assert isinstance(ready, Connection)
                    self._on_message(conns[ready])
            now = time.monotonic()
            self._check_timeouts(now)
            self._keep_leases(now)

    def _fill_pool(self) -> None:
        while len(self._workers) < self._n and time.monotonic() >= self._spawn_after:
            try:
                self._workers.append(spawn_worker(self._factory, self.recycle_after, self._log_config))
            except OSError as exc:  # out of processes or memory: try again later
                log.error("could not start a worker process: %s", exc)
                self._backoff()
                return

    def _backoff(self) -> None:
        # A worker that cannot even start must not be restarted in a tight loop.
        self._spawn_failures += 1
        self._spawn_after = time.monotonic() + min(30.0, 0.5 * 2 ** min(self._spawn_failures, 6))

    def _dispatch(self) -> None:
        # Never to a worker that is about to exit (recycled, or after an error): the parent counts
        # its jobs, and its last result says so too. A job sent to one would be lost with it.
        for w in self._workers:
            if not w.idle:
                continue
            claimed = self.table.claim(self._owner, self.lease_s)
            if claimed is None:
                return
            log.info("job %s: attempt %d on worker %d", claimed.id, claimed.attempt, w.pid)
            try:
                w.send(claimed.id, json.loads(claimed.request_json), self.recycle_after)
            except OSError:  # it died just now; its end of the socket tells us so next
                pass

    def _on_message(self, w: Worker) -> None:
        try:
            msg = w.conn.recv()
        except (EOFError, OSError):
            self._on_exit(w)
            return
        if msg[0] == "ready":
            w.ready, w.started = True, time.monotonic()
            self._spawn_failures = 0
            if msg[1]:
                log.error("worker %d: %s", w.pid, msg[1])
            return
        kind, clip_id, seconds, error, stored_as, last = msg
        if last or kind == "error":
            w.retiring = True
        w.job = None
        status = "done" if kind == "done" else "failed"
        self._finish(clip_id, status, error, seconds, stored_as)

    def _on_exit(self, w: Worker) -> None:
        """The worker's socket closed: it exited (recycled, or stopped) or died."""
        reason = w.reap()
        self._workers.remove(w)
        if not w.ready:
            self._backoff()
        if self._stopping is None:
            self._restarts += 1
        if w.job is None:
            return
        # Not the job's fault: the service stopping, or a planned exit (status 0 after the worker
        # said it would exit) that a job reached anyway.
        planned = w.retiring and w.exit_code == 0 and w.kill_reason is None
        blameless = w.kill_reason == _STOPPED or planned
        status = self.table.release(w.job, self._owner, self.max_attempts, reason, count=not blameless)
        if status == "queued" and not blameless:
            self._retries += 1
        if status == "failed":
            self._failed(w.job)
        log.warning("job %s: %s; %s", w.job, reason, "queued again" if status == "queued" else status)

    def _check_timeouts(self, now: float) -> None:
        for w in self._workers:
            if w.job is not None and now - w.started > self.job_timeout_s:
                w.kill(f"the render took longer than job_timeout_s ({self.job_timeout_s:g} s) and was stopped")
            elif not w.ready and now - w.started > max(self.job_timeout_s, 60.0):
                w.kill("the worker process did not start")

    def _stop_workers(self) -> None:
        if self._stopping == "wait" and time.monotonic() > self._stop_by:
            self._stopping = "now"
        for w in self._workers:
            if w.job is None or self._stopping == "now":
                if w.job is None and w.ready:
                    w.stop()
                else:
                    w.kill(_STOPPED)


_STOPPED = "the service stopped during the render"
