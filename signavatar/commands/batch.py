"""`signavatar batch`: read the input, choose the executor, run the batch, report failures at the end."""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import Any

from signavatar.errors import InvalidInputError
from signavatar.jobs.batch import Executor, InlineExecutor, RenderFn, run_batch
from signavatar.jobs.batch_input import read_items
from signavatar.jobs.batch_item import NOT_FOR_WORKERS, render_item, render_with
from signavatar.jobs.batch_pool import BatchPool
from signavatar.jobs.batch_progress import BatchProgress
from signavatar.jobs.request import normalise_options
from signavatar.settings import ENV_PREFIX, Settings
from signavatar.types import RenderOptions


def batch_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The SIGNAVATAR_* settings every worker renders with: this process's, so that pool, Celery and
    in-process renders translate like `signavatar gloss` and the service (the data dir's translation
    memory, the same lexicon and limits). Folders are made absolute (a worker may run elsewhere) and
    the data dir is always named; secrets stay here (the items may cross a broker). The --out folder
    is not a setting: run_batch hands it to each item."""
    source = os.environ if environ is None else environ
    env = {k: v for k, v in source.items() if k.startswith(ENV_PREFIX)}
    for name in NOT_FOR_WORKERS:
        env.pop(ENV_PREFIX + name.upper(), None)
    settings = Settings.from_env(env)  # the same values this process's Settings has
    for f in fields(Settings):
        key = ENV_PREFIX + f.name.upper()
        if f.name.endswith("_dir") and (f.name == "data_dir" or env.get(key, "").strip()):
            env[key] = str(getattr(settings, f.name).resolve())
    return env


@contextmanager
def choose_executor(
    args: argparse.Namespace, pipeline: Any, *, max_attempts: int = Settings.max_attempts,
) -> Iterator[tuple[Executor, RenderFn]]:
    """The executor of --workers N, or of --celery [URL] (signavatar/distributed/). With --workers N
    an item whose worker process dies is started again, up to max_attempts renders (BatchPool)."""
    workers: int = args.workers
    if workers < 1:
        raise InvalidInputError(f"--workers must be at least 1, got {workers}")
    if getattr(args, "celery", None) is not None:
        if workers != 1:
            raise InvalidInputError("give --workers N (this machine) or --celery URL (Celery workers), not both")
        from signavatar.commands.worker import broker_url, visibility_timeout
        from signavatar.distributed.executor import CeleryExecutor

        url = broker_url(args.celery or None, os.environ, "--celery")
        with CeleryExecutor(url, visibility_timeout_s=visibility_timeout(None, os.environ)) as remote:
            yield remote, render_item
        return
    if workers == 1:
        # In this process, with the pipeline the command line made (a test may pass its own).
        fn: Callable[..., dict[str, Any]] = functools.partial(_inline, pipeline=pipeline)
        yield InlineExecutor(), fn
        return
    # forkserver: children start clean (no inherited GL context or threads of this process).
    with BatchPool(workers, max_attempts=max_attempts, method="forkserver") as pool:
        yield pool, render_item


def _inline(
    item: dict[str, Any], settings_env: dict[str, str], out_dir: str, has_memory: bool, *, pipeline: Any,
) -> dict[str, Any]:
    # The CLI's pipeline was made from the same settings as settings_env (batch_env): the same memory.
    return render_with(item, pipeline, Settings.from_env(settings_env), Path(out_dir))


def run_batch_command(
    args: argparse.Namespace, settings: Settings, factory: Callable[[Settings], Any], options: RenderOptions,
) -> int:
    if args.workers < 1:
        raise InvalidInputError(f"--workers must be at least 1, got {args.workers}")
    items = read_items(args.file)
    normalise_options(options)  # bad options fail once, not once per item
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    env = batch_env()
    pipeline = factory(settings)
    versions = dict(pipeline.versions())  # the current versions: clip ids, skips and --stale
    bar = BatchProgress(len(items))
    try:
        with choose_executor(args, pipeline, max_attempts=settings.max_attempts) as (executor, fn):
            manifest = run_batch(items, out, executor, env, versions, options, stale=args.stale,
                                 progress=bar.update, fn=fn)
    finally:
        bar.close()
    counts = manifest["counts"]
    for entry in manifest["items"]:
        if entry["status"] == "failed":
            print(f"signavatar: failed: {entry['id']}: {entry['error']}", file=sys.stderr)
    stale = f"{counts['stale']} stale, " if args.stale else ""
    print(f"{stale}{counts['done']} done, {counts['skipped']} skipped, {counts['failed']} failed; "
          f"manifest: {out / 'manifest.json'}")
    return 1 if counts["failed"] else 0
