"""CeleryExecutor: `submit(render_item, item, settings_env, out_dir, has_memory)` sends the item to
the Celery workers (render_item's arguments, see signavatar/jobs/batch_item.py).

It looks like a concurrent.futures.Executor to the batch runner: each submit returns a Future that
resolves with render_item's result dict when a worker has finished the task (or with an exception
when the task itself failed). One thread polls the result backend for all pending tasks.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from signavatar.distributed.celery_app import DEFAULT_VISIBILITY_TIMEOUT_S, TASK_NAME, make_app

log = logging.getLogger(__name__)

_POLL_S = 0.2  # how often pending results are looked at (s)


class RemoteTaskError(RuntimeError):
    """A Celery task ended with an exception (not a failed render: render_item reports those)."""


class CeleryExecutor:
    """Runs signavatar.jobs.batch_item.render_item on Celery workers behind the Redis at `url`."""

    def __init__(self, url: str, *, visibility_timeout_s: float = DEFAULT_VISIBILITY_TIMEOUT_S) -> None:
        self.app = make_app(url, visibility_timeout_s=visibility_timeout_s)
        self._pending: dict[str, tuple[Any, Future[Any]]] = {}
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._poller = threading.Thread(target=self._poll, name="celery-results", daemon=True)
        self._poller.start()

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future[Any]:
        """Send `fn(*args)` to a worker; only render_item(item, settings_env[, out_dir, has_memory]) runs there."""
        if self._closed.is_set():
            raise RuntimeError("cannot submit to a CeleryExecutor after shutdown")
        name = f"{getattr(fn, '__module__', '')}.{getattr(fn, '__name__', '')}"
        if name != "signavatar.jobs.batch_item.render_item":
            raise TypeError(f"CeleryExecutor runs only signavatar.jobs.batch_item.render_item, not {name}")
        future: Future[Any] = Future()
        result = self.app.send_task(TASK_NAME, args=list(args))
        future.set_running_or_notify_cancel()
        with self._lock:
            self._pending[result.id] = (result, future)
        return future

    def _poll(self) -> None:
        while not self._closed.wait(_POLL_S):
            with self._lock:
                pending = list(self._pending.items())
            for task_id, (result, future) in pending:
                try:
                    if not result.ready():
                        continue
                    if result.successful():
                        future.set_result(result.result)
                    else:
                        future.set_exception(RemoteTaskError(f"task {task_id} failed: {result.result!r}"))
                    result.forget()
                except Exception as exc:  # the broker went away: report it on the future, not silently
                    log.warning("reading the result of task %s failed: %s", task_id, exc)
                    future.set_exception(exc)
                with self._lock:
                    self._pending.pop(task_id, None)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop polling; wait=True first waits for every submitted task (tasks already sent keep
        running on the workers either way)."""
        if wait and not cancel_futures:
            with self._lock:
                futures = [f for _, f in self._pending.values()]
            for future in futures:
                future.exception()  # blocks until resolved
        self._closed.set()
        self._poller.join()
        with self._lock:
            for _, future in self._pending.values():
                future.set_exception(RuntimeError("the CeleryExecutor was shut down before this task finished"))
            self._pending.clear()
        self.app.close()

    def __enter__(self) -> CeleryExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown(wait=exc[0] is None, cancel_futures=exc[0] is not None)
