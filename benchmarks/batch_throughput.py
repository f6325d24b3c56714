"""Batch throughput: clips per minute of `signavatar batch` with 1 and with 2 local workers (and, once
added, 1 and 2 Celery workers), measured in the same run on the same sentences, and the ratio.

Each mode renders the same ~12 short FAQ sentences at 128x128 into a fresh store, so nothing is
skipped. The time is the batch's wall time, worker start-up included (a batch pays it too); the
parent's pipeline (for the clip ids) is made before the clock starts, as in `signavatar batch`.
--workers 1 renders in the calling process; 2 uses a ProcessPoolExecutor of two processes.

usage: .venv/bin/python benchmarks/batch_throughput.py [--size 128] [--fps 25] [--modes local-1,local-2]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "tests")]

from signavatar.commands.batch import batch_env, choose_executor  # noqa: E402
from signavatar.jobs.batch import Executor, RenderFn, run_batch  # noqa: E402
from signavatar.jobs.batch_input import BatchItem  # noqa: E402
from signavatar.pipeline import Pipeline  # noqa: E402
from signavatar.settings import Settings  # noqa: E402
from signavatar.types import RenderOptions  # noqa: E402

SENTENCES = [
    "Guten Morgen", "Wie geht es dir?", "Ich brauche einen Termin.", "Wo ist das Bürgeramt?",
    "Danke", "Bitte", "Hallo", "Ich habe einen neuen Personalausweis.", "Heute ist das Amt geschlossen.",
    "Wann haben Sie Zeit?", "Ich wohne in Berlin.", "Auf Wiedersehen",
]

ModeFactory = Callable[[Any], AbstractContextManager[tuple[Executor, RenderFn]]]


def local(workers: int) -> ModeFactory:
    def make(pipeline: Any) -> AbstractContextManager[tuple[Executor, RenderFn]]:
        return choose_executor(SimpleNamespace(workers=workers), pipeline)
    return make


def celery(workers: int) -> ModeFactory:
    """A redis-server and `workers` `signavatar worker` processes on this machine (their start-up is
    outside the clock: a cluster is started once and serves many batches), CeleryExecutor."""
    @contextmanager
    def make(pipeline: Any) -> Iterator[tuple[Executor, RenderFn]]:
        from celery_cluster import celery_cluster  # tests/: the one cluster launcher
        from signavatar.distributed.executor import CeleryExecutor
        from signavatar.jobs.batch_item import render_item

        with tempfile.TemporaryDirectory(prefix="batch-bench-celery-") as tmp, \
                celery_cluster(Path(tmp), workers=workers) as cluster, CeleryExecutor(cluster.url) as executor:
            CLOCK["start"] = time.perf_counter()  # workers are up: start the clock here
            yield executor, render_item
    return make


CLOCK: dict[str, float] = {}


MODES: dict[str, ModeFactory] = {
    "local-1": local(1),
    "local-2": local(2),
    "celery-1": celery(1),
    "celery-2": celery(2),
}


def measure(mode: str, pipeline: Any, options: RenderOptions, root: Path) -> dict[str, Any]:
    out = root / mode
    out.mkdir()
    items = [BatchItem(f"s{n:02d}", text, None) for n, text in enumerate(SENTENCES)]
    env = batch_env()
    start = time.perf_counter()
    CLOCK.clear()
    with MODES[mode](pipeline) as (executor, fn):
        start = CLOCK.get("start", start)
        manifest = run_batch(items, out, executor, env, dict(pipeline.versions()), options, fn=fn)
        seconds = time.perf_counter() - start
    counts = manifest["counts"]
    if counts["done"] != len(items):
        failed = [f"{e['id']}: {e['error']}" for e in manifest["items"] if e["status"] != "done"]
        raise RuntimeError(f"{mode}: not every clip was rendered: {failed}")
    video_s = sum(e["duration_s"] for e in manifest["items"])
    return {"mode": mode, "clips": counts["done"], "seconds": seconds, "per_minute": 60.0 * counts["done"] / seconds,
            "video_s": video_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--fps", type=int, default=25)
    parser.add_argument("--modes", default=",".join(MODES), help=f"comma-separated, of {', '.join(MODES)}")
    args = parser.parse_args()
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        parser.error(f"unknown mode(s) {', '.join(unknown)}; known: {', '.join(MODES)}")
    settings = Settings.from_env(os.environ)
    options = RenderOptions(width=args.size, height=args.size, fps=args.fps)
    pipeline = Pipeline(settings)
    try:
        pipeline.versions()  # lexicon and avatar loaded before the clock starts
        with tempfile.TemporaryDirectory(prefix="batch-bench-") as tmp:
            rows = [measure(mode, pipeline, options, Path(tmp)) for mode in modes]
    finally:
        pipeline.close()
    base = rows[0]["per_minute"]
    print(f"# batch throughput, {date.today()}, {platform.machine()}, {os.cpu_count()} cores, "
          f"{len(SENTENCES)} sentences at {args.size}x{args.size}, {args.fps} fps "
          f"({rows[0]['video_s']:.1f} s of video)")
    print(f"| mode | clips | wall s | clips/min | ratio to {rows[0]['mode']} |")
    print("|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['mode']} | {row['clips']} | {row['seconds']:.1f} | {row['per_minute']:.1f} | "
              f"{row['per_minute'] / base:.2f} |")


if __name__ == "__main__":
    main()
