"""The job queue as the HTTP service sees it: one Protocol that the SQLite table queue
(jobs/queue.py JobQueue: local worker processes) and the Celery queue (distributed/service_queue.py
CeleryJobQueue: `signavatar worker` processes) both implement."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from signavatar.jobs.job_table import JobRecord
from signavatar.jobs.queue import QueueStats
from signavatar.types import ClipRequest


class QueueBackend(Protocol):
    def start(self) -> None:
        """Open the table, give back what a dead service left running, start sending jobs."""

    def close(self, *, wait: bool = True, grace_s: float = 10.0) -> None:
        """Stop; with `wait`, running renders get `grace_s` to finish."""

    def submit(self, clip_id: str, request: ClipRequest, plan: Mapping[str, Any] | None = None) -> JobRecord:
        """Queue a render (with the service's plan of its glosses, jobs/plan.py) unless one for
        this clip id is queued or running; QueueFull, StoreFull when there is no room."""
        ...

    def check_room(self, clip_id: str) -> None:
        """QueueFull now when submitting `clip_id` would find the queue full (a cheap early check)."""

    def get(self, clip_id: str) -> JobRecord | None:
        """The job of `clip_id`, or None."""
        ...

    def stats(self) -> QueueStats:
        """Jobs by status, retries, worker restarts, recent render times (for /metrics)."""
        ...
