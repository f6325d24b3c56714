"""The review workflow of clips: POST /v1/clips/{id}/approve, POST /v1/clips/{id}/reject,
GET /v1/clips/{id}/reviews.

Every clip is a draft until an editor approves it. A decision is appended to the review log
(signavatar/review, SQLite under the data dir) and copied into the clip's clip.json
(review_state, review, notice), which the status endpoint, metadata.json and the public embed
page read; approving also stores the clip's glosses for its German sentence in the translation
memory, exactly as POST /v1/memory does, so `signavatar gloss` and the API reuse the correction.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from api.responses import error_responses
from signavatar.errors import UnknownGlossError
from signavatar.jobs.metadata import NOTICE
from signavatar.jobs.request import normalise_text
from signavatar.jobs.store import ClipStore, check_clip_id
from signavatar.review import CLIP, ReviewEntry, ReviewLog
from signavatar.translation_memory import TranslationMemory
from signavatar.types import GlossSequence

log = logging.getLogger(__name__)
#: the notice of an approved clip (the draft's is signavatar.jobs.metadata.NOTICE)
APPROVED_NOTICE = "Machine-generated DGS translation; glosses approved by {editor} on {date}."


class ApproveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    editor: str = Field(min_length=1, max_length=200, description="who approves (a name)")
    comment: str = Field(default="", max_length=2000)


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    editor: str = Field(min_length=1, max_length=200, description="who rejects (a name)")
    reason: str = Field(min_length=1, max_length=2000, description="why: what has to be corrected")


def clip_text(meta: dict[str, Any]) -> str:
    """The German sentence a clip signs: the request's source_text (corrected glosses), else the
    text it was translated from; "" for glosses alone (the sequence's source_text is then the
    gloss string itself, not German)."""
    request = meta.get("request") or {}
    return str(request.get("source_text") or request.get("text") or "")


def review_router(
    store: ClipStore, job: Callable[[str], object | None], reviews: ReviewLog, memory: TranslationMemory,
    parse_glosses: Callable[[str], GlossSequence], require_key: Any,
) -> APIRouter:
    """`job` looks a clip's job up (JobQueue.get); `parse_glosses` checks glosses against the
    lexicon (Pipeline.parse_glosses) before they go into the memory; `require_key`: Depends(...)."""
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
        body: dict[str, Any] = {}
        with lock:
            meta = store.read_metadata(cid) or found
            if action == "approved":
                body["memory"] = _remember(meta, memory, parse_glosses, editor, note)
            else:
                body["memory_withdrawn"] = _withdraw(meta, memory)
            entry = reviews.record(CLIP, cid, action, editor, note)
            store.write_metadata(cid, _with_decision(meta, entry))
        return JSONResponse({"id": cid, "review_state": entry.action, **entry.to_dict(), **body})

    @router.post("/v1/clips/{cid}/approve", dependencies=[require_key],
                 responses=error_responses(400, 401, 404, 409, 411, 413, 422))
    def approve_clip(cid: str, body: ApproveIn) -> JSONResponse:
        """Approve a rendered clip: the public embed shows it from now on, and its glosses are
        stored for its German sentence in the translation memory."""
        return decide(cid, "approved", body.editor, body.comment)

    @router.post("/v1/clips/{cid}/reject", dependencies=[require_key],
                 responses=error_responses(400, 401, 404, 409, 411, 413, 422))
    def reject_clip(cid: str, body: RejectIn) -> JSONResponse:
        """Reject a rendered clip with a reason; the public embed does not show it."""
        return decide(cid, "rejected", body.editor, body.reason)

    @router.get("/v1/clips/{cid}/reviews", responses=error_responses(400, 404))
    def clip_reviews(cid: str) -> JSONResponse:
        """The clip's review state and every decision on it, oldest first."""
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


def _with_decision(meta: dict[str, Any], entry: ReviewEntry) -> dict[str, Any]:
    out = {**meta, "review_state": entry.action, "review": entry.to_dict(), "machine_generated": True}
    if entry.action == "approved":
        out["notice"] = APPROVED_NOTICE.format(editor=entry.editor, date=entry.time[:10])
    else:
        out["notice"] = NOTICE
    return out
