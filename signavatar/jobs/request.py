"""Normalise and validate a ClipRequest, and derive its clip id.

Equal requests (after normalisation) rendered by equal versions of code, lexicon and avatar share
one clip id, so they share one render.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
from collections.abc import Mapping
from typing import Any

from signavatar.errors import InvalidInputError
from signavatar.frames_to_video.encode import ALPHA_FORMATS
from signavatar.settings import Settings
from signavatar.text_to_gloss.input_text import check_length, normalise_text
from signavatar.types import VIDEO_FORMATS, ClipRequest, RenderOptions

ID_SCHEMA = 1  # bump when the meaning of a request changes, so old ids are not reused
MIN_SIZE = 16
SPEED_RANGE = (0.25, 4.0)
_HEX_COLOUR = re.compile(r"#([0-9a-fA-F]{6})")


def normalise_request(request: ClipRequest) -> ClipRequest:
    """The canonical form of `request`; raises InvalidInputError saying what to change.

    Checks only what holds for every deployment; `check_limits` adds the configured limits.
    """
    text = _optional_str("text", request.text)
    glosses = _optional_str("glosses", request.glosses)
    if text is None and glosses is None:
        blank = "glosses are" if request.glosses is not None else "text is" if request.text is not None else "both are"
        raise InvalidInputError(f"give either text (German) or glosses (e.g. 'TERMIN ICH BRAUCHEN'); {blank} empty")
    if text is not None and glosses is not None:
        raise InvalidInputError("give either text or glosses, not both")
    source_text = _optional_str("source_text", request.source_text)
    if source_text is not None and glosses is None:
        raise InvalidInputError(
            "source_text goes with glosses (the German sentence they translate); with text, leave it out"
        )
    return ClipRequest(
        text=text, glosses=glosses, options=normalise_options(request.options), source_text=source_text
    )


def _optional_str(name: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInputError(f"{name} must be a string")
    value = normalise_text(value)
    return value or None


def normalise_options(options: RenderOptions) -> RenderOptions:
    width = _int("width", options.width)
    height = _int("height", options.height)
    fps = _int("fps", options.fps)
    for name, size in (("width", width), ("height", height)):
        if size < MIN_SIZE or size % 2:
            raise InvalidInputError(f"{name} must be an even number of pixels, at least {MIN_SIZE}; got {size}")
    if fps < 1:
        raise InvalidInputError(f"fps must be at least 1, got {fps}")
    fmt = options.format
    if fmt not in VIDEO_FORMATS:
        raise InvalidInputError(f"format must be one of {', '.join(VIDEO_FORMATS)}; got {fmt!r}")
    speed = options.speed
    if isinstance(speed, bool) or not isinstance(speed, (int, float)) or not math.isfinite(speed):
        raise InvalidInputError(f"speed must be a number, got {speed!r}")
    if not SPEED_RANGE[0] <= speed <= SPEED_RANGE[1]:
        raise InvalidInputError(f"speed must be between {SPEED_RANGE[0]} and {SPEED_RANGE[1]}; got {speed}")
    background = parse_background(options.background)
    if background is None and fmt not in ALPHA_FORMATS:
        raise InvalidInputError(
            f"a transparent background needs a format with alpha: use webm (VP9 with alpha; the poster is a "
            f"PNG with alpha); {fmt} cannot carry transparency"
        )
    if not isinstance(options.pose, bool):
        raise InvalidInputError(f"pose must be true or false, got {options.pose!r}")
    return RenderOptions(
        width=width, height=height, fps=fps, format=fmt, speed=round(float(speed), 3), background=background,
        pose=options.pose,
    )


def parse_background(value: object) -> tuple[int, int, int] | None:
    """A background colour as (r, g, b) 0..255, or None for transparent.

    Accepts "#rrggbb", "transparent", None (transparent) or three integers; InvalidInputError otherwise.
    """
    if value is None or (isinstance(value, str) and value.strip().lower() == "transparent"):
        return None
    if isinstance(value, str):
        match = _HEX_COLOUR.fullmatch(value.strip())
        if match is None:
            raise InvalidInputError(f'background must be "#rrggbb" or "transparent"; got {value!r}')
        digits = match.group(1)
        return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))
    bg = tuple(value) if isinstance(value, (tuple, list)) else (value,)
    if len(bg) != 3 or not all(isinstance(c, int) and not isinstance(c, bool) and 0 <= c <= 255 for c in bg):
        raise InvalidInputError(
            f'background must be "#rrggbb", "transparent" or three integers 0..255 (red, green, blue); got {value!r}'
        )
    return (int(bg[0]), int(bg[1]), int(bg[2]))


def _int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise InvalidInputError(f"{name} must be a whole number, got {value!r}")
    return int(value)


def check_limits(request: ClipRequest, settings: Settings) -> ClipRequest:
    """`request`, or InvalidInputError when a normalised request exceeds the limits of this deployment."""
    limit = settings.max_text_chars
    if request.text is not None:
        check_length("text", request.text, limit)
    if request.source_text is not None:
        check_length("source_text", request.source_text, limit)
    if request.glosses is not None:
        check_length("glosses", request.glosses, limit, "split the sequence")
        count = len(request.glosses.split())
        if count > settings.max_glosses:
            raise InvalidInputError(f"{count} glosses; the limit is {settings.max_glosses}: split the sequence")
    o = request.options
    if max(o.width, o.height) > settings.max_size:
        raise InvalidInputError(
            f"size {o.width}x{o.height} is too large; the limit is {settings.max_size} pixels (max_size) for the "
            "width and the height"
        )
    if o.fps > settings.max_fps:
        raise InvalidInputError(f"fps {o.fps} is too high; the limit is {settings.max_fps} (max_fps)")
    return request


def prepare_text(value: str, settings: Settings, example: str = "Ich brauche einen Termin.") -> str:
    """A German text asked for on its own (GET /v1/gloss, POST /v1/memory, `signavatar gloss`)
    cleaned as a request's text is; InvalidInputError when it is empty or over max_text_chars."""
    text = normalise_text(value)
    if not text:
        raise InvalidInputError(f"text is empty: give a German sentence, e.g. {example}")
    return check_length("text", text, settings.max_text_chars)


def prepare_request(request: ClipRequest, settings: Settings) -> ClipRequest:
    """The one way into the pipeline: `request` normalised (normalise_request) and within the
    limits of `settings` (check_limits); InvalidInputError saying what to change."""
    return check_limits(normalise_request(request), settings)


def request_to_dict(request: ClipRequest) -> dict[str, Any]:
    data = {"text": request.text, "glosses": request.glosses, "options": dataclasses.asdict(request.options)}
    if request.source_text is not None:  # absent otherwise: requests without it keep their ids
        data["source_text"] = request.source_text
    return data


def request_from_dict(data: Mapping[str, Any]) -> ClipRequest:
    """The inverse of request_to_dict, for stored jobs and JSON bodies (unknown option keys are refused)."""
    raw = dict(data.get("options") or {})
    known = {f.name for f in dataclasses.fields(RenderOptions)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise InvalidInputError(f"unknown option(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    if "background" in raw:
        raw["background"] = parse_background(raw["background"])
    return ClipRequest(
        text=data.get("text"), glosses=data.get("glosses"), options=RenderOptions(**raw),
        source_text=data.get("source_text"),
    )


def clip_id(request: ClipRequest, versions: Mapping[str, str]) -> str:
    """32 hex characters: sha256 of the canonical JSON of the normalised request and the versions."""
    req = request_to_dict(normalise_request(request))
    if not req["options"]["pose"]:
        del req["options"]["pose"]  # requests without the .pose export keep the ids they had before it existed
    canonical = {
        "schema": ID_SCHEMA,
        "request": req,
        "versions": {str(k): str(v) for k, v in versions.items()},
    }
    blob = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]
