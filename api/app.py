"""create_app: the FastAPI service around the clip store and the job queue, assembled from one
router per area (clips, translation, memory, review, preview, lexicon, embed and its 3D player's
scripts, editor, avatar, service)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from starlette.routing import BaseRoute, Route

from api.access import KeyCheckMiddleware
from api.auth import API, EDITOR, KeyRequirement, Keys, warn_if_open
from api.avatar_api import avatar_router
from api.body_limit import BodyLimitMiddleware
from api.clips_api import clip_files_router, clips_router
from api.compression import GzipMiddleware
from api.editor import editor_router
from api.editor_preview import editor_preview_router
from api.embed import embed_router
from api.error_handlers import install_error_handlers
from api.front_pipeline import FrontPipeline, ServiceFactory, default_factory
from api.gloss_api import gloss_router
from api.hosts import HostCheckMiddleware
from api.lexicon_api import IMPORT_PATH, lexicon_router
from api.logs import log_config
from api.memory_api import memory_router
from api.metrics import HttpMetrics
from api.openapi import install_openapi
from api.origins import OriginMiddleware
from api.player3d import assets as player_assets
from api.player_assets import player_assets_router
from api.preview import preview_router
from api.rate_limit import GlossRateLimit, RateLimiter
from api.request_log import RequestObserver
from api.review import review_router
from api.service_api import service_router
from api.sign_clip_api import sign_clip_router
from api.sign_recording_api import UPLOAD_PATH, sign_recording_router, upload_limit
from api.translate_gate import TranslateGate
from signavatar import __version__
from signavatar.jobs.clip_job import clip_job_factory
from signavatar.jobs.queue import JobQueue
from signavatar.jobs.queue_backend import QueueBackend
from signavatar.jobs.store import ClipStore
from signavatar.lexicon.package import MAX_PACKAGE_BYTES
from signavatar.review import REVIEW_FILENAME, ReviewLog
from signavatar.settings import Settings
from signavatar.translation_memory import MEMORY_FILENAME, TranslationMemory


def create_app(settings: Settings, pipeline_factory: ServiceFactory | None = None) -> FastAPI:
    """The service. Renders run in worker processes, each making its own pipeline from
    `pipeline_factory` (which must therefore be picklable: a module-level callable or a dotted
    path "module:name"); the request handlers share one (api/front_pipeline.py)."""
    store = ClipStore(settings.data_dir / "clips")
    front = FrontPipeline(pipeline_factory or default_factory, settings)
    queue = make_queue(settings, store, front, pipeline_factory)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        queue.start()
        try:
            yield
        finally:
            queue.close(wait=True)
            front.close()

    # docs_url/redoc_url off: FastAPI's pages load their JS from a CDN; /docs is self-contained.
    app = FastAPI(title="signavatar", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None)
    install_openapi(app)
    install_error_handlers(app)
    keys = Keys(settings)
    http_metrics = HttpMetrics()
    warn_if_open(settings)
    # Every translation of a request runs through one gate (api/translate_gate.py), so a flood of
    # them neither holds the threadpool the sync endpoints need (/embed ...) nor waits unbounded.
    gate = TranslateGate(settings.translate_concurrency, settings.translate_max_waiting)
    require_key = Depends(KeyRequirement(keys, API))
    require_editor = Depends(KeyRequirement(keys, EDITOR))
    memory = TranslationMemory(settings.data_dir / MEMORY_FILENAME)
    reviews = ReviewLog(settings.data_dir / REVIEW_FILENAME)

    routers = [
        service_router(http_metrics, queue.stats, gate),
        clips_router(store, queue, front, gate, settings, require_key),
        clip_files_router(store),
        gloss_router(front, gate, GlossRateLimit(RateLimiter(settings.gloss_rate_per_min), keys), settings),
        embed_router(store, queue.get, settings),
        player_assets_router(player_assets()),
        editor_router(),
        editor_preview_router(store, keys, settings.editor_key, require_editor),
        sign_recording_router(front.get, front.reload, settings, require_editor),
        memory_router(memory, front, keys, settings, require_editor),
        review_router(store, queue.get, reviews, memory, lambda g: front.get().parse_glosses(g), require_editor),
        preview_router(front.get, settings, require_key, gate),
        lexicon_router(front.get, front.reload, reviews, settings, require_editor, store),
        sign_clip_router(front.get, settings),
        avatar_router(front.get, settings),
    ]
    for router in routers:
        app.include_router(router)
    # The middlewares match a request to its route before the app does (the key's role, the
    # route's name in the metrics): the routes themselves, not the included routers' wrappers.
    routes: list[BaseRoute] = [r for r in app.router.routes if isinstance(r, Route)]
    routes += [r for router in routers for r in router.routes]
    install_middlewares(app, settings, keys, http_metrics, lambda: routes)
    return app


def make_queue(
    settings: Settings, store: ClipStore, front: FrontPipeline, pipeline_factory: ServiceFactory | None,
) -> QueueBackend:
    """The job queue of settings.queue_backend; a worker that stored a clip with newer lexicon files
    makes the front pipeline reload."""
    if settings.queue_backend == "celery":  # renders on `signavatar worker` processes (signavatar/distributed/)
        from signavatar.distributed.service_queue import CeleryJobQueue

        return CeleryJobQueue(settings, store=store, on_versions_changed=front.reload)
    return JobQueue(
        settings.data_dir / "jobs.sqlite", clip_job_factory(settings, pipeline_factory), workers=settings.workers,
        max_queue=settings.max_queue, job_timeout_s=settings.job_timeout_s, max_attempts=settings.max_attempts,
        recycle_after=settings.worker_recycle_after,
        worker_log_config=log_config(settings.log_format, secrets=[settings.api_key, settings.editor_key]),
        failed_retry_after_s=settings.failed_retry_after_s, store=store, store_max_bytes=settings.store_max_bytes,
        on_versions_changed=front.reload,
    )


def install_middlewares(
    app: FastAPI, settings: Settings, keys: Keys, http_metrics: HttpMetrics, routes: Callable[[], Sequence[BaseRoute]],
) -> None:
    """Added innermost first. Who may do what, outermost first: the Host (DNS rebinding), the page's
    origin (CORS, writes from foreign pages), then the key of a write request, all before its body
    is read (api/access.py); the request observer outermost, so it sees the 413s too."""
    # a lexicon package and a recorded video are larger than any JSON body (signavatar/lexicon/package.py and
    # api/multipart_form.py check them again)
    larger = {IMPORT_PATH: max(MAX_PACKAGE_BYTES, settings.max_body_bytes), UPLOAD_PATH: upload_limit(settings)}
    app.add_middleware(GzipMiddleware)  # innermost: the answers as the routes made them (api/compression.py)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes, larger=larger)
    app.add_middleware(KeyCheckMiddleware, keys=keys, routes=routes)
    app.add_middleware(OriginMiddleware, settings=settings)
    app.add_middleware(HostCheckMiddleware, settings=settings)
    app.add_middleware(RequestObserver, metrics=http_metrics, routes=routes)
