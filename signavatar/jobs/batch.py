"""Render many sentences into one clip store and describe the result in DIR/manifest.json.

Input: a text file (one sentence per line; blank lines are skipped, ids are line numbers) or a CSV
with a "text" and/or "glosses" column and an optional "id" column.

manifest.json, version 1: {manifest_version, generator, created, options, counts {done, skipped,
failed}, items: [{id, text, glosses, clip_id, status (done | skipped | failed), paths {video,
subtitles, poster, metadata} relative to DIR, warnings, error}]}. Re-running skips clips already complete.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from signavatar.errors import InvalidInputError
from signavatar.frames_to_video.atomic import write_text_atomic
from signavatar.jobs.metadata import GENERATOR
from signavatar.jobs.render import PipelineLike, render_clip
from signavatar.jobs.request import clip_id, prepare_request
from signavatar.jobs.store import ClipStore
from signavatar.settings import Settings
from signavatar.types import ClipRequest, RenderOptions

MANIFEST_VERSION = 1
Progress = Callable[[int, int, dict[str, Any]], None]  # (done so far, total, last item)


@dataclass(frozen=True)
class BatchItem:
    id: str
    text: str | None
    glosses: str | None


def read_items(path: Path) -> list[BatchItem]:
    """Items of a .csv (columns text/glosses, optional id) or of a plain text file (one per line)."""
    raw = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() != ".csv":
        return [BatchItem(str(n), line.strip(), None) for n, line in enumerate(raw.splitlines(), 1) if line.strip()]
    reader = csv.DictReader(raw.splitlines())
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    if "text" not in columns and "glosses" not in columns:
        raise InvalidInputError(f"{path}: the CSV needs a 'text' or 'glosses' column; found {', '.join(columns) or 'none'}")
    items = []
    for n, row in enumerate(reader, 2):  # line 1 is the header
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        glosses = row.get("glosses") or None
        text = None if glosses else (row.get("text") or None)
        items.append(BatchItem(row.get("id") or str(n), text, glosses))
    return items


def run_batch(
    items: list[BatchItem], out_dir: Path, pipeline: PipelineLike, settings: Settings, options: RenderOptions,
    *, progress: Progress | None = None,
) -> dict[str, Any]:
    """Render every item (a failing one does not stop the rest); write and return the manifest."""
    store = ClipStore(out_dir / "clips")
    entries: list[dict[str, Any]] = []
    manifest: dict[str, Any] = {
        "manifest_version": MANIFEST_VERSION, "generator": GENERATOR,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "options": dataclasses.asdict(options), "counts": {}, "items": entries,
    }
    try:
        for n, item in enumerate(items, 1):
            entries.append(_render_one(item, out_dir, store, pipeline, settings, options))
            if progress is not None:
                progress(n, len(items), entries[-1])
    finally:  # an interrupted batch still leaves a manifest of what it did
        manifest["counts"] = {s: sum(e["status"] == s for e in entries) for s in ("done", "skipped", "failed")}
        write_text_atomic(out_dir / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return manifest


def _render_one(
    item: BatchItem, out_dir: Path, store: ClipStore, pipeline: PipelineLike, settings: Settings,
    options: RenderOptions,
) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": item.id, "text": item.text, "glosses": item.glosses, "clip_id": None,
                             "status": "failed", "paths": {}, "warnings": [], "error": None}
    try:
        request = prepare_request(ClipRequest(item.text, item.glosses, options), settings)
        cid = clip_id(request, pipeline.versions())
        entry["clip_id"] = cid
        skipped = store.is_complete(cid)
        clip = render_clip(request, pipeline, store, settings=settings)
        entry["status"] = "skipped" if skipped else "done"
        entry["glosses"] = str(clip.sequence)
        entry["warnings"] = list(clip.sequence.warnings)
        entry["paths"] = {
            name: str(Path(p).relative_to(out_dir))
            for name, p in (("video", clip.video_path), ("subtitles", clip.subtitles_path),
                            ("poster", clip.poster_path), ("metadata", clip.metadata_path))
        }
    except Exception as exc:  # one bad sentence must not stop the batch; its error goes to the manifest
        entry["error"] = str(exc) or type(exc).__name__
    return entry
