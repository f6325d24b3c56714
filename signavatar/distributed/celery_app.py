"""The Celery app: Redis as broker and result backend, one task `signavatar.render_item`.

Delivery guarantees (a clip is never lost when a worker dies):
- acks_late: a message is acknowledged after the render, not when it is received;
- task_reject_on_worker_lost: a prefork child killed mid-render (SIGKILL, out of memory) gives its
  message back to the queue at once;
- a whole worker (or machine) that dies leaves its message unacknowledged in Redis; another worker
  restores it after `visibility_timeout_s` seconds. That timeout must be longer than the longest
  render, or a slow render is started a second time (harmless: the clip store is content-addressed
  and writes atomically, but it costs a render);
- worker_prefetch_multiplier 1: a worker holds no more messages than it has processes, so a dead
  worker strands at most `concurrency` items;
- a message delivered more than `max_attempts` times (an item that kills its worker every time)
  is answered with status "failed" instead of being rendered again.
"""

from __future__ import annotations

import logging
from pathlib import PurePath
from typing import Any

from celery import Celery, Task

from signavatar.errors import InvalidInputError

log = logging.getLogger(__name__)

TASK_NAME = "signavatar.render_item"
DEFAULT_VISIBILITY_TIMEOUT_S = 3600.0
DEFAULT_MAX_ATTEMPTS = 3
_ATTEMPTS_KEY = "signavatar:attempts:{}"  # per task id, in the broker's Redis; expires with the result
RESULT_EXPIRES_S = 24 * 3600


def check_broker_url(url: str) -> str:
    """`url` if it names a Redis server (redis://, rediss://, unix://), else InvalidInputError."""
    if not url or not url.startswith(("redis://", "rediss://", "unix://")):
        raise InvalidInputError(f"broker URL must look like redis://host:6379/0, got {url!r}")
    return url


def make_app(
    broker_url: str, *, visibility_timeout_s: float = DEFAULT_VISIBILITY_TIMEOUT_S,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS, data_dir: str | None = None,
) -> Celery:
    """A Celery app on the Redis at `broker_url` (also the result backend).

    data_dir: on a worker, the shared store folder as this machine mounts it; it replaces the
    submitter's store folder (a batch's --out, the service's data dir), and a submitter's folder
    inside that one (its data dir with the translation memory, a lexicon) is found under it too;
    paths in results are relative to it, so they stay valid."""
    check_broker_url(broker_url)
    if not visibility_timeout_s > 0:
        raise InvalidInputError(f"visibility timeout must be a positive number of seconds, got {visibility_timeout_s}")
    if max_attempts < 1:
        raise InvalidInputError(f"max attempts must be at least 1, got {max_attempts}")
    app = Celery("signavatar", broker=broker_url, backend=broker_url, set_as_current=False)
    # Restore stranded messages soon after the timeout: look every timeout/4 s (1..10 s) on every call.
    restore_interval = max(1, min(10, int(visibility_timeout_s / 4)))
    transport = {"visibility_timeout": visibility_timeout_s, "unacked_restore_interval": restore_interval,
                 "unacked_restore_throttle": 1}
    app.conf.update(
        task_serializer="json", result_serializer="json", accept_content=["json"],
        task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
        broker_transport_options=transport, result_backend_transport_options=transport,
        broker_connection_retry_on_startup=True, result_expires=RESULT_EXPIRES_S,
        task_track_started=True, worker_hijack_root_logger=False,
        signavatar_max_attempts=max_attempts, signavatar_data_dir=data_dir,
    )
    app.task(name=TASK_NAME, bind=True, acks_late=True, reject_on_worker_lost=True)(render_item_task)
    return app


def render_item_task(
    self: Task, item: dict[str, Any], settings_env: dict[str, str], out_dir: str | None = None,
    has_memory: bool = False,
) -> dict[str, Any]:
    """Render one batch item on this worker (signavatar.jobs.batch_item.render_item, same arguments)."""
    conf = self.app.conf
    attempt = _count_attempt(self.app, self.request.id)
    if attempt > conf["signavatar_max_attempts"]:
        log.error("item %s: delivered %d times; a worker died on each of the earlier renders", item.get("id"), attempt)
        return {"id": item.get("id"), "clip_id": None, "status": "failed", "duration_s": None, "render_s": None,
                "paths": {}, "versions": {},
                "error": f"a worker died while rendering it, {attempt - 1} times; not tried again"}
    env = dict(settings_env)
    if conf["signavatar_data_dir"]:
        env, out_dir = map_shared_folder(env, out_dir, str(conf["signavatar_data_dir"]))
    # Lazy: the worker's main process must not build a pipeline (GL context) before it forks.
    from signavatar.jobs.batch_item import render_item

    return render_item(item, env, out_dir, has_memory)


def map_shared_folder(env: dict[str, str], out_dir: str | None, mounted: str) -> tuple[dict[str, str], str]:
    """The submitter's folders as this worker sees them: its store folder (out_dir, else its data
    dir) is `mounted` here; every SIGNAVATAR_*_DIR inside it moves along; the others stay as they are."""
    shared = PurePath(out_dir or env.get("SIGNAVATAR_DATA_DIR") or mounted)
    mapped = dict(env)
    for key, value in env.items():
        if key.startswith("SIGNAVATAR_") and key.endswith("_DIR") and value:
            path = PurePath(value)
            if path == shared or shared in path.parents:
                mapped[key] = str(PurePath(mounted) / path.relative_to(shared))
    if not out_dir:
        mapped["SIGNAVATAR_DATA_DIR"] = mounted
    return mapped, mounted


def _count_attempt(app: Celery, task_id: str | None) -> int:
    """Deliveries of this task so far, this one included (a Redis counter per task id)."""
    if not task_id:
        return 1
    import redis

    client = redis.Redis.from_url(app.conf.broker_url)
    try:
        key = _ATTEMPTS_KEY.format(task_id)
        with client.pipeline() as pipe:
            pipe.incr(key)
            pipe.expire(key, RESULT_EXPIRES_S)
            count, _ = pipe.execute()
        return int(count)
    finally:
        client.close()
