"""Render many items into one clip store and describe the result in DIR/manifest.json.

The runner checks every item first (options, limits, clip id with the current versions): items whose
clip is already complete in the store are skipped without rendering (a re-run resumes), the rest go
to an executor (`submit(fn, item, settings_env, out_dir, has_memory) -> Future`: in-process, the
BatchPool of local processes, or the CeleryExecutor) running batch_item.render_item. A failing item
never stops the batch. The store is out_dir/clips; everything else (the translation memory, the
lexicon, the limits) comes from settings_env, the configured settings, on every executor alike.

With stale=True only items whose earlier clip (same request, found in the store or in the previous
manifest) was rendered with another lexicon or avatar version are rendered again; the rest are skipped.

manifest.json, version 2 (MANIFEST_VERSION; format: docs/formats/batch-manifest.md):
{manifest_version, generator, created, options, versions, stale_only, counts {done, skipped, failed[,
stale]}, items: [{id, clip_id, status, text, glosses, duration_s, render_s, paths (relative to DIR),
warnings, error, versions[, stale, note]}]}, items in input order.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable
from concurrent.futures import Future, as_completed
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from signavatar.frames_to_video.atomic import write_text_atomic
from signavatar.jobs.batch_input import BatchItem, read_items
from signavatar.jobs.batch_item import clip_fields, new_entry, render_item
from signavatar.jobs.batch_pool import WorkerDiedError
from signavatar.jobs.metadata import GENERATOR, clip_from_metadata
from signavatar.jobs.request import clip_id, prepare_request, request_from_dict
from signavatar.jobs.store import METADATA_NAME, ClipStore
from signavatar.settings import Settings
from signavatar.translation_memory import MEMORY_FILENAME
from signavatar.types import RenderOptions

__all__ = ["BatchItem", "InlineExecutor", "read_items", "run_batch", "MANIFEST_VERSION"]

MANIFEST_VERSION = 2
STALE_KEYS = ("lexicon", "avatar")
Progress = Callable[[int, int, dict[str, Any]], None]  # (finished so far, total, last item's entry)
RenderFn = Callable[[dict[str, Any], dict[str, str], str, bool], dict[str, Any]]  # batch_item.render_item


class Executor(Protocol):
    def submit(self, fn: Any, /, *args: Any) -> Future[Any]: ...


class InlineExecutor:
    """Runs each submitted call at once in this process (--workers 1)."""

    def submit(self, fn: Any, /, *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # handed to the caller through the future, as a pool would
            future.set_exception(exc)
        return future


def item_dict(item: BatchItem, options: RenderOptions) -> dict[str, Any]:
    """The JSON-able job of one item: the batch's options with the item's overrides."""
    merged = {**dataclasses.asdict(options), **item.options}
    if isinstance(merged.get("background"), tuple):
        merged["background"] = list(merged["background"])
    return {"id": item.id, "text": item.text, "glosses": item.glosses, "options": merged}


def run_batch(
    items: list[BatchItem], out_dir: Path, executor: Executor, settings_env: dict[str, str],
    versions: dict[str, str], options: RenderOptions, *, stale: bool = False, progress: Progress | None = None,
    fn: RenderFn = render_item,
) -> dict[str, Any]:
    """Render every item (see the module docstring); write and return the manifest.

    settings_env: the SIGNAVATAR_* settings the items are rendered with (commands/batch.py batch_env); its
    data dir's translation memory translates the texts. The store is out_dir/clips."""
    settings = Settings.from_env(settings_env)
    has_memory = (settings.data_dir / MEMORY_FILENAME).is_file()
    store = ClipStore(out_dir / "clips")
    previous = _previous_clips(out_dir) if stale else {}
    old_versions = _stored_versions(store, versions) if stale else []
    entries: list[dict[str, Any]] = [{} for _ in items]
    manifest: dict[str, Any] = {
        "manifest_version": MANIFEST_VERSION, "generator": GENERATOR,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "options": dataclasses.asdict(options), "versions": dict(versions), "stale_only": stale,
        "counts": {}, "items": entries,
    }
    finished = 0
    pending: dict[Future[Any], int] = {}
    try:
        for n, item in enumerate(items):
            job = item_dict(item, options)
            entry = _check(job, settings, store, versions, stale, previous.get(item.id), old_versions)
            if entry is None:
                pending[executor.submit(fn, job, settings_env, str(out_dir), has_memory)] = n
                continue
            entries[n] = entry
            finished += 1
            if progress is not None:
                progress(finished, len(items), entry)
        for future in as_completed(pending):
            n = pending[future]
            entries[n] = _result(future, items[n])
            if stale:
                entries[n]["stale"] = True
            finished += 1
            if progress is not None:
                progress(finished, len(items), entries[n])
    finally:  # an interrupted batch still leaves a manifest of what it did
        for future in pending:
            future.cancel()
        done = [e for e in entries if e]
        manifest["items"] = done
        manifest["counts"] = {s: sum(e["status"] == s for e in done) for s in ("done", "skipped", "failed")}
        if stale:
            manifest["counts"]["stale"] = sum(bool(e.get("stale")) for e in done)
        write_text_atomic(out_dir / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return manifest


def _result(future: Future[Any], item: BatchItem) -> dict[str, Any]:
    start = time.monotonic()
    try:
        entry: dict[str, Any] = future.result()
    except Exception as exc:  # a worker that died (or a broker error): this item failed, the batch goes on
        entry = new_entry({"id": item.id, "text": item.text, "glosses": item.glosses})
        prefix = "" if isinstance(exc, WorkerDiedError) else "worker failed: "  # its message says so
        entry["error"] = f"{prefix}{str(exc) or type(exc).__name__}"
        entry["render_s"] = round(time.monotonic() - start, 3)
    return entry


def _check(
    job: dict[str, Any], settings: Settings, store: ClipStore, versions: dict[str, str], stale: bool,
    previous_clip: str | None, old_versions: list[dict[str, str]],
) -> dict[str, Any] | None:
    """The entry of an item decided without rendering (invalid, complete, or not stale), else None."""
    entry = new_entry(job)
    try:
        request = prepare_request(request_from_dict(job), settings)
        cid = clip_id(request, versions)
    except Exception as exc:  # bad options or text: reported for this item only
        entry["error"] = str(exc) or type(exc).__name__
        return entry
    entry["clip_id"] = cid
    meta = store.read_metadata(cid)
    if meta is not None:
        entry.update(clip_fields(clip_from_metadata(meta, store.folder(cid)), store.root.parent))
        entry["status"] = "skipped"
        if stale:
            entry["stale"] = False
        return entry
    if not stale:
        return None
    candidates = [previous_clip] if previous_clip else []
    candidates += [clip_id(request, v) for v in old_versions]
    for old in candidates:
        old_meta = store.read_metadata(old)
        if old_meta is not None and _is_stale(old_meta.get("versions", {}), versions):
            return None  # rendered again; the runner marks it stale
    entry["status"] = "skipped"
    entry["stale"] = False
    entry["error"] = None
    entry["clip_id"] = None
    entry["note"] = "no earlier clip of this item: not rendered with --stale"
    return entry


def _is_stale(old: dict[str, str], current: dict[str, str]) -> bool:
    return any(old.get(k) != current.get(k) for k in STALE_KEYS)


def _previous_clips(out_dir: Path) -> dict[str, str]:
    """item id -> clip id of the earlier manifest in out_dir (empty when there is none or it is unreadable)."""
    try:
        data = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
        return {str(e["id"]): e["clip_id"] for e in data.get("items", []) if e.get("clip_id")}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _stored_versions(store: ClipStore, current: dict[str, str]) -> list[dict[str, str]]:
    """Every other versions set of a clip in the store (to find an item's earlier clip by its id)."""
    seen: list[dict[str, str]] = []
    for path in store.root.glob(f"*/*/{METADATA_NAME}"):
        try:
            versions = json.loads(path.read_text(encoding="utf-8")).get("versions")
        except (OSError, ValueError):
            continue
        if isinstance(versions, dict) and versions != current and versions not in seen:
            seen.append(versions)
    return seen

