"""WebVTT subtitles with the glosses, timed from the per-frame labels of a PoseTrack.

Captions are for viewers: a cue's text is the gloss as a viewer reads it (fingerspelling.viewer_gloss,
`fs-MEIER` -> `M-E-I-E-R`), while the labels, like every gloss string, keep the notation. parse_webvtt
reads such a file back (the embed page times its gloss line by it)."""

from __future__ import annotations

import html
import re
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


_TIMESTAMP = re.compile(r"(?:(\d+):)?([0-5]\d):([0-5]\d)\.(\d{3})")


def parse_timestamp(text: str) -> float:
    """"00:01:02.345" or "01:02.345" -> seconds; ValueError for anything else."""
    m = _TIMESTAMP.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"not a WebVTT timestamp: {text[:40]!r}")
    hours, minutes, seconds, ms = m.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(ms) / 1000


def parse_webvtt(text: str) -> list[Cue]:
    """The cues of a WebVTT file as webvtt_text writes it (and the common subset others write: cue
    ids optional, settings after the end time ignored, NOTE/STYLE/REGION blocks skipped, a cue's
    lines joined by a space, its entities &amp; &lt; &gt; decoded, tags such as <v> removed).
    Raises ValueError, naming the line, for a file that is not WebVTT or a cue that is broken."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or not (lines[0] == "WEBVTT" or lines[0].startswith(("WEBVTT ", "WEBVTT\t"))):
        raise ValueError("not a WebVTT file: the first line is not 'WEBVTT'")
    cues: list[Cue] = []
    blocks: list[list[tuple[int, str]]] = [[]]
    for number, line in enumerate(lines[1:], 2):
        if line.strip():
            blocks[-1].append((number, line))
        elif blocks[-1]:
            blocks.append([])
    for block in blocks:
        timing = next((i for i, (_, line) in enumerate(block) if "-->" in line), None)
        if timing is None or timing > 1:
            continue  # the header's rest, NOTE, STYLE, REGION: not cues
        number, line = block[timing]
        start_text, _, rest = line.partition("-->")
        rest_fields = rest.split()
        if not rest_fields:
            raise ValueError(f"line {number}: a cue timing without an end time: {line[:60]!r}")
        try:
            start, end = parse_timestamp(start_text), parse_timestamp(rest_fields[0])
        except ValueError as exc:
            raise ValueError(f"line {number}: {exc}") from None
        if end < start:
            raise ValueError(f"line {number}: the cue ends ({end}) before it starts ({start})")
        payload = " ".join(" ".join(line.split()) for _, line in block[timing + 1 :])
        cues.append((start, end, html.unescape(_TAG.sub("", payload)).strip()))
    return cues


_TAG = re.compile(r"<[^>]*>")


def read_webvtt(path: Path) -> list[Cue]:
    """The cues of the WebVTT file at `path` (parse_webvtt); OSError when it cannot be read,
    ValueError (naming the file) when it is not WebVTT or not UTF-8."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text ({exc.reason})") from None
    try:
        return parse_webvtt(text)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
