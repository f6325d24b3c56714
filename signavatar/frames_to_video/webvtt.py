"""WebVTT subtitles with the glosses, timed from the per-frame labels of a PoseTrack.

Captions are for viewers: a cue's text is the gloss as a viewer reads it (fingerspelling.viewer_gloss,
`fs-MEIER` -> `M-E-I-E-R`), while the labels, like every gloss string, keep the notation."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from signavatar.fingerspelling import viewer_gloss
from signavatar.frames_to_video.atomic import write_text_atomic

Cue = tuple[float, float, str]  # (start s, end s, text)


def cues_from_labels(labels: Sequence[str], fps: float) -> list[Cue]:
    """One cue per run of equal, non-empty frame labels, its text the label's viewer_gloss; frame i
    covers [i/fps, (i+1)/fps). Runs are told apart by the labels themselves (the token's gloss), so a
    cue spans exactly the frames of its token."""
    if fps <= 0:
        raise ValueError(f"fps must be positive, got {fps}")
    cues: list[Cue] = []
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            if labels[start]:
                cues.append((start / fps, i / fps, viewer_gloss(labels[start])))
            start = i
    return cues


def format_timestamp(seconds: float) -> str:
    ms = max(0, round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _escape(text: str) -> str:
    # Cue text must not contain "-->", raw "<" or "&", or blank lines.
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(text.split())


def webvtt_text(cues: Sequence[Cue]) -> str:
    parts = ["WEBVTT", ""]
    for n, (start, end, text) in enumerate(cues, 1):
        if end < start:
            raise ValueError(f"cue {n} ends ({end}) before it starts ({start})")
        parts += [str(n), f"{format_timestamp(start)} --> {format_timestamp(end)}", _escape(text), ""]
    return "\n".join(parts)


def write_webvtt(cues: Sequence[Cue], path: Path) -> None:
    write_text_atomic(Path(path), webvtt_text(cues))
