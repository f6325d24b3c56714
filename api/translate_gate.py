"""The one gate every translation of a request goes through (GET /v1/gloss, POST /v1/clips with
text, POST /v1/preview with text).

Translating is CPU work behind the tagger's process-wide lock (signavatar/text_to_gloss/
tagging.py), up to about half a second for the worst text of max_text_chars. Run in FastAPI's
threadpool, a flood of translations would hold all its threads (40), and every other sync endpoint
(/embed, metadata, ...) would wait behind them. So the gate lets at most `concurrency` translations
run at once, each on a thread of its own limiter (never one of the shared threadpool's), lets at
most `max_waiting` more wait for a place in the event loop, holding no thread, and answers any
beyond that at once with 503 and Retry-After. Public requests (GET /v1/gloss without a key) may
take only half of the waiting places, so a flood of them cannot refuse the CMS's and the editors'
translations (they keep the other half).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread
from fastapi import HTTPException

T = TypeVar("T")
DEFAULT_TRANSLATE_S = 0.2  # assumed seconds per translation for Retry-After before any finished


class TranslateGate:
    """At most `concurrency` translations running and `max_waiting` waiting; the rest get 503."""

    def __init__(self, concurrency: int, max_waiting: int) -> None:
        if concurrency < 1 or max_waiting < 0:
            raise ValueError("concurrency must be at least 1 and max_waiting not negative")
        self.concurrency, self.max_waiting = concurrency, max_waiting
        self._places = anyio.Semaphore(concurrency)
        self._threads = anyio.CapacityLimiter(concurrency)  # never blocks: a place is held first
        self._admitted = 0  # running + waiting; only changed in the event loop
        self._mean_s = DEFAULT_TRANSLATE_S

    @property
    def admitted(self) -> int:
        """Translations running or waiting now."""
        return self._admitted

    @property
    def running(self) -> int:
        """Translations holding a place now."""
        return self.concurrency - int(self._places.value)

    @property
    def waiting(self) -> int:
        """Translations waiting for a place now."""
        return max(0, self._admitted - self.running)

    async def run(self, fn: Callable[..., T], *args: object, public: bool = False) -> T:
        """`fn(*args)` on a translation thread once a place is free; HTTPException 503 at once when
        `concurrency` run and `max_waiting` wait already (`public`: half of max_waiting)."""
        waiting = self.max_waiting // 2 if public else self.max_waiting
        if self._admitted >= self.concurrency + waiting:
            retry = max(1, math.ceil(self._mean_s * self._admitted / self.concurrency))
            raise HTTPException(
                503,
                f"the service is busy translating ({self.concurrency} running, {waiting} waiting); "
                f"try again in {retry} s",
                headers={"Retry-After": str(retry)},
            )
        self._admitted += 1
        try:
            async with self._places:
                started = time.monotonic()
                # not cancellable (anyio's default): a client that goes away still holds its place
                # until its translation ends, so the bound on running threads holds
                result = await anyio.to_thread.run_sync(fn, *args, limiter=self._threads)
                self._mean_s = 0.8 * self._mean_s + 0.2 * (time.monotonic() - started)
                return result
        finally:
            self._admitted -= 1

