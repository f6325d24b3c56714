"""The job a worker process runs for the HTTP service: render one queued clip into the store."""

from __future__ import annotations

import functools
import sys
from typing import Any

from signavatar.jobs.render import PipelineLike, render_clip
from signavatar.jobs.store import ClipStore
from signavatar.jobs.worker_pool import resolve
from signavatar.settings import Settings
from signavatar.types import ClipRequest

DEFAULT_PIPELINE = "signavatar.pipeline:Pipeline"


class ClipJob:
    """Made once per worker process: its own pipeline (and so its own offscreen renderer)."""

    def __init__(self, settings: Settings, pipeline_factory: Any = DEFAULT_PIPELINE) -> None:
        self.settings = settings
        self.pipeline: PipelineLike = resolve(pipeline_factory)(settings)
        self.store = ClipStore(settings.data_dir / "clips")

    def __call__(self, cid: str, request: ClipRequest) -> None:
        self.store.discard_partial(cid)  # temp files of an earlier, killed attempt
        clip = render_clip(request, self.pipeline, self.store, settings=self.settings)
        if clip.clip_id != cid:
            raise RuntimeError(f"rendered clip {clip.clip_id}, expected {cid}: pipeline versions differ")

    def close(self) -> None:
        close = getattr(self.pipeline, "close", None)
        if close is not None:
            close()


def clip_job_factory(settings: Settings, pipeline_factory: Any = None) -> functools.partial[ClipJob]:
    """A picklable factory of ClipJob for JobQueue: `pipeline_factory(settings)` makes the pipeline
    in the worker (a module-level callable or a dotted path "module:name"; default the real one)."""
    return functools.partial(ClipJob, settings, importable(pipeline_factory or DEFAULT_PIPELINE))


def importable(obj: Any) -> Any:
    """`obj`, or a dotted path to it when it was defined in a script run as `python -m pkg.mod`
    (pickle would name it "__main__.x", which a worker process cannot import)."""
    if getattr(obj, "__module__", None) == "__main__":
        spec = getattr(sys.modules["__main__"], "__spec__", None)
        if spec is not None and spec.name != "__main__":
            return f"{spec.name}:{obj.__qualname__}"
    return obj
