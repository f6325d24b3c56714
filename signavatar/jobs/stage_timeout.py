"""Per-stage time limits for one render (glosses, motion, frames + encoding).

The job engine also kills a worker whose whole job runs past job_timeout_s; a stage limit fails
earlier and says which stage hung. It uses SIGALRM, so it works in the main thread of a process
(worker processes and the CLI run renders there); elsewhere it does nothing and the job limit
remains. The exception unwinds through the stage, so encode_video kills its ffmpeg and removes
the partial file as for any error.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from signavatar.errors import SignavatarError


class StageTimeout(SignavatarError, TimeoutError):
    """A render stage took longer than its limit."""


@contextmanager
def stage_timeout(stage: str, seconds: float | None) -> Iterator[None]:
    """Raise StageTimeout in this block after `seconds` (None or 0: no limit)."""
    usable = (seconds is not None and seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise StageTimeout(f"the {stage} stage took longer than {seconds:g} s (stage_timeout_s); "
                           "shorten the text or raise the limit")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, float(seconds or 0))  # usable: seconds > 0
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0.0)
        signal.signal(signal.SIGALRM, previous)
