"""GET /v1/lexicon/{gloss}/clip.mp4?speed=1.0: one lexicon sign as a short looping H.264 clip for
the lexicon review page (signavatar/stills/sign_clip.py draws it: rest, the sign, rest).

speed 0.5 to 1.0 slows the motion itself (the sequencer plans the sign slower; every frame is a new
pose). A clip is rendered once, in this process under a lock (one GL context at a time on a small
machine), and cached under the data dir by what its pixels depend on: the sign file's form (not its
description or review state, so reviewing a sign keeps its clip), the handshapes, the avatar, the
code version and the speed. A new revision of a sign has another form, so another clip.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from api.clip_file import ClipFileResponse
from api.responses import error_responses
from signavatar import __version__
from signavatar.errors import InvalidInputError
from signavatar.lexicon.load import HANDSHAPES_FILE, form_hash
from signavatar.pipeline_protocols import ServicePipeline
from signavatar.settings import Settings
from signavatar.stills.sign_clip import CLIP_SIZE, SPEED_RANGE, check_speed, write_sign_clip

CLIP_DIR = "lexicon_clips"  # under Settings.data_dir


def sign_clip_router(front: Callable[[], ServicePipeline], settings: Settings) -> APIRouter:
    """`front` returns the service's pipeline (its lexicon, avatar and sequencer)."""
    router = APIRouter(tags=["lexicon"])
    # One render at a time, on a thread of its own: requests waiting for it wait in the event loop
    # and hold none of the threadpool's threads (a page scrolled through 500 signs asks for many).
    renders = anyio.CapacityLimiter(1)

    def locate(gloss: str, speed: float) -> tuple[ServicePipeline, str, Path, str] | JSONResponse:
        """(pipeline, gloss, cache path, key) of the clip, or the 404."""
        pipeline = front()
        lex = pipeline.lexicon
        entry = lex.get(gloss) or lex.get(gloss.upper())
        if entry is None:
            return JSONResponse(
                {"detail": f"no sign {gloss!r} in the lexicon; GET /v1/lexicon lists every gloss"}, status_code=404)
        if pipeline.avatar is None:
            raise InvalidInputError("this service's pipeline draws no avatar: it has no clip of a sign")
        key = hashlib.sha256(
            form_hash(entry.path.read_bytes()).encode() + b"\0"
            + (Path(settings.lexicon_dir) / HANDSHAPES_FILE).read_bytes()
            + b"\0" + f"{pipeline.avatar.version}\0{__version__}\0{CLIP_SIZE}\0{speed:.2f}\0{entry.gloss}".encode()
        ).hexdigest()[:24]
        return pipeline, entry.gloss, Path(settings.data_dir) / CLIP_DIR / f"{key}.mp4", key

    @router.api_route("/v1/lexicon/{gloss}/clip.mp4", methods=["GET", "HEAD"], response_class=Response, responses={
        200: {"content": {"video/mp4": {}}, "description": "the sign alone, rest to rest, H.264"},
        **error_responses(400, 404)})
    async def sign_clip(gloss: str, request: Request, speed: float = Query(
            1.0, description=f"{SPEED_RANGE[0]} to {SPEED_RANGE[1]}: the motion slowed (rounded to 0.01)")) -> Response:
        """The sign performed alone (from rest and back), about 2 s, 288 px square; loop it."""
        speed = check_speed(speed)
        found = await run_in_threadpool(locate, gloss, speed)
        if isinstance(found, JSONResponse):
            return found
        pipeline, name, path, key = found

        def render() -> None:
            if not path.is_file():  # another request may have rendered it while this one waited
                write_sign_clip(pipeline, name, speed, path)

        if not path.is_file():
            await anyio.to_thread.run_sync(render, limiter=renders)
        etag = f'"{key}"'
        headers = {"ETag": etag, "Cache-Control": "no-cache"}  # the URL stays, the sign may change
        if etag in [t.strip().removeprefix("W/") for t in request.headers.get("if-none-match", "").split(",")]:
            return Response(status_code=304, headers=headers)
        return ClipFileResponse(path, "video/mp4", headers)

    return router
