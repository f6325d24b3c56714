"""A stored clip's clip.json read back as a typed record (format: docs/formats/clip-json.md).

The HTTP shell serves files, status and embed pages from it instead of indexing a dict
(`meta["options"]["format"]`); `data` keeps the whole file for the views that show it (the public
metadata, a review that rewrites it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from signavatar.types import VIDEO_FORMATS, VideoFormat


@dataclass(frozen=True)
class ClipRecord:
    clip_id: str
    format: VideoFormat
    width: int
    height: int
    files: Mapping[str, str]  # "video", "subtitles", "poster" (and "pose", "motion") -> file name in the clip folder
    review_state: str  # "draft" | "approved" | "rejected"
    request_text: str  # the request's German text ("" for hand-written glosses)
    source_text: str  # the German sentence the glosses translate
    gloss_string: str
    data: Mapping[str, Any]  # the whole clip.json

    @property
    def text(self) -> str:
        """The German text the clip signs: the request's text, else its source_text ("" when neither)."""
        return self.request_text or self.source_text

    @property
    def has_pose(self) -> bool:
        """The clip was rendered with its motion as a .pose file (options.pose)."""
        return "pose" in self.files

    @property
    def has_motion(self) -> bool:
        """The clip has its motion as glTF (motion.glb: every clip rendered with an avatar since it existed)."""
        return "motion" in self.files

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ClipRecord:
        """The record of a clip.json; ValueError naming the field when a needed one is missing or wrong."""
        try:
            options, files = data["options"], data["files"]
            fmt = options["format"]
            if fmt not in VIDEO_FORMATS:
                raise ValueError(f"options.format {fmt!r}")
            request = data.get("request") or {}
            return cls(
                clip_id=str(data["clip_id"]), format=cast(VideoFormat, fmt), width=int(options["width"]),
                height=int(options["height"]), files={str(k): str(v) for k, v in dict(files).items()},
                review_state=str(data.get("review_state", "draft")),
                request_text=str(request.get("text") or ""), source_text=str(data.get("source_text") or ""),
                gloss_string=str(data.get("gloss_string", "")), data=data,
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"clip.json lacks or mistypes {exc}") from None
