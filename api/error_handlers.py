"""The answers of the service's errors: what went wrong and what to change, never a stack trace."""

from __future__ import annotations

import logging
import math

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from signavatar.errors import InvalidInputError
from signavatar.jobs.queue import QueueFull, StoreFull

log = logging.getLogger(__name__)


class NotStored(Exception):
    """A file of a clip that is not (completely) stored was asked for (404); its one argument is
    the clip id."""


async def invalid_input(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=400)


async def queue_full(request: Request, exc: Exception) -> JSONResponse:
    retry = max(1, math.ceil(exc.retry_after_s)) if isinstance(exc, QueueFull) else 1
    return JSONResponse({"detail": str(exc)}, status_code=429, headers={"Retry-After": str(retry)})


async def store_full(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=507)


async def not_stored(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": f"clip {exc} is not rendered (yet); see its status"}, status_code=404)


async def invalid_body(request: Request, exc: Exception) -> JSONResponse:
    parts = []
    for err in exc.errors() if isinstance(exc, RequestValidationError) else ():
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path"))
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg", "invalid")))
    return JSONResponse({"detail": "; ".join(parts) or "invalid request"}, status_code=422)


async def internal(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"detail": "internal error; see the server log"}, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(InvalidInputError, invalid_input)
    app.add_exception_handler(QueueFull, queue_full)
    app.add_exception_handler(StoreFull, store_full)
    app.add_exception_handler(NotStored, not_stored)
    app.add_exception_handler(RequestValidationError, invalid_body)
    app.add_exception_handler(Exception, internal)
