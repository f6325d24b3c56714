"""The clips: POST /v1/clips (queue a render), GET /v1/clips/{id} (its status) and the files of a
stored clip (video, subtitles, poster, motion, metadata), served with ETag and byte ranges."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.params import Depends
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from api.clip_file import ClipFileResponse
from api.compression import etag_matches, is_compressible, revalidation_etag
from api.error_handlers import NotStored
from api.front_pipeline import FrontPipeline
from api.responses import ClipStatusOut, error_responses
from api.schemas import ClipIn, clip_urls, done_body
from api.translate_gate import TranslateGate
from signavatar.frames_to_video.poster import PosterKind, poster_variant_from_png, variant_path
from signavatar.jobs.clip_record import ClipRecord
from signavatar.jobs.metadata import public_metadata
from signavatar.jobs.plan import plan_glosses, plan_to_dict
from signavatar.jobs.queue_backend import QueueBackend
from signavatar.jobs.request import clip_id, prepare_request
from signavatar.jobs.store import ClipStore, check_clip_id
from signavatar.pipeline_protocols import ServicePipeline
from signavatar.settings import Settings

log = logging.getLogger(__name__)

MEDIA_TYPES = {"mp4": "video/mp4", "webm": "video/webm", "gif": "image/gif"}
IMMUTABLE = "public, max-age=31536000, immutable"
#: the media type of the glTF files (a clip's motion.glb, the avatar's .glb: api/avatar_api.py)
GLB_TYPE = "model/gltf-binary"
POSTER_TYPES: dict[PosterKind, str] = {"jpg": "image/jpeg", "webp": "image/webp"}


def clips_router(
    store: ClipStore, queue: QueueBackend, front: FrontPipeline, gate: TranslateGate, settings: Settings,
    require_key: Depends,
) -> APIRouter:
    router = APIRouter(tags=["clips"])

    def front_and_versions() -> tuple[ServicePipeline, dict[str, str]]:
        pipeline = front.get()  # the first call loads the lexicon and the avatar: on a thread
        return pipeline, pipeline.versions()

    @router.post(
        "/v1/clips", dependencies=[require_key], response_model=ClipStatusOut, status_code=202,
        responses={200: {"model": ClipStatusOut, "description": "already rendered: its files"},
                   **error_responses(400, 401, 403, 411, 413, 422, 429, 503, 507)},
    )
    async def create_clip(body: ClipIn) -> JSONResponse:
        """Queue a clip (202 with a status URL), or answer 200 with its URLs when it is stored."""
        request = prepare_request(body.to_request(), settings)
        pipeline, versions = await run_in_threadpool(front_and_versions)
        cid = clip_id(request, versions)
        stored = store.read_clip(cid)  # a small file, as in clip_status
        if stored is not None:
            return JSONResponse(done_body(stored), status_code=200)
        await run_in_threadpool(queue.check_room, cid)  # full: 429 now, before paying for the translation
        # bad text, unknown glosses, too long: 400 now, not a failed job; the worker renders this plan
        if request.text is not None:
            plan = await gate.run(plan_glosses, request, pipeline, settings)
        else:
            plan = await run_in_threadpool(plan_glosses, request, pipeline, settings)
        record = await run_in_threadpool(queue.submit, cid, request, plan_to_dict(plan, versions))  # room: atomically
        log.info("job %s", record.status, extra={"event": "job_submitted", "clip_id": cid, "status": record.status})
        out: dict[str, Any] = {"id": cid, "status": record.status, "status_url": clip_urls(cid)["status"]}
        if record.status == "failed" and record.error:  # failed lately: not tried again yet (failed_retry_after_s)
            out["detail"] = record.error
        return JSONResponse(out, status_code=202)

    @router.get("/v1/clips/{cid}", response_model=ClipStatusOut, responses=error_responses(400, 404))
    async def clip_status(cid: str) -> JSONResponse:
        check_clip_id(cid)
        # Status polls and file requests run in the event loop (async def): a thread hop per request
        # and the GIL hand-overs it causes were most of their latency under load (BENCHMARKS.md).
        clip = store.read_clip(cid)  # a small file, usually in the page cache
        if clip is not None:
            return JSONResponse(done_body(clip))
        record = await run_in_threadpool(queue.get, cid)  # SQLite may wait for a writer's lock
        if record is None:
            return JSONResponse({"detail": f"no clip {cid}; create it with POST /v1/clips"}, status_code=404)
        if record.status == "done":
            # finished between the two reads: the worker stores the clip before the job is marked
            # done, so its clip.json is there by now; answer with it (and its urls). A job whose
            # lexicon changed before it rendered was stored under its new id (moved_to): that clip.
            clip = store.read_clip(record.moved_to or cid)
            if clip is not None:
                return JSONResponse(done_body(clip))
            return JSONResponse(  # evicted from the store since (store_max_bytes)
                {"detail": f"clip {cid} is no longer stored; create it again with POST /v1/clips"}, status_code=404)
        # Not rendered yet, so not reviewed yet (api/review.py reviews stored clips only; their
        # decision is in clip.json, which done_body reads).
        body: dict[str, Any] = {
            "id": cid, "status": record.status, "status_url": clip_urls(cid)["status"], "review_state": "draft",
        }
        if record.error:
            body["detail"] = record.error
        return JSONResponse(body)

    return router


def clip_files_router(store: ClipStore) -> APIRouter:
    """The files of stored clips; 404 (NotStored) while a clip is not completely stored."""
    router = APIRouter(tags=["clips"])

    def stored(cid: str) -> ClipRecord:
        clip = store.read_clip(check_clip_id(cid))
        if clip is None:
            raise NotStored(cid)
        return clip

    @router.api_route("/v1/clips/{cid}/video", methods=["GET", "HEAD"])
    async def clip_video(cid: str, request: Request) -> Response:
        fmt = stored(cid).format
        return serve_file(request, cid, store.paths(cid, fmt).video, MEDIA_TYPES[fmt])

    @router.api_route("/v1/clips/{cid}/subtitles.vtt", methods=["GET", "HEAD"])
    async def clip_subtitles(cid: str, request: Request) -> Response:
        stored(cid)
        return serve_file(request, cid, store.paths(cid).subtitles, "text/vtt; charset=utf-8")

    @router.api_route("/v1/clips/{cid}/poster.png", methods=["GET", "HEAD"])
    async def clip_poster(cid: str, request: Request) -> Response:
        stored(cid)
        return serve_file(request, cid, store.paths(cid).poster, "image/png")

    @router.api_route("/v1/clips/{cid}/poster.jpg", methods=["GET", "HEAD"])
    async def clip_poster_jpeg(cid: str, request: Request) -> Response:
        return await poster_copy(cid, request, "jpg")

    @router.api_route("/v1/clips/{cid}/poster.webp", methods=["GET", "HEAD"])
    async def clip_poster_webp(cid: str, request: Request) -> Response:
        return await poster_copy(cid, request, "webp")

    async def poster_copy(cid: str, request: Request, kind: PosterKind) -> Response:
        """A web copy of the poster; a clip stored before they were written gets it made from its
        poster.png now (on a thread: Pillow takes milliseconds), stored atomically for next time."""
        stored(cid)
        poster = store.paths(cid).poster
        path = variant_path(poster, kind)
        if not path.is_file():
            try:
                await run_in_threadpool(poster_variant_from_png, poster, kind)
            except FileNotFoundError:
                return JSONResponse({"detail": f"clip {cid} has no poster"}, status_code=404)
        return serve_file(request, cid, path, POSTER_TYPES[kind])

    @router.api_route("/v1/clips/{cid}/motion.pose", methods=["GET", "HEAD"])
    async def clip_pose(cid: str, request: Request) -> Response:
        if not stored(cid).has_pose:
            return JSONResponse({"detail": f"clip {cid} was rendered without a .pose file; ask with options.pose"},
                                status_code=404)
        return serve_file(request, cid, store.paths(cid).pose, "application/octet-stream")

    @router.api_route("/v1/clips/{cid}/motion.glb", methods=["GET", "HEAD"])
    async def clip_motion(cid: str, request: Request) -> Response:
        if not stored(cid).has_motion:
            return JSONResponse({"detail": f"clip {cid} has no motion.glb: it was rendered before clips had one "
                                           "(or without an avatar); render it again for the 3D player"},
                                status_code=404)
        return serve_file(request, cid, store.paths(cid).motion, GLB_TYPE)

    @router.api_route("/v1/clips/{cid}/metadata.json", methods=["GET", "HEAD"])
    def clip_metadata(cid: str) -> Response:
        # The review state may change later (an editor approves the clip), so this one is revalidated;
        # the public view of clip.json: older files may still name the editor (public_metadata).
        return JSONResponse(public_metadata(dict(stored(cid).data)), headers={"Cache-Control": "no-cache"})

    return router


def serve_file(request: Request, cid: str, path: Path, media_type: str, cache: str = IMMUTABLE) -> Response:
    """A clip's file with its ETag; 304 when the client has it already."""
    etag = f'"{cid}-{path.name}"'
    headers = {"ETag": etag, "Cache-Control": cache}
    wanted = request.headers.get("if-none-match", "")
    if etag_matches(wanted, etag):
        if is_compressible(media_type):  # the gzip variant's tag is weak (api/compression.py)
            headers = {**headers, "ETag": revalidation_etag(etag, wanted, media_type), "Vary": "Accept-Encoding"}
        return Response(status_code=304, headers=headers)
    return ClipFileResponse(path, media_type, headers)
