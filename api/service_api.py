"""The service's own pages: /healthz (load balancers), /metrics (Prometheus) and /docs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from api.metrics import CONTENT_TYPE as METRICS_TYPE
from api.metrics import HttpMetrics, exposition, read_stats
from api.responses import HealthOut
from api.translate_gate import TranslateGate
from signavatar import __version__
from signavatar.jobs.queue import QueueStats

DOCS_PAGE = Path(__file__).resolve().parent / "static" / "api-docs.html"


def service_router(http_metrics: HttpMetrics, queue_stats: Callable[[], QueueStats], gate: TranslateGate) -> APIRouter:
    router = APIRouter(tags=["service"])

    @router.get("/healthz", response_model=HealthOut)
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @router.get("/metrics", response_class=Response, responses={200: {"content": {METRICS_TYPE: {}},
                "description": "Prometheus text format 0.0.4"}})
    def metrics() -> Response:
        translations = (gate.running, gate.waiting)
        return Response(exposition(http_metrics, read_stats(queue_stats), translations), media_type=METRICS_TYPE)

    @router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE.read_text(encoding="utf-8"))

    return router
