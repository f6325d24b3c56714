"""create_app: the FastAPI service around render_clip, the clip store and the job queue."""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from api.access import KeyCheckMiddleware
from api.auth import API, EDITOR, KeyRequirement, Keys, presented_key, warn_if_open
from api.body_limit import BodyLimitMiddleware
from api.clip_file import ClipFileResponse
from api.editor import editor_router
from api.embed import embed_router
from api.hosts import HostCheckMiddleware
from api.lexicon_api import lexicon_router
from api.logs import log_config
from api.metrics import CONTENT_TYPE as METRICS_TYPE
from api.metrics import HttpMetrics, exposition, read_stats
from api.openapi import install_openapi
from api.origins import OriginMiddleware
from api.preview import preview_router
from api.rate_limit import GlossRateLimit, RateLimiter
from api.request_log import RequestObserver
from api.review import review_router
from api.responses import (
    ClipStatusOut, GlossSequenceOut, HealthOut, MemoryEntryOut, MemoryMatchOut, error_responses,
)
from api.schemas import ClipIn, MemoryIn, clip_urls, done_body
from api.translate_gate import TranslateGate
from signavatar import __version__
from signavatar.errors import InvalidInputError
from signavatar.jobs.metadata import NOTICE, public_metadata, sequence_to_dict
from signavatar.jobs.clip_job import clip_job_factory
from signavatar.jobs.queue import JobQueue, QueueFull, StoreFull
from signavatar.jobs.render import PipelineLike, gloss_request
from signavatar.jobs.request import check_duration, clip_id, normalise_text, prepare_request
from signavatar.jobs.store import ClipStore, check_clip_id
from signavatar.review import REVIEW_FILENAME, ReviewLog
from signavatar.settings import Settings
from signavatar.translation_memory import MEMORY_FILENAME, MemoryEntry, TranslationMemory
from signavatar.types import ClipRequest

log = logging.getLogger(__name__)

PipelineFactory = Callable[[Settings], PipelineLike]
MEDIA_TYPES = {"mp4": "video/mp4", "webm": "video/webm", "gif": "image/gif"}
IMMUTABLE = "public, max-age=31536000, immutable"
DOCS_PAGE = Path(__file__).resolve().parent / "static" / "api-docs.html"


def _default_factory(settings: Settings) -> PipelineLike:
    from signavatar.pipeline import Pipeline  # heavy (lexicon, avatar, GL): only when first needed

    return Pipeline(settings)


class _Pipelines:
    """The pipeline of the request handlers (translate, versions); renders run in the job queue's
    worker processes, each with a pipeline of its own."""

    def __init__(self, factory: PipelineFactory, settings: Settings) -> None:
        self._factory, self._settings = factory, settings
        self._lock = threading.Lock()
        self._front: PipelineLike | None = None

    def front(self) -> PipelineLike:
        with self._lock:
            if self._front is None:
                self._front = self._factory(self._settings)
            return self._front

    def reload_front(self) -> None:
        """Drop the front pipeline (after the lexicon files changed): the next request loads anew."""
        with self._lock:
            old, self._front = self._front, None
        close = getattr(old, "close", None)
        if close is not None:
            close()

    def close_front(self) -> None:
        close = getattr(self._front, "close", None)
        if close is not None:
            close()


def create_app(settings: Settings, pipeline_factory: PipelineFactory | None = None) -> FastAPI:
    store = ClipStore(settings.data_dir / "clips")
    pipelines = _Pipelines(pipeline_factory or _default_factory, settings)

    # Renders run in worker processes, each making its own pipeline from `pipeline_factory` (which
    # must therefore be picklable: a module-level callable or a dotted path "module:name").
    queue: Any
    if settings.queue_backend == "celery":  # renders on `signavatar worker` processes (signavatar/distributed/)
        from signavatar.distributed.service_queue import CeleryJobQueue

        queue = CeleryJobQueue(settings, store=store, on_versions_changed=pipelines.reload_front)
    else:
        queue = JobQueue(
            settings.data_dir / "jobs.sqlite", clip_job_factory(settings, pipeline_factory), workers=settings.workers,
            max_queue=settings.max_queue, job_timeout_s=settings.job_timeout_s, max_attempts=settings.max_attempts,
            recycle_after=settings.worker_recycle_after,
            worker_log_config=log_config(settings.log_format, secrets=[settings.api_key, settings.editor_key]),
            failed_retry_after_s=settings.failed_retry_after_s, store=store, store_max_bytes=settings.store_max_bytes,
            on_versions_changed=pipelines.reload_front,  # a worker stored a clip with newer lexicon files
        )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        queue.start()
        try:
            yield
        finally:
            queue.close(wait=True)
            pipelines.close_front()

    # docs_url/redoc_url off: FastAPI's pages load their JS from a CDN; /docs below is self-contained.
    app = FastAPI(title="signavatar", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None)
    install_openapi(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    # Who may do what, outermost first: the Host (DNS rebinding), the page's origin (CORS, writes from
    # foreign pages), then the key of a write request, all before its body is read (api/access.py).
    keys = Keys(settings)
    app.add_middleware(KeyCheckMiddleware, keys=keys, routes=lambda: app.routes)
    app.add_middleware(OriginMiddleware, settings=settings)
    app.add_middleware(HostCheckMiddleware, settings=settings)
    http_metrics = HttpMetrics()
    # Every translation of a request runs through one gate (api/translate_gate.py), so a flood of
    # them neither holds the threadpool the sync endpoints need (/embed ...) nor waits unbounded.
    translate_gate = TranslateGate(settings.translate_concurrency, settings.translate_max_waiting)
    app.add_middleware(RequestObserver, metrics=http_metrics, routes=lambda: app.routes)  # outermost: sees 413s too
    require_key = Depends(KeyRequirement(keys, API))
    require_editor = Depends(KeyRequirement(keys, EDITOR))
    warn_if_open(settings)

    @app.exception_handler(InvalidInputError)
    async def invalid_input(request: Request, exc: InvalidInputError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(QueueFull)
    async def queue_full(request: Request, exc: QueueFull) -> JSONResponse:
        retry = max(1, math.ceil(exc.retry_after_s))
        return JSONResponse({"detail": str(exc)}, status_code=429, headers={"Retry-After": str(retry)})

    @app.exception_handler(StoreFull)
    async def store_full(request: Request, exc: StoreFull) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=507)

    @app.exception_handler(RequestValidationError)
    async def invalid_body(request: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for err in exc.errors():
            where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path"))
            parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg", "invalid")))
        return JSONResponse({"detail": "; ".join(parts) or "invalid request"}, status_code=422)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return JSONResponse({"detail": "internal error; see the server log"}, status_code=500)

    @app.get("/healthz", response_model=HealthOut)
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/metrics", response_class=Response, responses={200: {"content": {METRICS_TYPE: {}},
             "description": "Prometheus text format 0.0.4"}})
    def metrics() -> Response:
        gate = (translate_gate.running, translate_gate.waiting)
        return Response(exposition(http_metrics, read_stats(queue), gate), media_type=METRICS_TYPE)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE.read_text(encoding="utf-8"))

    gloss_limit = GlossRateLimit(RateLimiter(settings.gloss_rate_per_min), keys)

    def front_and_id(request: ClipRequest) -> tuple[PipelineLike, str]:
        pipeline = pipelines.front()  # the first call loads the lexicon and the avatar: on a thread
        return pipeline, clip_id(request, pipeline.versions())

    def check_plan(request: ClipRequest, pipeline: PipelineLike) -> None:
        seq = gloss_request(request, pipeline, settings)  # bad text or unknown glosses: 400 now, not a failed job
        check_duration(pipeline, seq, request.options, settings)  # too long: 400 now, not a failed job

    @app.post(
        "/v1/clips", dependencies=[require_key], response_model=ClipStatusOut, status_code=202,
        responses={200: {"model": ClipStatusOut, "description": "already rendered: its files"},
                   **error_responses(400, 401, 403, 411, 413, 422, 429, 503, 507)},
    )
    async def create_clip(body: ClipIn) -> JSONResponse:
        """Queue a clip (202 with a status URL), or answer 200 with its URLs when it is stored."""
        request = prepare_request(body.to_request(), settings)
        pipeline, cid = await run_in_threadpool(front_and_id, request)
        meta = store.read_metadata(cid)  # a small file, as in clip_status
        if meta is not None:
            return JSONResponse(done_body(meta), status_code=200)
        await run_in_threadpool(queue.check_room, cid)  # full: 429 now, before paying for the translation
        if request.text is not None:
            await translate_gate.run(check_plan, request, pipeline)
        else:
            await run_in_threadpool(check_plan, request, pipeline)
        record = await run_in_threadpool(queue.submit, cid, request)  # checks for room again, atomically
        log.info("job %s", record.status, extra={"event": "job_submitted", "clip_id": cid, "status": record.status})
        out: dict[str, Any] = {"id": cid, "status": record.status, "status_url": clip_urls(cid)["status"]}
        if record.status == "failed" and record.error:  # failed lately: not tried again yet (failed_retry_after_s)
            out["detail"] = record.error
        return JSONResponse(out, status_code=202)

    @app.get("/v1/clips/{cid}", response_model=ClipStatusOut, responses=error_responses(400, 404))
    async def clip_status(cid: str) -> JSONResponse:
        check_clip_id(cid)
        # Status polls and file requests run in the event loop (async def): a thread hop per request
        # and the GIL hand-overs it causes were most of their latency under load (BENCHMARKS.md).
        meta = store.read_metadata(cid)  # a small file, usually in the page cache
        if meta is not None:
            return JSONResponse(done_body(meta))
        record = await run_in_threadpool(queue.get, cid)  # SQLite may wait for a writer's lock
        if record is None:
            return JSONResponse({"detail": f"no clip {cid}; create it with POST /v1/clips"}, status_code=404)
        if record.status == "done":
            # finished between the two reads: the worker stores the clip before the job is marked
            # done, so its clip.json is there by now; answer with it (and its urls). A job whose
            # lexicon changed before it rendered was stored under its new id (moved_to): that clip.
            meta = store.read_metadata(record.moved_to or cid)
            if meta is not None:
                return JSONResponse(done_body(meta))
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

    def serve(request: Request, cid: str, path: Path, media_type: str, cache: str) -> Response:
        etag = f'"{cid}-{path.name}"'
        headers = {"ETag": etag, "Cache-Control": cache}
        wanted = request.headers.get("if-none-match", "")
        if wanted and (wanted.strip() == "*" or etag in [t.strip().removeprefix("W/") for t in wanted.split(",")]):
            return Response(status_code=304, headers=headers)
        return ClipFileResponse(path, media_type, headers)

    def stored(cid: str) -> dict[str, Any]:
        meta = store.read_metadata(check_clip_id(cid))
        if meta is None:
            raise _NotStored(cid)
        return meta

    @app.exception_handler(_NotStored)
    async def not_stored(request: Request, exc: _NotStored) -> JSONResponse:
        return JSONResponse({"detail": f"clip {exc.args[0]} is not rendered (yet); see its status"}, status_code=404)

    @app.api_route("/v1/clips/{cid}/video", methods=["GET", "HEAD"])
    async def clip_video(cid: str, request: Request) -> Response:
        fmt = stored(cid)["options"]["format"]
        return serve(request, cid, store.paths(cid, fmt).video, MEDIA_TYPES[fmt], IMMUTABLE)

    @app.api_route("/v1/clips/{cid}/subtitles.vtt", methods=["GET", "HEAD"])
    async def clip_subtitles(cid: str, request: Request) -> Response:
        stored(cid)
        return serve(request, cid, store.paths(cid).subtitles, "text/vtt; charset=utf-8", IMMUTABLE)

    @app.api_route("/v1/clips/{cid}/poster.png", methods=["GET", "HEAD"])
    async def clip_poster(cid: str, request: Request) -> Response:
        stored(cid)
        return serve(request, cid, store.paths(cid).poster, "image/png", IMMUTABLE)

    @app.api_route("/v1/clips/{cid}/motion.pose", methods=["GET", "HEAD"])
    async def clip_pose(cid: str, request: Request) -> Response:
        if "pose" not in stored(cid)["files"]:
            return JSONResponse({"detail": f"clip {cid} was rendered without a .pose file; ask with options.pose"},
                                status_code=404)
        return serve(request, cid, store.paths(cid).pose, "application/octet-stream", IMMUTABLE)

    @app.api_route("/v1/clips/{cid}/metadata.json", methods=["GET", "HEAD"])
    def clip_metadata(cid: str) -> Response:
        # The review state may change later (an editor approves the clip), so this one is revalidated;
        # the public view of clip.json: older files may still name the editor (public_metadata).
        return JSONResponse(public_metadata(stored(cid)), headers={"Cache-Control": "no-cache"})

    @app.get("/v1/gloss", response_model=GlossSequenceOut, responses=error_responses(400, 422, 429, 503))
    async def gloss(request: Request, text: str = Query(..., description="German text")) -> dict[str, Any]:
        """The glosses of a German text. Public, so limited to gloss_rate_per_min requests a minute
        per client address (429), unless the request carries the API key or the editor key."""
        keyed = gloss_limit.check(request)
        clean = normalise_text(text)
        if not clean:
            raise InvalidInputError("text is empty: give a German sentence, e.g. ?text=Ich brauche einen Termin.")
        if len(clean) > settings.max_text_chars:
            raise InvalidInputError(f"text is {len(clean)} characters; the limit is {settings.max_text_chars}")
        seq = await translate_gate.run(lambda: pipelines.front().translate(clean), public=not keyed)
        return {**sequence_to_dict(seq), "machine_generated": True, "notice": NOTICE}

    app.include_router(embed_router(store, queue.get, settings))
    app.include_router(editor_router())

    memory = TranslationMemory(settings.data_dir / MEMORY_FILENAME)

    @app.post("/v1/memory", status_code=201, dependencies=[require_editor], response_model=MemoryEntryOut,
              responses=error_responses(400, 401, 403, 411, 413, 422))
    def approve_glosses(body: MemoryIn) -> dict[str, Any]:
        text = normalise_text(body.text)
        if not text:
            raise InvalidInputError("text is empty: give the German sentence the glosses translate")
        seq = pipelines.front().parse_glosses(body.glosses)  # an unknown gloss: 400 naming it
        return _entry_body(memory.approve(text, str(seq), body.editor, body.comment))

    reviews = ReviewLog(settings.data_dir / REVIEW_FILENAME)
    app.include_router(
        review_router(store, queue.get, reviews, memory, lambda g: pipelines.front().parse_glosses(g), require_editor)
    )
    app.include_router(preview_router(pipelines.front, settings, require_key, translate_gate))
    app.include_router(lexicon_router(pipelines.front, pipelines.reload_front, reviews, settings, require_editor))

    @app.get("/v1/memory", response_model=MemoryMatchOut, responses=error_responses(404, 422))
    def memory_lookup(request: Request, text: str = Query(..., description="German text")) -> JSONResponse:
        """The approved glosses for a sentence; who approved them, and the comment, for the editor key only."""
        match = memory.lookup(text)
        if match is None:
            return JSONResponse({"detail": "no approved glosses for this text"}, status_code=404)
        body = {**_entry_body(match.entry), "match": match.kind, "similarity": round(match.similarity, 3)}
        if not keys.is_editor(presented_key(request.scope["headers"])):
            body = {k: v for k, v in body.items() if k not in ("approved_by", "comment")}
        return JSONResponse(body)

    return app


def _entry_body(entry: MemoryEntry) -> dict[str, Any]:
    return {
        "text": entry.text, "glosses": entry.glosses, "approved_by": entry.approved_by,
        "approved_at": entry.approved_at, "comment": entry.comment,
    }


class _NotStored(Exception):
    """A file of a clip that is not (completely) stored was asked for."""
