"""StoreQuota: keep the clip store under Settings.store_max_bytes by evicting unapproved drafts.

The service calls `added(clip_id)` after each clip is stored (its supervisor, after a job is done)
and `check_room()` before queueing a new render. It keeps a running total of the store's bytes
instead of walking the store per request: the store is walked once when first needed, then only
when the total is over the quota (to find what to evict), and at most every `walk_every_s`
seconds while the store is full of approved clips.

Eviction removes complete clips (clip.json present) whose review_state is not "approved", least
recently written first (clip.json's mtime: written last, rewritten by a review), until the total
is under `low_water` × quota, so one walk makes room for many renders. It never removes an
approved clip, a clip still being written (no clip.json yet), one whose job is queued or
running, or the clip just stored (which may leave the total over the quota until the next walk).
If the store is over the quota with approved clips alone, `check_room` refuses new
renders with StoreFull (HTTP 507) until a later walk finds room.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from signavatar.errors import SignavatarError
from signavatar.jobs.store import CLIP_ID, METADATA_NAME, ClipStore

log = logging.getLogger(__name__)

LOW_WATER = 0.9  # evict down to this share of the quota
WALK_EVERY_S = 30.0  # the least time between two walks of a full store (s)


class StoreFull(SignavatarError):
    """The clip store is over its quota with approved clips alone: no room for new renders."""

    def __init__(self, approved: int, limit: int) -> None:
        super().__init__(
            f"the clip store is full: {approved} bytes of approved clips, over the quota of {limit} bytes "
            "(store_max_bytes, SIGNAVATAR_STORE_MAX_BYTES); raise it or remove approved clips, then try again"
        )


@dataclass(frozen=True)
class StoredClip:
    clip_id: str
    folder: Path
    size: int  # bytes of its files
    written: float  # clip.json's mtime (UNIX s)
    approved: bool


def folder_bytes(folder: Path) -> int:
    """Bytes of the files directly in a clip folder (0 when it is gone)."""
    total = 0
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    if entry.is_file(follow_symlinks=False):
                        total += entry.stat(follow_symlinks=False).st_size
                except FileNotFoundError:
                    pass
    except (FileNotFoundError, NotADirectoryError):
        pass
    return total


def walk_store(root: Path) -> tuple[int, list[StoredClip]]:
    """(bytes of every clip folder, the complete clips) under a store root."""
    total, clips = 0, []
    for shard in _dirs(root):
        for folder in _dirs(shard):
            size = folder_bytes(folder)
            total += size
            meta = folder / METADATA_NAME
            if not CLIP_ID.fullmatch(folder.name):
                continue
            try:
                written = meta.stat().st_mtime
                approved = json.loads(meta.read_text(encoding="utf-8")).get("review_state") == "approved"
            except (OSError, ValueError):  # not complete (being written), or unreadable: keep it
                continue
            clips.append(StoredClip(folder.name, folder, size, written, approved))
    return total, clips


def _dirs(path: Path) -> Iterable[Path]:
    try:
        with os.scandir(path) as entries:
            return [Path(e.path) for e in entries if e.is_dir(follow_symlinks=False)]
    except (FileNotFoundError, NotADirectoryError):
        return []


class StoreQuota:
    """See the module docstring. `busy()` returns the clip ids whose jobs are queued or running;
    `evicted(ids)` is told which clips were removed (their done jobs are forgotten)."""

    def __init__(
        self, store: ClipStore, max_bytes: int, *, busy: Callable[[], set[str]] = set,
        evicted: Callable[[list[str]], None] = lambda ids: None, walk_every_s: float = WALK_EVERY_S,
    ) -> None:
        self.store, self.max_bytes = store, max_bytes
        self._busy, self._evicted, self._walk_every_s = busy, evicted, walk_every_s
        self._lock = threading.Lock()
        self._used: int | None = None  # None until the first walk
        self._full = False  # approved clips alone are over the quota
        self._approved = 0
        self._last_walk = 0.0

    @property
    def used_bytes(self) -> int | None:
        return self._used

    def added(self, clip_id: str) -> None:
        """A clip was stored: count it, and evict drafts when the store is over the quota."""
        if self.max_bytes <= 0:
            return
        with self._lock:
            if self._used is None:
                self._walk_and_evict(keep=clip_id)  # counts this clip too
                return
            self._used += folder_bytes(self.store.folder(clip_id))
            if self._used > self.max_bytes and not (self._full and self._recent_walk()):
                self._walk_and_evict(keep=clip_id)

    def check_room(self) -> None:
        """StoreFull when the store is over the quota with approved clips alone."""
        if self.max_bytes <= 0:
            return
        with self._lock:
            if self._used is None or (self._full and not self._recent_walk()):
                self._walk_and_evict()
            if self._full:
                raise StoreFull(self._approved, self.max_bytes)

    def _recent_walk(self) -> bool:
        return time.monotonic() - self._last_walk < self._walk_every_s

    def _walk_and_evict(self, keep: str | None = None) -> None:
        """Walk the store; over the quota, evict drafts (never `keep`: the clip just stored)."""
        self._last_walk = time.monotonic()
        used, clips = walk_store(self.store.root)
        if used > self.max_bytes:
            busy = self._busy() | {keep}
            target = int(self.max_bytes * LOW_WATER)
            gone: list[str] = []
            for clip in sorted((c for c in clips if not c.approved and c.clip_id not in busy), key=lambda c: c.written):
                if used <= target:
                    break
                shutil.rmtree(clip.folder, ignore_errors=True)
                used -= clip.size
                gone.append(clip.clip_id)
            if gone:
                log.info("store over its quota (%d bytes): evicted %d draft clips", self.max_bytes, len(gone))
                self._evicted(gone)
        self._used = used
        approved = self._approved = sum(c.size for c in clips if c.approved)
        self._full = approved > self.max_bytes
        if self._full:
            log.error("the clip store holds %d bytes of approved clips, over store_max_bytes (%d): new renders "
                      "are refused", approved, self.max_bytes)
