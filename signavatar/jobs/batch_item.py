"""render_item: render ONE batch item into the clip store; the function every batch executor runs
(in-process, the local BatchPool, or a Celery worker: signavatar/distributed/).

item: {"id", "text" | "glosses", "options": {RenderOptions fields}} (JSON-able: it may cross a broker).
settings_env: SIGNAVATAR_* variables, the submitter's configured settings: SIGNAVATAR_DATA_DIR is the
data dir whose translation memory translates the text (the one `signavatar gloss` and the service
use), SIGNAVATAR_LEXICON_DIR / _MODELS_DIR the lexicon and avatar, and the limits.
SIGNAVATAR_PIPELINE ("module:name", default the real Pipeline) chooses the pipeline factory.
out_dir: the folder the clip goes to, <out_dir>/clips (a folder every worker shares; a batch's
--out); paths in the result are relative to it. Default: the data dir (the HTTP service's store).
has_memory: the submitter has a translation memory; a worker that cannot see it at the data dir
fails the item instead of translating it without the approved glosses.

Returns {"id", "clip_id", "status": "done" | "skipped" | "failed", "text", "glosses", "duration_s",
"render_s", "paths" {video, subtitles, poster, metadata, motion; relative to out_dir}, "warnings", "error",
"versions"}, an item of manifest.json (docs/formats/batch-manifest.md); a failing render gives
status "failed" with its message, never an exception.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from signavatar.jobs.plan import PLAN_KEY, plan_from_dict
from signavatar.jobs.render import render_clip
from signavatar.jobs.request import clip_id, prepare_request, request_from_dict
from signavatar.jobs.store import ClipStore
from signavatar.pipeline_protocols import RenderPipeline
from signavatar.settings import Settings
from signavatar.translation_memory import MEMORY_FILENAME
from signavatar.types import Clip

#: settings a worker is never sent (they may cross a broker, and a render needs none of them)
NOT_FOR_WORKERS = ("api_key", "editor_key", "broker_url", "queue_backend")
DEFAULT_PIPELINE = "signavatar.pipeline:Pipeline"
PIPELINE_ENV = "SIGNAVATAR_PIPELINE"

# One pipeline per process and configuration: it keeps its lexicon, avatar and renderers between items.
_PIPELINES: dict[tuple[tuple[str, str], ...], RenderPipeline] = {}


def render_item(
    item: dict[str, Any], settings_env: dict[str, str], out_dir: str | None = None, has_memory: bool = False,
) -> dict[str, Any]:
    """Render `item` with this process's cached pipeline; see the module docstring."""
    start = time.monotonic()
    try:
        settings = Settings.from_env(settings_env)
        memory = settings.data_dir / MEMORY_FILENAME
        if has_memory and not memory.is_file():
            raise FileNotFoundError(
                f"the translation memory {memory} is not on this worker, so the approved translations would be "
                "ignored: give the worker the submitter's data dir (SIGNAVATAR_DATA_DIR at the same path, or "
                "inside the shared --out folder)")
        pipeline = _pipeline(settings_env, settings)
    except Exception as exc:  # a worker that cannot even start reports it per item
        entry = new_entry(item)
        entry["error"] = f"worker set-up failed: {str(exc) or type(exc).__name__}"
        entry["render_s"] = round(time.monotonic() - start, 3)
        return entry
    return render_with(item, pipeline, settings, Path(out_dir) if out_dir else None)


def _pipeline(settings_env: dict[str, str], settings: Settings) -> RenderPipeline:
    from signavatar.jobs.worker_pool import resolve

    key = tuple(sorted(settings_env.items()))
    if key not in _PIPELINES:
        _PIPELINES[key] = resolve(settings_env.get(PIPELINE_ENV) or DEFAULT_PIPELINE)(settings)
    return _PIPELINES[key]


def new_entry(item: dict[str, Any]) -> dict[str, Any]:
    return {"id": str(item.get("id")), "clip_id": None, "status": "failed", "text": item.get("text"),
            "glosses": item.get("glosses"), "duration_s": None, "render_s": 0.0, "paths": {},
            "warnings": [], "error": None, "versions": {}}


def render_with(
    item: dict[str, Any], pipeline: RenderPipeline, settings: Settings, out_dir: Path | None = None,
) -> dict[str, Any]:
    """render_item with a given pipeline (the in-process batch uses the CLI's own); the clip goes to
    <out_dir or settings.data_dir>/clips."""
    start = time.monotonic()
    root = settings.data_dir if out_dir is None else out_dir
    entry = new_entry(item)
    try:
        request = prepare_request(request_from_dict(item), settings)
        versions = pipeline.versions()
        entry["versions"] = dict(versions)
        cid = clip_id(request, versions)
        entry["clip_id"] = cid
        store = ClipStore(root / "clips")
        skipped = store.is_complete(cid)
        plan = item.get(PLAN_KEY)  # the HTTP service's plan of a job it sent to a Celery worker
        planned = plan_from_dict(plan, versions) if isinstance(plan, dict) else None
        clip = render_clip(request, pipeline, store, settings=settings, plan=planned)
        entry.update(clip_fields(clip, root))
        entry["status"] = "skipped" if skipped else "done"
    except Exception as exc:  # one bad sentence must not stop the batch; its error goes to the manifest
        entry["error"] = str(exc) or type(exc).__name__
    entry["render_s"] = round(time.monotonic() - start, 3)
    return entry


def clip_fields(clip: Clip, data_dir: Path) -> dict[str, Any]:
    """The manifest fields a stored clip gives: glosses, warnings, duration, versions, paths."""
    return {
        "clip_id": clip.clip_id,
        "glosses": str(clip.sequence),
        "warnings": list(clip.sequence.warnings),
        "duration_s": clip.duration,
        "versions": dict(clip.versions),
        "paths": {
            name: str(Path(p).relative_to(data_dir))
            for name, p in (("video", clip.video_path), ("subtitles", clip.subtitles_path),
                            ("poster", clip.poster_path), ("metadata", clip.metadata_path),
                            ("motion", clip.motion_path))
            if p
        },
    }
