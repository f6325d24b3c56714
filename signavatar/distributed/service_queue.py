"""CeleryJobQueue: the HTTP service's job queue when SIGNAVATAR_QUEUE_BACKEND=celery.

It has JobQueue's interface (start, close, submit, get, stats) and keeps its job table
(<data dir>/jobs.sqlite: one job per clip id, max_queue, statuses for GET /v1/clips/{id}), but a
dispatcher thread sends each queued job to the Celery workers (task signavatar.render_item) instead
of rendering it in local processes, and records the result when the task has finished. The workers
write into the shared store folder the service serves from (SIGNAVATAR_DATA_DIR here, --data-dir there).

A dead worker's job is redelivered by Celery (acks late); a render longer than job_timeout_s is
stopped by Celery (the task's time limit) and fails. Jobs sent by a service that stopped are queued
again and sent again at the next start (a clip already stored is not rendered twice).

A worker whose lexicon (or avatar) differs from the service's when it renders a job stores the
clip under the id its own versions give; the job is then done with that id as its moved_to (as in
the local queue), and `on_versions_changed()` reloads the service's pipeline. Unlike the local
workers, a Celery worker does not reload its files for the job first (its pipeline is cached per
process until the worker restarts), so the clip is made with the worker's files.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from signavatar.distributed.celery_app import TASK_NAME, make_app
from signavatar.jobs.batch_item import NOT_FOR_WORKERS
from signavatar.jobs.job_table import JobRecord, JobTable
from signavatar.jobs.queue import QueueStats, TableQueue
from signavatar.jobs.store import ClipStore
from signavatar.jobs.worker_pool import NO_SPACE
from signavatar.settings import ENV_PREFIX, Settings
from signavatar.types import ClipRequest

log = logging.getLogger(__name__)

_TICK_S = 0.2  # how often queued jobs are sent and results looked at (s)
_NOT_FOR_WORKERS = NOT_FOR_WORKERS  # secrets (the API and editor keys) stay on the service


def worker_env(settings: Settings) -> dict[str, str]:
    """The service's settings as SIGNAVATAR_* variables for render_item (no secrets: they cross the broker)."""
    env = {}
    for f in dataclasses.fields(settings):
        if f.name not in _NOT_FOR_WORKERS:
            value = getattr(settings, f.name)
            env[ENV_PREFIX + f.name.upper()] = str(value.resolve() if f.name.endswith("_dir") else value)
    return env


class CeleryJobQueue(TableQueue):
    """Sends the service's jobs to Celery workers; see the module docstring."""

    def __init__(
        self, settings: Settings, *, lease_s: float = 30.0, store: ClipStore | None = None,
        on_versions_changed: Callable[[], None] | None = None,
    ) -> None:
        self.table = JobTable(settings.data_dir / "jobs.sqlite")
        self.max_queue, self.max_attempts = settings.max_queue, settings.max_attempts
        self.failed_retry_after_s = settings.failed_retry_after_s
        self._keep_store(store, settings.store_max_bytes, on_versions_changed)
        self.job_timeout_s, self.lease_s = settings.job_timeout_s, lease_s
        self._app = make_app(settings.broker_url, visibility_timeout_s=settings.broker_visibility_timeout_s,
                             max_attempts=settings.max_attempts)
        self._env = worker_env(settings)
        self._sent: dict[str, Any] = {}  # clip id -> AsyncResult
        self._owner = ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("CeleryJobQueue.start() was called twice")
        self._open_table()
        self._stop.clear()
        self._thread = threading.Thread(target=self._dispatch_loop, name="signavatar-celery-jobs", daemon=True)
        self._thread.start()

    def close(self, *, wait: bool = True, grace_s: float = 10.0) -> None:
        """Stop sending. Tasks already sent keep rendering on the workers; their jobs are queued
        again for the next start (the attempt not counted), which finds the stored clips."""
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        self._thread = None
        for clip_id in list(self._sent):
            self.table.release(clip_id, self._owner, self.max_attempts, "the service stopped", count=False)
        self._sent.clear()
        self._app.close()

    def submit(self, clip_id: str, request: ClipRequest, plan: Mapping[str, Any] | None = None) -> JobRecord:
        if self._thread is None:
            raise RuntimeError("CeleryJobQueue.start() was not called")
        return self._queue(clip_id, request, plan)[0]

    def stats(self) -> QueueStats:
        return self._stats(0, 0)  # retries happen inside Celery (redelivery), not counted here

    def _dispatch_loop(self) -> None:
        while not self._stop.wait(_TICK_S):
            try:
                self._send_queued()
                self._collect()
                self._keep_leases(time.monotonic())
            except Exception:  # the broker or the database away for a moment: log, and go on
                log.exception("the Celery job dispatcher failed; it goes on in 1 s")
                self._stop.wait(1.0)

    def _send_queued(self) -> None:
        while (claimed := self.table.claim(self._owner, self.lease_s)) is not None:
            item = {"id": claimed.id, **json.loads(claimed.request_json)}
            try:
                self._sent[claimed.id] = self._app.send_task(
                    TASK_NAME, args=[item, self._env], time_limit=self.job_timeout_s)
            except Exception as exc:
                self.table.release(claimed.id, self._owner, self.max_attempts, f"the broker refused it: {exc}")
                raise
            log.info("job %s: sent to the Celery workers (attempt %d)", claimed.id, claimed.attempt)

    def _collect(self) -> None:
        for clip_id, result in list(self._sent.items()):
            if not result.ready():
                continue
            status, error, seconds, stored_as = "failed", None, None, None
            if result.successful():
                entry = result.result
                seconds = entry.get("render_s")
                if entry.get("status") == "failed":
                    error = _public_error(clip_id, entry.get("error") or "")
                else:
                    status = "done"
                    if entry.get("clip_id") != clip_id:  # the worker's versions differ (see the module docstring)
                        stored_as = entry.get("clip_id")
            else:
                log.error("job %s: the Celery task failed: %r", clip_id, result.result)
                error = f"the render failed on the server; the service log has the details (clip {clip_id})"
            self._finish(clip_id, status, error, seconds, stored_as)
            result.forget()
            del self._sent[clip_id]


def _public_error(clip_id: str, error: str) -> str:
    """The job's public detail for a worker's error text (which may name paths): logged in full,
    answered as a short stable text; a worker's own "died N times" verdict is kept."""
    log.error("job %s: the render failed on a Celery worker: %s", clip_id, error)
    if "No space left on device" in error:
        return NO_SPACE
    if error.startswith("a worker died"):
        return error
    return f"the render failed on the server; the service log has the details (clip {clip_id})"
