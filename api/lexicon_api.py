"""The lexicon browser's API: GET /v1/lexicon, GET /v1/lexicon/{gloss}, GET /v1/lexicon/{gloss}/preview.png,
POST /v1/lexicon/{gloss}/review (a signer marks a sign reviewed; the editor key only).

Reviewing rewrites glosses/signs/<GLOSS>.json with `"reviewed": true` and nothing else changed
(the one literal replaced in the file's text, checked by parsing; temp file + os.replace), appends
an entry to the review log, and reloads the service's pipeline so the new lexicon version is used.
Previews are one still per sign (signavatar/stills/sheet.py), cached under the data dir by the
sign file, handshapes and avatar (a review re-renders only that sign's still).

GET /v1/lexicon/{gloss} shows who reviewed a sign, and their comments, to the editor key only;
anyone else sees the review entries' action and time.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from api.auth import Keys, presented_key
from api.responses import error_responses
from api.review_text import EditorName, EditorNote
from signavatar.errors import InvalidInputError, LexiconError
from signavatar.fingerspelling import is_letter_sign
from signavatar.frames_to_video.atomic import write_bytes_atomic, write_text_atomic
from signavatar.lexicon import Lexicon, SignEntry
from signavatar.lexicon.load import HANDSHAPES_FILE
from signavatar.lexicon.model import NUMBER_PREFIX
from signavatar.pipeline_protocols import Drawing, ServicePipeline
from signavatar.review import SIGN, ReviewLog
from signavatar.settings import Settings

PREVIEW_SIZE = 160  # pixels, square
PREVIEW_DIR = "lexicon_previews"  # under Settings.data_dir
_REVIEWED_FALSE = re.compile(r'("reviewed"\s*:\s*)false\b')


class SignReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reviewer: EditorName = Field(min_length=1, max_length=200, description="who reviewed the sign (a name)")
    comment: EditorNote = Field(default="", max_length=2000)


def sign_kind(gloss: str) -> str:
    return "letter" if is_letter_sign(gloss) else "number" if gloss.startswith(NUMBER_PREFIX) else "lexical"


def sign_summary(entry: SignEntry) -> dict[str, Any]:
    motion = (
        "definition" if entry.definition is not None else "recording" if entry.recording is not None else "keyframes"
    )
    return {
        "gloss": entry.gloss, "kind": sign_kind(entry.gloss), "lemmas": list(entry.lemmas), "hands": entry.hands,
        "source": entry.source, "reviewed": entry.reviewed, "description": entry.description, "motion": motion,
    }


def mark_reviewed(path: Path) -> bool:
    """Set `"reviewed": true` in a sign file, keeping every other byte; False when it already was.
    LexiconError (naming the file) when the file does not have exactly one such field."""
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    if data.get("reviewed") is True:
        return False
    new, count = _REVIEWED_FALSE.subn(r"\1true", text)
    if count != 1 or json.loads(new) != {**data, "reviewed": True}:
        raise LexiconError(f"{path}: reviewed: expected one top-level \"reviewed\": false to set to true")
    write_text_atomic(path, new)
    return True


def lexicon_router(front: Callable[[], ServicePipeline], reload: Callable[[], None], log: ReviewLog,
                   settings: Settings, require_editor: Any) -> APIRouter:
    """`front` returns the service's pipeline (its lexicon; for stills its avatar and sequencer); `reload` drops
    it so the next request loads the lexicon again; `require_editor`: Depends(...) of the editor key."""
    router = APIRouter(tags=["lexicon"])
    keys = Keys(settings)
    write_lock = threading.Lock()
    render_lock = threading.Lock()  # one GL context at a time on this small machine

    def lexicon() -> Lexicon:
        return front().lexicon

    def entry_of(gloss: str) -> SignEntry | JSONResponse:
        lex = lexicon()
        entry = lex.get(gloss) or lex.get(gloss.upper())
        if entry is None:
            return JSONResponse(
                {"detail": f"no sign {gloss!r} in the lexicon; GET /v1/lexicon lists every gloss"}, status_code=404
            )
        return entry

    @router.get("/v1/lexicon")
    def signs() -> dict[str, Any]:
        """Every sign of the lexicon with its review state, sorted by gloss."""
        lex = lexicon()
        return {"version": lex.version, "signs": [sign_summary(lex.entries[g]) for g in sorted(lex.entries)]}

    @router.get("/v1/lexicon/{gloss}", responses=error_responses(404))
    def sign(gloss: str, request: Request) -> JSONResponse:
        """The sign's file as written, plus its summary and the review log entries (with the
        reviewers' names and comments for the editor key; action and time for anyone else)."""
        entry = entry_of(gloss)
        if isinstance(entry, JSONResponse):
            return entry
        data = json.loads(entry.path.read_text(encoding="utf-8"))
        editor = keys.is_editor(presented_key(request.scope["headers"]))
        reviews = [e.to_dict() if editor else {"action": e.action, "time": e.time}
                   for e in log.entries(SIGN, entry.gloss)]
        return JSONResponse({**data, **sign_summary(entry), "reviews": reviews})

    @router.get("/v1/lexicon/{gloss}/preview.png", response_class=Response, responses={
        200: {"content": {"image/png": {}}, "description": "a still of the sign"}, **error_responses(404)})
    def sign_preview(gloss: str) -> Response:
        entry = entry_of(gloss)
        if isinstance(entry, JSONResponse):
            return entry
        pipeline = front()  # its avatar and motion draw the still (signavatar/stills/sheet.py)
        if pipeline.avatar is None:
            raise InvalidInputError("this service's pipeline draws no avatar: it has no still of a sign")
        key = hashlib.sha256(
            entry.path.read_bytes() + b"\0" + (Path(settings.lexicon_dir) / HANDSHAPES_FILE).read_bytes()
            + b"\0" + f"{pipeline.avatar.version}\0{PREVIEW_SIZE}\0{entry.gloss}".encode()
        ).hexdigest()[:24]
        path = Path(settings.data_dir) / PREVIEW_DIR / f"{key}.png"
        if not path.is_file():
            with render_lock:
                if not path.is_file():
                    write_bytes_atomic(path, _render_png(pipeline, entry.gloss))
        return Response(path.read_bytes(), media_type="image/png",
                        headers={"Cache-Control": "no-cache", "ETag": f'"{key}"'})

    @router.post("/v1/lexicon/{gloss}/review", dependencies=[require_editor],
                 responses=error_responses(400, 401, 403, 404, 411, 413, 422))
    def review_sign(gloss: str, body: SignReviewIn) -> JSONResponse:
        """Mark the sign reviewed (reviewed: true in its file) and record who did it."""
        entry = entry_of(gloss)
        if isinstance(entry, JSONResponse):
            return entry
        with write_lock:
            changed = mark_reviewed(entry.path)
            record = log.record(SIGN, entry.gloss, "reviewed", body.reviewer, body.comment)
            if changed:
                reload()
        return JSONResponse({
            "gloss": entry.gloss, "reviewed": True, "changed": changed, "reviewer": record.editor,
            "time": record.time, "comment": record.note, "lexicon_version": lexicon().version,
        })

    return router


def _render_png(pipeline: Drawing, gloss: str) -> bytes:
    from PIL import Image

    from signavatar.stills.sheet import render_tiles  # GL: only when a still is first asked for

    (_, tile), = render_tiles(pipeline, [gloss], PREVIEW_SIZE)
    out = io.BytesIO()
    Image.fromarray(tile).save(out, format="PNG", optimize=True)
    return out.getvalue()
