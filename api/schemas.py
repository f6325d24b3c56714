"""Request and response bodies of the HTTP API."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.review_text import EditorName, EditorNote
from signavatar.jobs.clip_record import ClipRecord
from signavatar.jobs.metadata import public_metadata
from signavatar.jobs.request import parse_background
from signavatar.types import ClipRequest, RenderOptions

_DEFAULT = RenderOptions()


class OptionsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    width: int = _DEFAULT.width
    height: int = _DEFAULT.height
    fps: int = _DEFAULT.fps
    format: Literal["mp4", "webm", "gif"] = _DEFAULT.format
    speed: float = _DEFAULT.speed
    #: "#rrggbb", "transparent" (webm only), or [r, g, b]
    background: str | tuple[int, int, int] | None = _DEFAULT.background
    #: also write the motion as a MediaPipe-Holistic .pose file (served at .../motion.pose)
    pose: bool = _DEFAULT.pose


class ClipIn(BaseModel):
    """Either German `text` or hand-written `glosses` ("TERMIN ICH BRAUCHEN"), plus options;
    with glosses, `source_text` names the German sentence they translate (an editor's correction:
    approving the clip stores the glosses for that sentence in the translation memory)."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = None
    glosses: str | None = None
    source_text: str | None = None
    options: OptionsIn = Field(default_factory=OptionsIn)

    def to_request(self) -> ClipRequest:
        o = self.options
        return ClipRequest(
            text=self.text, glosses=self.glosses,
            options=RenderOptions(o.width, o.height, o.fps, o.format, o.speed, parse_background(o.background), o.pose),
            source_text=self.source_text,
        )


def clip_urls(clip_id: str, pose: bool = False, motion: bool = False) -> dict[str, str]:
    base = f"/v1/clips/{clip_id}"
    urls = {
        "video": f"{base}/video",
        "subtitles": f"{base}/subtitles.vtt",
        "poster": f"{base}/poster.png",
        "metadata": f"{base}/metadata.json",
        "status": base,
    }
    if pose:
        urls["pose"] = f"{base}/motion.pose"
    if motion:
        urls["motion"] = f"{base}/motion.glb"
    return urls


def done_body(clip: ClipRecord) -> dict[str, Any]:
    """The status of a stored clip, from its clip.json (public_metadata: no editors' names)."""
    meta = public_metadata(dict(clip.data))
    return {
        "id": clip.clip_id,
        "status": "done",
        "urls": clip_urls(clip.clip_id, pose=clip.has_pose, motion=clip.has_motion),
        "glosses": meta["glosses"],
        "gloss_string": meta["gloss_string"],
        "sentence_type": meta["sentence_type"],
        "warnings": meta["warnings"],
        "duration": meta["duration"],
        "frame_count": meta["frame_count"],
        "format": clip.format,
        "machine_generated": meta.get("machine_generated", True),
        "review_state": meta.get("review_state", "draft"),
        "notice": meta["notice"],
    }


class MemoryIn(BaseModel):
    """An editor's approval: these glosses are right for this sentence (POST /v1/memory)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)  # length: Settings.max_text_chars (jobs/request.py prepare_text)
    glosses: str = Field(min_length=1)  # length: Settings.max_text_chars (the gloss parser)
    editor: EditorName = Field(min_length=1, max_length=200)
    comment: EditorNote = Field(default="", max_length=2000)
