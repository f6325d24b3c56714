"""`signavatar worker`: one Celery worker (prefork pool) rendering batch items from a Redis broker."""

from __future__ import annotations

import argparse
import os
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from signavatar.errors import InvalidInputError
from signavatar.settings import Settings

BROKER_ENV = "SIGNAVATAR_BROKER_URL"
VISIBILITY_ENV = "SIGNAVATAR_BROKER_VISIBILITY_TIMEOUT_S"


def add_worker_parser(sub: Any) -> None:
    w = sub.add_parser(
        "worker", help="render batch items from a Celery queue (scale-out)",
        description="Start a Celery worker that renders the items `signavatar batch --celery URL` sends. "
                    "Needs the scale extra (pip install 'signavatar[scale]').",
    )
    w.add_argument("--broker", metavar="URL", help=f"Redis URL, e.g. redis://127.0.0.1:6379/0 (default: {BROKER_ENV})")
    w.add_argument("--concurrency", type=int, default=1, metavar="N",
                   help="render processes in this worker (default 1: a render already uses every core)")
    w.add_argument("--data-dir", type=Path, metavar="DIR",
                   help="the shared store folder as this machine mounts it (default: the submitter's data dir)")
    w.add_argument("--visibility-timeout", type=float, metavar="S",
                   help=f"seconds before a dead worker's item is given to another (default: {VISIBILITY_ENV} or 3600); "
                        "must exceed the longest render")
    w.add_argument("--max-attempts", type=int, metavar="N",
                   help="deliveries of one item before it is failed (default: SIGNAVATAR_MAX_ATTEMPTS or 3)")


def broker_url(explicit: str | None, environ: Mapping[str, str], option: str = "--broker") -> str:
    """The broker URL from an option or SIGNAVATAR_BROKER_URL; InvalidInputError when neither is set."""
    from signavatar.distributed.celery_app import check_broker_url

    url = explicit or environ.get(BROKER_ENV, "").strip()
    if not url:
        raise InvalidInputError(f"no broker: give {option} redis://HOST:6379/0 or set {BROKER_ENV}")
    return check_broker_url(url)


def visibility_timeout(explicit: float | None, environ: Mapping[str, str]) -> float:
    from signavatar.distributed.celery_app import DEFAULT_VISIBILITY_TIMEOUT_S

    if explicit is not None:
        return explicit
    raw = environ.get(VISIBILITY_ENV, "").strip()
    try:
        return float(raw) if raw else DEFAULT_VISIBILITY_TIMEOUT_S
    except ValueError:
        raise InvalidInputError(f"{VISIBILITY_ENV} must be a number of seconds, got {raw!r}") from None


def cmd_worker(args: argparse.Namespace, settings: Settings, factory: Any) -> int:
    from signavatar.distributed.celery_app import make_app

    if args.concurrency < 1:
        raise InvalidInputError(f"--concurrency must be at least 1, got {args.concurrency}")
    data_dir = args.data_dir
    if data_dir is not None:
        if not data_dir.is_dir():
            raise InvalidInputError(f"--data-dir {data_dir}: no such folder")
        data_dir = data_dir.resolve()
    app = make_app(
        broker_url(args.broker, os.environ),
        visibility_timeout_s=visibility_timeout(args.visibility_timeout, os.environ),
        max_attempts=args.max_attempts or settings.max_attempts, data_dir=str(data_dir) if data_dir else None,
    )
    app.worker_main([
        "worker", "--pool=prefork", f"--concurrency={args.concurrency}", "--loglevel=INFO",
        "--without-gossip", "--without-mingle", f"--hostname=signavatar-{os.getpid()}@{socket.gethostname()}",
    ])
    return 0
