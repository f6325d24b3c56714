"""/metrics in the Prometheus text exposition format (version 0.0.4), written by hand.

HTTP metrics are counted here by RequestObserver (api/request_log.py), labelled by method, route
template (`/v1/clips/{cid}`, never the raw path: no ids or user text in labels) and status. Queue
and render metrics are read from JobQueue.stats() at scrape time.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Iterable, Sequence

log = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
#: seconds; an HTTP request (status polls and cached downloads should sit in the first buckets)
HTTP_BUCKETS: tuple[float, ...] = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
#: seconds; one clip's render (motion, frames, encode)
RENDER_BUCKETS: tuple[float, ...] = (0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0)
JOB_STATUSES = ("queued", "running", "done", "failed")


class Histogram:
    """Cumulative bucket counts, sum and count of observed values (seconds)."""

    def __init__(self, buckets: Sequence[float]) -> None:
        self.buckets = tuple(buckets)
        self.counts = [0] * len(self.buckets)
        self.sum = 0.0
        self.count = 0

    def observe(self, value: float) -> None:
        for i, bound in enumerate(self.buckets):
            if value <= bound:
                self.counts[i] += 1
        self.sum += value
        self.count += 1

    def lines(self, name: str, labels: dict[str, str]) -> list[str]:
        out = [f"{name}_bucket{_labels({**labels, 'le': _num(b)})} {c}" for b, c in zip(self.buckets, self.counts)]
        out.append(f"{name}_bucket{_labels({**labels, 'le': '+Inf'})} {self.count}")
        out.append(f"{name}_sum{_labels(labels)} {_num(self.sum)}")
        out.append(f"{name}_count{_labels(labels)} {self.count}")
        return out


class HttpMetrics:
    """Request counts by (method, route, status) and durations by (method, route); thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: dict[tuple[str, str, str], int] = {}
        self._durations: dict[tuple[str, str], Histogram] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        with self._lock:
            key = (method, route, str(status))
            self._requests[key] = self._requests.get(key, 0) + 1
            hist = self._durations.get((method, route))
            if hist is None:
                hist = self._durations[(method, route)] = Histogram(HTTP_BUCKETS)
            hist.observe(seconds)

    def lines(self) -> list[str]:
        with self._lock:
            out = _head("signavatar_http_requests_total", "counter",
                        "HTTP requests answered, by method, route and status.")
            for (method, route, status), n in sorted(self._requests.items()):
                labels = _labels({"method": method, "route": route, "status": status})
                out.append(f"signavatar_http_requests_total{labels} {n}")
            out += _head("signavatar_http_request_duration_seconds", "histogram",
                         "Seconds from receiving a request to sending the start of its response.")
            for (method, route), hist in sorted(self._durations.items()):
                out += hist.lines("signavatar_http_request_duration_seconds", {"method": method, "route": route})
            return out


def queue_lines(stats: object | None) -> list[str]:
    """Queue and render metrics from a JobQueue.stats() result; fields it lacks read as 0."""

    def field(name: str) -> int:
        value = getattr(stats, name, 0)
        return int(value) if isinstance(value, (int, float)) else 0

    out = _head("signavatar_queue_jobs", "gauge", "Jobs in the job table, by status.")
    out += [f"signavatar_queue_jobs{_labels({'status': s})} {field(s)}" for s in JOB_STATUSES]
    for name, attr, text in (
        ("signavatar_renders_total", "done", "Clips rendered (jobs done in the job table)."),
        ("signavatar_render_failures_total", "failed", "Jobs that failed for good (failed in the job table)."),
        ("signavatar_job_retries_total", "retries", "Job attempts repeated after a worker died or a render failed."),
        ("signavatar_worker_restarts_total", "worker_restarts", "Worker processes replaced (recycled or crashed)."),
    ):
        out += _head(name, "counter", text)
        out.append(f"{name} {field(attr)}")
    hist = Histogram(RENDER_BUCKETS)
    seconds: Iterable[object] = getattr(stats, "render_seconds", ()) or ()
    for value in seconds:
        if isinstance(value, (int, float)) and math.isfinite(value):
            hist.observe(float(value))
    out += _head("signavatar_render_seconds", "histogram",
                 "Seconds one render took, over the last (at most 1000) finished jobs.")
    out += hist.lines("signavatar_render_seconds", {})
    return out


def read_stats(stats: Callable[[], object]) -> object | None:
    """stats() (the queue's), or None when the queue cannot say (not started, its database
    unreadable): a scrape still gets the HTTP metrics, and the failure is logged."""
    try:
        return stats()
    except Exception:  # noqa: BLE001 - metrics must not fail because the queue does
        log.warning("job queue statistics unavailable for /metrics", exc_info=True)
        return None


def exposition(http: HttpMetrics, stats: object | None, translations: tuple[int, int] | None = None) -> str:
    """The whole /metrics body; `translations`: (running, waiting) at the translation gate."""
    return "\n".join(queue_lines(stats) + translation_lines(translations) + http.lines()) + "\n"


def translation_lines(translations: tuple[int, int] | None) -> list[str]:
    """signavatar_translations{state}: translations running and waiting at the gate (api/translate_gate.py)."""
    if translations is None:
        return []
    running, waiting = translations
    return [*_head("signavatar_translations", "gauge", "translations running or waiting at the translation gate"),
            f'signavatar_translations{{state="running"}} {running}',
            f'signavatar_translations{{state="waiting"}} {waiting}']


def _head(name: str, kind: str, text: str) -> list[str]:
    return [f"# HELP {name} {text}", f"# TYPE {name} {kind}"]


def _labels(labels: dict[str, str]) -> str:
    if not labels:
        return ""
    inner = ",".join(f'{k}="{_escape(v)}"' for k, v in labels.items())
    return "{" + inner + "}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _num(value: float) -> str:
    return repr(float(value))
