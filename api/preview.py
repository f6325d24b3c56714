"""POST /v1/preview: the planned motion of a gloss sequence as world joint positions, for the
editor's skeleton preview drawn in the browser (no rendering, well under 0.5 s for 10 glosses).

Answer: the tokens (as GET /v1/gloss gives them, each with its `mouthing`; an editor's mouthing comes
in the gloss string, `GUT{pf}`), fps, joint names, parent indices (-1 for the
root) and frames (T, J, 3): world positions in metres, Y up, +X the signer's left, +Z toward the
viewer (signavatar/avatar/skeleton.py), at PREVIEW_FPS and rounded to millimetres.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import numpy as np
from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from api.gloss_tokens import sequence_out
from api.responses import error_responses
from api.translate_gate import TranslateGate
from signavatar.errors import InvalidInputError
from signavatar.jobs.plan import plan_glosses
from signavatar.jobs.request import prepare_request
from signavatar.pipeline_protocols import Lexical, Planning, Skeletal
from signavatar.settings import Settings
from signavatar.types import ClipRequest, RenderOptions

#: the motion is planned at the renderer's rate and every STEP-th frame sent: 12.5 frames a second
#: are smooth enough for a stick figure and halve the answer
PLAN_FPS = 25
STEP = 2
PREVIEW_FPS = PLAN_FPS / STEP


class PreviewPipeline(Planning, Skeletal, Lexical, Protocol):
    """What a preview needs: the glosses' motion, the skeleton to place it on, and the lexicon (each
    sign's mouthing)."""


class PreviewIn(BaseModel):
    """Either German `text` (translated as GET /v1/gloss does) or `glosses` as the editor has them."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = None  # length: Settings.max_text_chars (jobs/request.py check_limits)
    glosses: str | None = None
    speed: float = Field(default=1.0, ge=0.25, le=4.0)


def preview_body(pipeline: PreviewPipeline, body: PreviewIn, settings: Settings) -> dict[str, Any]:
    """The answer of POST /v1/preview; InvalidInputError (400) saying what to change."""
    asked = ClipRequest(text=body.text, glosses=body.glosses, options=RenderOptions(fps=PLAN_FPS, speed=body.speed))
    request = prepare_request(asked, settings)
    seq = plan_glosses(request, pipeline, settings).sequence  # too long: 400 before planning every frame
    skeleton = pipeline.skeleton
    if skeleton is None:
        raise InvalidInputError("this service's pipeline has no skeleton to preview")
    track = pipeline.motion(seq, request.options)
    _, positions = skeleton.forward(track.rotations[::STEP], track.root[::STEP])  # (T, J, 3) metres
    tokens = sequence_out(seq, pipeline.lexicon)
    return {
        **tokens,
        "tokens": tokens["glosses"],
        "fps": PREVIEW_FPS,
        "joints": list(skeleton.names),
        "parents": [int(p) for p in skeleton.parents],
        "labels": list(track.labels[::STEP]),
        "frames": np.round(positions, 3).tolist(),
    }


def preview_router(
    front: Callable[[], PreviewPipeline], settings: Settings, require_key: Any, gate: TranslateGate
) -> APIRouter:
    """`front` returns the request handlers' pipeline (api/front_pipeline.py FrontPipeline.get); a preview of
    text is translated through `gate`, the service's one translation gate (api/translate_gate.py)."""
    router = APIRouter(tags=["editor"])

    @router.post("/v1/preview", dependencies=[require_key], responses=error_responses(400, 401, 411, 413, 422, 503))
    async def preview(body: PreviewIn) -> dict[str, Any]:
        """The planned motion as joint positions for a skeleton preview (no video is rendered)."""
        if body.text is not None:
            return await gate.run(lambda: preview_body(front(), body, settings))
        return await run_in_threadpool(lambda: preview_body(front(), body, settings))

    return router
