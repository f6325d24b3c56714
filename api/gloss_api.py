"""GET /v1/gloss: the glosses of a German text, public and rate-limited per address unless keyed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from api.front_pipeline import FrontPipeline
from api.gloss_tokens import sequence_out
from api.rate_limit import GlossRateLimit
from api.responses import GlossSequenceOut, error_responses
from api.translate_gate import TranslateGate
from signavatar.jobs.metadata import NOTICE
from signavatar.jobs.request import prepare_text
from signavatar.settings import Settings


def gloss_router(front: FrontPipeline, gate: TranslateGate, limit: GlossRateLimit, settings: Settings) -> APIRouter:
    router = APIRouter(tags=["translation"])

    @router.get("/v1/gloss", response_model=GlossSequenceOut, responses=error_responses(400, 422, 429, 503))
    async def gloss(request: Request, text: str = Query(..., description="German text")) -> dict[str, Any]:
        """The glosses of a German text, each with the mouthing it will show (`mouthing`,
        `mouthing_source`). Public, so limited to gloss_rate_per_min requests a minute
        per client address (429), unless the request carries the API key or the editor key."""
        keyed = limit.check(request)
        clean = prepare_text(text, settings, example="?text=Ich brauche einen Termin.")
        body = await gate.run(lambda: glosses(clean), public=not keyed)
        return {**body, "machine_generated": True, "notice": NOTICE}

    def glosses(clean: str) -> dict[str, Any]:
        pipeline = front.get()  # on the gate's thread: the first call loads the lexicon and avatar
        return sequence_out(pipeline.translate(clean), pipeline.lexicon)

    return router
