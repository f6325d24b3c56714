"""Content-addressed clip store: one folder per clip id, clip.json written last marks it complete.

root/<id[:2]>/<id>/video.<fmt>, subtitles.vtt, poster.png (+ poster.jpg, poster.webp), motion.glb, clip.json
(+ motion.pose when asked for);
clip.json's format: docs/formats/clip-json.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from signavatar.errors import InvalidInputError
from signavatar.frames_to_video.atomic import write_text_atomic
from signavatar.frames_to_video.poster import variant_path
from signavatar.jobs.clip_record import ClipRecord
from signavatar.types import VIDEO_FORMATS

CLIP_ID = re.compile(r"[0-9a-f]{32}")
METADATA_NAME = "clip.json"
POSE_NAME = "motion.pose"
MOTION_NAME = "motion.glb"


def check_clip_id(clip_id: str) -> str:
    """Refuse anything that is not 32 lowercase hex characters before it can touch a path."""
    if not isinstance(clip_id, str) or not CLIP_ID.fullmatch(clip_id):
        raise InvalidInputError("a clip id is 32 lowercase hexadecimal characters")
    return clip_id


@dataclass(frozen=True)
class ClipPaths:
    folder: Path
    video: Path
    subtitles: Path
    poster: Path
    metadata: Path
    pose: Path  # MediaPipe-Holistic .pose of the motion; only written when options.pose
    poster_jpeg: Path  # the poster's web copies (older clips: made from poster.png when first asked for)
    poster_webp: Path
    motion: Path  # the motion as glTF for the 3D player (exports/gltf_motion.py); written when there is an avatar


class ClipStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def folder(self, clip_id: str) -> Path:
        check_clip_id(clip_id)
        return self.root / clip_id[:2] / clip_id

    def paths(self, clip_id: str, fmt: str = "mp4") -> ClipPaths:
        if fmt not in VIDEO_FORMATS:
            raise InvalidInputError(f"format must be one of {', '.join(VIDEO_FORMATS)}; got {fmt!r}")
        d = self.folder(clip_id)
        poster = d / "poster.png"
        return ClipPaths(
            d, d / f"video.{fmt}", d / "subtitles.vtt", poster, d / METADATA_NAME, d / POSE_NAME,
            poster_jpeg=variant_path(poster, "jpg"), poster_webp=variant_path(poster, "webp"), motion=d / MOTION_NAME,
        )

    def is_complete(self, clip_id: str) -> bool:
        return (self.folder(clip_id) / METADATA_NAME).is_file()

    def read_metadata(self, clip_id: str) -> dict[str, Any] | None:
        """The clip's metadata, or None when the clip is not (completely) stored."""
        path = self.folder(clip_id) / METADATA_NAME
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return data

    def write_metadata(self, clip_id: str, metadata: dict[str, Any]) -> Path:
        """Write clip.json atomically; call it after every other file of the clip is in place."""
        path = self.folder(clip_id) / METADATA_NAME
        write_text_atomic(path, json.dumps(metadata, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
        return path

    def read_clip(self, clip_id: str) -> ClipRecord | None:
        """The clip's metadata as a typed record, or None when the clip is not (completely) stored."""
        meta = self.read_metadata(clip_id)
        return None if meta is None else ClipRecord.from_dict(meta)

    def video_path(self, clip_id: str) -> Path | None:
        clip = self.read_clip(clip_id)
        if clip is None:
            return None
        return self.paths(clip_id, clip.format).video

    def discard_partial(self, clip_id: str) -> int:
        """Remove temp files (".<name>.<hex>.part") a killed render left in the clip's folder;
        call it only while no other render of this clip runs. Returns how many were removed."""
        removed = 0
        for temp in self.folder(clip_id).glob(".*.part"):
            temp.unlink(missing_ok=True)
            removed += 1
        return removed
