"""The pipeline of the HTTP request handlers (translation, plans, versions, the lexicon pages);
renders run in the job queue's worker processes, each with a pipeline of its own."""

from __future__ import annotations

import threading
from collections.abc import Callable

from signavatar.pipeline_protocols import ServicePipeline
from signavatar.settings import Settings

ServiceFactory = Callable[[Settings], ServicePipeline]
"""Makes the service's pipeline from the settings. The job queue's workers make theirs from the
same factory, which must therefore be picklable: a module-level callable or a dotted path."""


def default_factory(settings: Settings) -> ServicePipeline:
    from signavatar.pipeline import Pipeline  # heavy (lexicon, avatar, GL): only when first needed

    return Pipeline(settings)


class FrontPipeline:
    """One pipeline for all request handlers, made on first use (loading the lexicon and the
    avatar takes a while: call `get` on a thread), dropped by `reload` when the lexicon files changed."""

    def __init__(self, factory: ServiceFactory, settings: Settings) -> None:
        self._factory, self._settings = factory, settings
        self._lock = threading.Lock()
        self._front: ServicePipeline | None = None

    def get(self) -> ServicePipeline:
        with self._lock:
            if self._front is None:
                self._front = self._factory(self._settings)
            return self._front

    def reload(self) -> None:
        """Drop the pipeline (after the lexicon files changed): the next request loads anew."""
        with self._lock:
            old, self._front = self._front, None
        if old is not None:
            old.close()

    close = reload  # at shut-down the same: drop it and release its renderers
