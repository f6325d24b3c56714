"""The batch's progress on stderr: done/total, clips per minute and the time left.

On a terminal one line is redrawn with \\r; otherwise (a log file, CI) a plain line is written at
most every `every_s` seconds and at the end, so logs stay short.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any, TextIO


def format_eta(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"


class BatchProgress:
    """Counts finished items; rate and ETA count only rendered items (skipped ones take no time)."""

    def __init__(
        self, total: int, *, stream: TextIO | None = None, tty: bool | None = None, every_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic, width: int = 24,
    ) -> None:
        self.total, self.width, self.every_s, self.clock = total, width, every_s, clock
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.start = clock()
        self.done = self.rendered = self.failed = 0
        self._last_line = -float("inf")

    def update(self, done: int, total: int, item: dict[str, Any]) -> None:
        self.done, self.total = done, total
        if item.get("status") == "done":
            self.rendered += 1
        elif item.get("status") == "failed":
            self.failed += 1
        now = self.clock()
        if self.tty:
            self.stream.write("\r" + self.line() + "\x1b[K")
            self.stream.flush()
        elif now - self._last_line >= self.every_s or done == total:
            self._last_line = now
            self.stream.write(self.line() + "\n")
            self.stream.flush()

    def per_minute(self) -> float:
        elapsed = self.clock() - self.start
        return 60.0 * self.rendered / elapsed if elapsed > 0 else 0.0

    def eta_s(self) -> float | None:
        rate = self.per_minute()
        return None if rate <= 0 else (self.total - self.done) / rate * 60.0

    def line(self) -> str:
        filled = self.width * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (self.width - filled)
        failed = f", {self.failed} failed" if self.failed else ""
        return (f"[{bar}] {self.done}/{self.total}{failed}, {self.per_minute():.1f} clips/min, "
                f"ETA {format_eta(self.eta_s())}")

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
