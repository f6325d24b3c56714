"""The translation memory: POST /v1/memory (an editor approves glosses for a German sentence) and
GET /v1/memory (the approved glosses of a sentence; who approved them for editors only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.params import Depends
from fastapi.responses import JSONResponse

from api.auth import Keys, presented_key
from api.front_pipeline import FrontPipeline
from api.responses import MemoryEntryOut, MemoryMatchOut, error_responses
from api.schemas import MemoryIn
from signavatar.jobs.request import prepare_text
from signavatar.settings import Settings
from signavatar.translation_memory import MemoryEntry, TranslationMemory

EDITORS_ONLY = ("approved_by", "comment")


def memory_router(
    memory: TranslationMemory, front: FrontPipeline, keys: Keys, settings: Settings, require_editor: Depends,
) -> APIRouter:
    router = APIRouter(tags=["translation memory"])

    @router.post("/v1/memory", status_code=201, dependencies=[require_editor], response_model=MemoryEntryOut,
                 responses=error_responses(400, 401, 403, 411, 413, 422))
    def approve_glosses(body: MemoryIn) -> dict[str, Any]:
        text = prepare_text(body.text, settings)
        seq = front.get().parse_glosses(body.glosses)  # an unknown gloss: 400 naming it
        return entry_body(memory.approve(text, str(seq), body.editor, body.comment))

    @router.get("/v1/memory", response_model=MemoryMatchOut, responses=error_responses(404, 422))
    def memory_lookup(request: Request, text: str = Query(..., description="German text")) -> JSONResponse:
        """The approved glosses for a sentence; who approved them, and the comment, for the editor key only."""
        match = memory.lookup(text)
        if match is None:
            return JSONResponse({"detail": "no approved glosses for this text"}, status_code=404)
        body = {**entry_body(match.entry), "match": match.kind, "similarity": round(match.similarity, 3)}
        if not keys.is_editor(presented_key(request.scope["headers"])):
            body = {k: v for k, v in body.items() if k not in EDITORS_ONLY}
        return JSONResponse(body)

    return router


def entry_body(entry: MemoryEntry) -> dict[str, Any]:
    return {
        "text": entry.text, "glosses": entry.glosses, "approved_by": entry.approved_by,
        "approved_at": entry.approved_at, "comment": entry.comment,
    }
