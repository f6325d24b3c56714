"""clip.json: everything needed to serve, audit and label a clip (schema 1, METADATA_SCHEMA).

The format, every field with its type and meaning, and how its version changes:
docs/formats/clip-json.md (tests/jobs/test_format_specs.py keeps the two in step).
In short: schema, clip_id, machine_generated (always true), review_state ("draft" until an editor
approves), notice (shown with the clip: AI Act transparency), generator, created, request, options,
glosses, gloss_string, sentence_type, source_text, warnings, versions, fps, duration, frame_count,
files; `review` after a decision. public_metadata is the view anyone may read.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from signavatar import __version__
from signavatar.jobs.request import request_to_dict
from signavatar.types import Clip, ClipRequest, GlossSequence, GlossToken

METADATA_SCHEMA = 1
NOTICE = "Machine-generated DGS translation draft; not reviewed by a Deaf signer."
#: the notice of an approved clip
APPROVED_NOTICE = "Machine-generated DGS translation; glosses approved by an editor on {date}."
GENERATOR = f"signavatar {__version__}"


def public_metadata(meta: dict[str, Any]) -> dict[str, Any]:
    """clip.json as anyone may read it (status, metadata.json): the review's decision and date,
    never who decided or why. Clips reviewed before names were kept out of clip.json still carry
    them in the file; this view drops them, and says the notice anew from the state and date."""
    out = dict(meta)
    review = meta.get("review")
    if isinstance(review, dict):
        out["review"] = {k: review[k] for k in ("action", "time") if k in review}
    state, when = meta.get("review_state", "draft"), str(out.get("review", {}).get("time", ""))
    if state == "approved" and when:
        out["notice"] = APPROVED_NOTICE.format(date=when[:10])
    elif state != "approved":
        out["notice"] = NOTICE
    return out


def sequence_to_dict(seq: GlossSequence) -> dict[str, Any]:
    return {
        "glosses": [_token_to_dict(t) for t in seq.tokens],
        "gloss_string": str(seq),
        "sentence_type": seq.sentence_type,
        "source_text": seq.source_text,
        "warnings": list(seq.warnings),
    }


def _token_to_dict(t: GlossToken) -> dict[str, Any]:
    out: dict[str, Any] = {"gloss": t.gloss, "words": list(t.words), "kind": t.kind, "nonmanual": list(t.nonmanual)}
    if t.mouthing is not None:  # only an editor's choice; clips without one keep their old form
        out["mouthing"] = t.mouthing
    return out


def sequence_from_dict(data: dict[str, Any]) -> GlossSequence:
    tokens = tuple(
        GlossToken(t["gloss"], tuple(t.get("words", ())), t.get("kind", "lexicon"), tuple(t.get("nonmanual", ())),
                   mouthing=t.get("mouthing"))
        for t in data.get("glosses", ())
    )
    return GlossSequence(
        tokens, data.get("sentence_type", "statement"), data.get("source_text", ""), tuple(data.get("warnings", ()))
    )


def build_metadata(
    *, clip_id: str, request: ClipRequest, seq: GlossSequence, versions: dict[str, str],
    frame_count: int, files: dict[str, str],
) -> dict[str, Any]:
    fps = request.options.fps
    req = request_to_dict(request)
    asked = {"text": req["text"], "glosses": req["glosses"]}
    if request.source_text is not None:
        asked["source_text"] = request.source_text
    seq_fields = sequence_to_dict(seq)
    if request.source_text is not None:  # hand-written glosses parse with no text of their own
        seq_fields["source_text"] = request.source_text
    return {
        "schema": METADATA_SCHEMA,
        "clip_id": clip_id,
        "machine_generated": True,
        "review_state": "draft",
        "notice": NOTICE,
        "generator": GENERATOR,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "request": asked,
        "options": dataclasses.asdict(request.options),
        **seq_fields,
        "versions": dict(versions),
        "fps": fps,
        "duration": round(frame_count / fps, 3),
        "frame_count": frame_count,
        "files": files,
    }


def clip_from_metadata(meta: dict[str, Any], folder: Path) -> Clip:
    files = meta["files"]
    return Clip(
        clip_id=meta["clip_id"],
        video_path=str(folder / files["video"]),
        subtitles_path=str(folder / files["subtitles"]),
        poster_path=str(folder / files["poster"]),
        metadata_path=str(folder / "clip.json"),
        duration=float(meta["duration"]),
        frame_count=int(meta["frame_count"]),
        sequence=sequence_from_dict(meta),
        versions=dict(meta["versions"]),
        machine_generated=bool(meta.get("machine_generated", True)),
        review_state=meta.get("review_state", "draft"),
        motion_path=str(folder / files["motion"]) if files.get("motion") else "",
    )
