"""Settings for the benchmark scripts: the environment's, with an optional render-process override."""

from __future__ import annotations

import os
from dataclasses import replace

from signavatar.settings import Settings


def bench_settings(processes: int | None) -> Settings:
    """Settings from SIGNAVATAR_* variables; `processes` (from --processes) overrides render_processes."""
    settings = Settings.from_env(os.environ)
    return settings if processes is None else replace(settings, render_processes=processes)
