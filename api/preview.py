"""POST /v1/preview: the planned motion of a gloss sequence as world joint positions, for the
editor's skeleton preview drawn in the browser (no rendering, well under 0.5 s for 10 glosses).

Answer: the tokens (as GET /v1/gloss gives them), fps, joint names, parent indices (-1 for the
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

from api.responses import error_responses
from api.translate_gate import TranslateGate
from signavatar.errors import InvalidInputError, UnknownGlossError
from signavatar.jobs.metadata import sequence_to_dict
from signavatar.jobs.request import check_duration, normalise_text
from signavatar.settings import Settings
from signavatar.types import GlossSequence, PoseTrack, RenderOptions

#: the motion is planned at the renderer's rate and every STEP-th frame sent: 12.5 frames a second
#: are smooth enough for a stick figure and halve the answer
PLAN_FPS = 25
STEP = 2
PREVIEW_FPS = PLAN_FPS / STEP


class PreviewIn(BaseModel):
    """Either German `text` (translated as GET /v1/gloss does) or `glosses` as the editor has them."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, max_length=2000)
    glosses: str | None = Field(default=None, max_length=2000)
    speed: float = Field(default=1.0, ge=0.25, le=4.0)


class _Skeleton(Protocol):
    names: tuple[str, ...]
    parents: np.ndarray

    def forward(self, rotations: np.ndarray, root: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]: ...


class PreviewPipeline(Protocol):
    def translate(self, text: str) -> GlossSequence: ...
    def parse_glosses(self, glosses: str) -> GlossSequence: ...
    def motion(self, seq: GlossSequence, options: RenderOptions) -> PoseTrack: ...


def preview_body(pipeline: PreviewPipeline, body: PreviewIn, settings: Settings) -> dict[str, Any]:
    seq = _sequence(pipeline, body, settings)
    skeleton: _Skeleton | None = getattr(getattr(pipeline, "avatar", None), "skeleton", None)
    if skeleton is None:
        raise InvalidInputError("this service's pipeline has no skeleton to preview")
    options = RenderOptions(fps=PLAN_FPS, speed=body.speed)
    check_duration(pipeline, seq, options, settings)  # too long: 400 before planning every frame
    track = pipeline.motion(seq, options)
    _, positions = skeleton.forward(track.rotations[::STEP], track.root[::STEP])  # (T, J, 3) metres
    tokens = sequence_to_dict(seq)
    return {
        **tokens,
        "tokens": tokens["glosses"],
        "fps": PREVIEW_FPS,
        "joints": list(skeleton.names),
        "parents": [int(p) for p in skeleton.parents],
        "labels": list(track.labels[::STEP]),
        "frames": np.round(positions, 3).tolist(),
    }


def _sequence(pipeline: PreviewPipeline, body: PreviewIn, settings: Settings) -> GlossSequence:
    if (body.text is None) == (body.glosses is None):
        raise InvalidInputError('give either text (German) or glosses (e.g. "TERMIN ICH BRAUCHEN"), not both')
    if body.text is not None:
        text = normalise_text(body.text)
        if not text:
            raise InvalidInputError("text is empty: give a German sentence, e.g. Ich brauche einen Termin.")
        if len(text) > settings.max_text_chars:
            raise InvalidInputError(f"text is {len(text)} characters; the limit is {settings.max_text_chars}")
        seq = pipeline.translate(text)
    else:
        glosses = normalise_text(body.glosses or "")
        if not glosses:
            raise InvalidInputError('glosses are empty: give glosses, e.g. "TERMIN ICH BRAUCHEN"')
        seq = _parse_all(pipeline, glosses)
    if not seq.tokens:
        raise InvalidInputError("nothing to sign: the text gave no glosses; check the spelling or write glosses")
    if len(seq.tokens) > settings.max_glosses:
        raise InvalidInputError(f"{len(seq.tokens)} glosses; the limit is {settings.max_glosses}: split the sequence")
    return seq


def _parse_all(pipeline: PreviewPipeline, glosses: str) -> GlossSequence:
    """The parsed glosses; UnknownGlossError (400) naming every gloss that cannot be signed."""
    try:
        return pipeline.parse_glosses(glosses)
    except UnknownGlossError as first:
        unknown = []
        for token in glosses.split():
            try:
                pipeline.parse_glosses(token)
            except UnknownGlossError:
                unknown.append(token)
        if len(unknown) < 2:
            raise
        raise UnknownGlossError(
            f"unknown glosses {', '.join(repr(t) for t in unknown)}: not in the lexicon; replace them or write "
            f"fs-NAME to fingerspell ({first})"
        ) from None


def preview_router(front: Callable[[], Any], settings: Settings, require_key: Any, gate: TranslateGate) -> APIRouter:
    """`front` returns the request handlers' pipeline (app.py's _Pipelines.front); a preview of
    text is translated through `gate`, the service's one translation gate (api/translate_gate.py)."""
    router = APIRouter(tags=["editor"])

    @router.post("/v1/preview", dependencies=[require_key], responses=error_responses(400, 401, 411, 413, 422, 503))
    async def preview(body: PreviewIn) -> dict[str, Any]:
        """The planned motion as joint positions for a skeleton preview (no video is rendered)."""
        if body.text is not None:
            return await gate.run(lambda: preview_body(front(), body, settings))
        return await run_in_threadpool(lambda: preview_body(front(), body, settings))

    return router
