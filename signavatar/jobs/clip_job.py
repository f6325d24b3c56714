"""The job a worker process runs for the HTTP service: render one queued clip into the store."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Mapping
from typing import Any

from signavatar.jobs.plan import plan_from_dict
from signavatar.jobs.render import render_clip
from signavatar.jobs.request import clip_id, prepare_request
from signavatar.jobs.store import ClipStore
from signavatar.jobs.worker_pool import resolve
from signavatar.pipeline_protocols import PipelineFactory, RenderPipeline
from signavatar.settings import Settings
from signavatar.types import ClipRequest

log = logging.getLogger(__name__)

DEFAULT_PIPELINE = "signavatar.pipeline:Pipeline"


class ClipJob:
    """Made once per worker process: its own pipeline (and so its own offscreen renderer).

    A job's clip id is a hash of its request and the versions (code, lexicon, avatar) the service
    had when it was queued, so the job checks, before rendering, that its pipeline makes that id.
    When it does not, the lexicon (or avatar) files changed since one of them loaded: the job makes
    its pipeline again (reloading the files) and checks again. If the id still differs, the files
    changed after the job was keyed: the clip is rendered from the current files under its new id,
    which the job returns (the queue records it as the job's moved_to; nothing fails for good and
    nothing is rendered for nothing). The service's plan of the glosses (jobs/plan.py) is used when
    it was made with this pipeline's versions; else the job plans them again."""

    def __init__(self, settings: Settings, pipeline_factory: Any = DEFAULT_PIPELINE) -> None:
        self.settings = settings
        self._factory: PipelineFactory = resolve(pipeline_factory)
        self.pipeline: RenderPipeline = self._factory(settings)
        self.store = ClipStore(settings.data_dir / "clips")

    def __call__(self, cid: str, request: ClipRequest, plan: Mapping[str, Any] | None = None) -> str | None:
        """Render the job `cid`; the clip id it was stored under when not `cid`, else None."""
        actual = self._clip_id(request)
        if actual != cid:
            log.info("job %s: keyed with other versions than this worker's %s; loading the files again",
                     cid, self.pipeline.versions())
            self._remake()
            actual = self._clip_id(request)
        if actual == cid:
            self.store.discard_partial(cid)  # temp files of an earlier, killed attempt
        planned = plan_from_dict(plan, self.pipeline.versions()) if plan is not None and actual == cid else None
        clip = render_clip(request, self.pipeline, self.store, settings=self.settings, plan=planned)
        if clip.clip_id == cid:
            return None
        log.warning("job %s: the lexicon or avatar changed after it was queued; stored as clip %s (versions %s)",
                    cid, clip.clip_id, clip.versions)
        return clip.clip_id

    def _clip_id(self, request: ClipRequest) -> str:
        return clip_id(prepare_request(request, self.settings), self.pipeline.versions())

    def _remake(self) -> None:
        self.close()  # first: one renderer (GL context) per worker at a time
        self.pipeline = self._factory(self.settings)

    def close(self) -> None:
        self.pipeline.close()


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
