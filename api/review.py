"""The review workflow of clips: POST /v1/clips/{id}/approve, POST /v1/clips/{id}/reject,
GET /v1/clips/{id}/reviews (all three for the editor key only, api/auth.py).

Every clip is a draft until an editor approves it. A decision is written into the clip's clip.json
(review_state, review, notice), which the status endpoint, metadata.json and the public embed page
read, and then appended to the review log (signavatar/review, SQLite under the data dir); approving
first stores the clip's glosses for its German sentence in the translation memory, exactly as
POST /v1/memory does, so `signavatar gloss` and the API reuse the correction.

clip.json is public, so its `review` holds the decision and its date only; who decided, and the
comment or reason, are in the review log, which GET /v1/clips/{id}/reviews shows to editors.
When the disk is full (or the data dir not writable) the decision is recorded nowhere: clip.json
is put back if the log could not be written, and the answer is 507 (503) saying so.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from api.responses import error_responses
from api.review_text import EditorName, EditorNote
from signavatar.errors import InvalidInputError, UnknownGlossError
from signavatar.jobs.metadata import APPROVED_NOTICE, NOTICE
from signavatar.jobs.store import ClipStore, check_clip_id
from signavatar.review import CLIP, ReviewLog
from signavatar.text_to_gloss.input_text import normalise_text
from signavatar.translation_memory import TranslationMemory
from signavatar.types import GlossSequence

log = logging.getLogger(__name__)
#: errno values of a full disk or quota: 507 Insufficient Storage; other storage failures are 503
FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


class ApproveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    editor: EditorName = Field(min_length=1, max_length=200, description="who approves (a name)")
    comment: EditorNote = Field(default="", max_length=2000)


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    editor: EditorName = Field(min_length=1, max_length=200, description="who rejects (a name)")
    reason: EditorNote = Field(min_length=1, max_length=2000, description="why: what has to be corrected")


def clip_text(meta: dict[str, Any]) -> str:
    """The German sentence a clip signs: the request's source_text (corrected glosses), else the
    text it was translated from; "" for glosses alone (the sequence's source_text is then the
    gloss string itself, not German)."""
    request = meta.get("request") or {}
    return str(request.get("source_text") or request.get("text") or "")


def review_router(
    store: ClipStore, job: Callable[[str], object | None], reviews: ReviewLog, memory: TranslationMemory,
    parse_glosses: Callable[[str], GlossSequence], require_editor: Any,
) -> APIRouter:
    """`job` looks a clip's job up (JobQueue.get); `parse_glosses` checks glosses against the
    lexicon (Pipeline.parse_glosses) before they go into the memory; `require_editor`: Depends(...)
    of the editor key (api/auth.py)."""
    router = APIRouter(tags=["review"])
    lock = threading.Lock()  # one decision at a time: the log's order and clip.json's state agree

    def rendered(cid: str) -> dict[str, Any] | JSONResponse:
        check_clip_id(cid)
        meta = store.read_metadata(cid)
        if meta is not None:
            return meta
        if job(cid) is None:
            return JSONResponse({"detail": f"no clip {cid}; create it with POST /v1/clips"}, status_code=404)
        return JSONResponse(
            {"detail": f"clip {cid} is not rendered yet; review it when its status is done"}, status_code=409
        )

    def decide(cid: str, action: str, editor: str, note: str) -> JSONResponse:
        found = rendered(cid)
        if isinstance(found, JSONResponse):
            return found
        if action == "rejected" and not note.strip():  # before anything is written
            raise InvalidInputError("reason is empty: say why the clip is rejected, so it can be corrected")
        body: dict[str, Any] = {}
        with lock:
            meta = store.read_metadata(cid) or found
            try:
                if action == "approved":
                    body["memory"] = _remember(meta, memory, parse_glosses, editor, note)
                else:
                    body["memory_withdrawn"] = _withdraw(meta, memory)
                now = datetime.now(timezone.utc)
                store.write_metadata(cid, _with_decision(meta, action, now))
                try:
                    entry = reviews.record(CLIP, cid, action, editor, note, when=now)
                except BaseException:
                    _put_back(store, cid, meta)
                    raise
            except (OSError, sqlite3.Error) as exc:
                return _not_recorded(cid, action, exc)
        return JSONResponse({"id": cid, "review_state": entry.action, **entry.to_dict(), **body})

    @router.post("/v1/clips/{cid}/approve", dependencies=[require_editor],
                 responses=error_responses(400, 401, 403, 404, 409, 411, 413, 422, 503, 507))
    def approve_clip(cid: str, body: ApproveIn) -> JSONResponse:
        """Approve a rendered clip: the public embed shows it from now on, and its glosses are
        stored for its German sentence in the translation memory."""
        return decide(cid, "approved", body.editor, body.comment)

    @router.post("/v1/clips/{cid}/reject", dependencies=[require_editor],
                 responses=error_responses(400, 401, 403, 404, 409, 411, 413, 422, 503, 507))
    def reject_clip(cid: str, body: RejectIn) -> JSONResponse:
        """Reject a rendered clip with a reason; the public embed does not show it."""
        return decide(cid, "rejected", body.editor, body.reason)

    @router.get("/v1/clips/{cid}/reviews", dependencies=[require_editor],
                responses=error_responses(400, 401, 403, 404))
    def clip_reviews(cid: str) -> JSONResponse:
        """The clip's review state and every decision on it, oldest first, with the editors' names,
        comments and reasons (editor key only; the public status shows the state alone)."""
        check_clip_id(cid)
        entries = reviews.entries(CLIP, cid)
        if not entries and store.read_metadata(cid) is None and job(cid) is None:
            return JSONResponse({"detail": f"no clip {cid}; create it with POST /v1/clips"}, status_code=404)
        state = entries[-1].action if entries else "draft"
        return JSONResponse({"id": cid, "review_state": state, "entries": [e.to_dict() for e in entries]})

    return router


def _remember(
    meta: dict[str, Any], memory: TranslationMemory, parse_glosses: Callable[[str], GlossSequence],
    editor: str, comment: str,
) -> dict[str, str] | None:
    """Store the clip's glosses for its sentence (None: the clip has no German sentence)."""
    text = normalise_text(clip_text(meta))
    if not text:
        return None
    try:
        seq = parse_glosses(str(meta.get("gloss_string", "")))
    except UnknownGlossError as exc:
        # The video the editor approved stays approved; glosses that cannot be written by hand
        # (the lexicon changed since) would never be reused from the memory, so none is stored.
        log.warning("clip approved, glosses not stored in the translation memory: %s", exc)
        return None
    entry = memory.approve(text, str(seq), editor, comment)
    return {"text": entry.text, "glosses": entry.glosses}


def _withdraw(meta: dict[str, Any], memory: TranslationMemory) -> bool:
    """A rejected clip's glosses leave the memory if they are what is stored for its sentence
    (an earlier approval of this clip); a different correction of the sentence stays."""
    text = normalise_text(clip_text(meta))
    if not text:
        return False
    found = memory.lookup(text)
    if found is None or found.kind != "exact" or found.entry.glosses != str(meta.get("gloss_string", "")):
        return False
    return memory.remove(text)


def public_review(action: str, when: datetime) -> dict[str, str]:
    """The part of a decision anyone may read (clip.json, metadata.json, the embed page): what and when."""
    return {"action": action, "time": when.astimezone(timezone.utc).isoformat(timespec="seconds")}


def _with_decision(meta: dict[str, Any], action: str, when: datetime) -> dict[str, Any]:
    review = public_review(action, when)
    out = {**meta, "review_state": action, "review": review, "machine_generated": True}
    out["notice"] = APPROVED_NOTICE.format(date=review["time"][:10]) if action == "approved" else NOTICE
    return out


def _put_back(store: ClipStore, cid: str, meta: dict[str, Any]) -> None:
    """Restore the clip.json of before a decision whose log entry could not be written."""
    try:
        store.write_metadata(cid, meta)
    except OSError:
        log.error("clip %s: its clip.json says the new decision, but the review log has none (disk full?)", cid)


def _not_recorded(cid: str, action: str, exc: OSError | sqlite3.Error) -> JSONResponse:
    """507 (full disk or quota) or 503 (another storage failure) for a decision that could not be
    written; the path and the OS message go to the log, not to the client."""
    full = (isinstance(exc, OSError) and exc.errno in FULL) or "full" in str(exc).lower()
    log.error("clip %s: the %s decision could not be stored: %s", cid, action, exc)
    why = "the service's disk is full" if full else "the service could not write its data"
    return JSONResponse({"detail": f"the decision on clip {cid} was not recorded: {why}; "
                         "nothing was changed, try again later (the operator has to free space)"},
                        status_code=507 if full else 503)
