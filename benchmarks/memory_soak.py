"""Memory soak: one pipeline renders many short clips in a row (2-gloss sequences at 256x256, mp4
with subtitles and poster); reports the resident memory (this process plus any render workers)
after the first clip and its growth by the last. Target: <= 50 MB growth over 100 clips.

usage: .venv/bin/python benchmarks/memory_soak.py [--clips 100] [--size 256] [--processes N]
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
from datetime import date
from pathlib import Path

from bench_settings import bench_settings  # benchmarks/ sibling module

from signavatar.jobs.render import render_files
from signavatar.pipeline import Pipeline
from signavatar.types import ClipRequest, RenderOptions

PAIRS = ["TERMIN ICH", "BRAUCHEN WO", "HEUTE NEU", "PERSONALAUSWEIS HABEN", "fs-MEIER BÜRGERAMT"]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--clips", type=int, default=100)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--processes", type=int, default=None, help="render processes (default: settings)")
    args = ap.parse_args()
    settings = bench_settings(args.processes)
    pipeline = Pipeline(settings)
    options = RenderOptions(width=args.size, height=args.size, fps=25)
    samples: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.clips):
            glosses = PAIRS[n % len(PAIRS)]
            request = ClipRequest(glosses=glosses, options=options)
            seq = pipeline.parse_glosses(glosses)
            out = Path(tmp) / f"clip{n % 2}"
            render_files(request, seq, pipeline, video=out.with_suffix(".mp4"), subtitles=out.with_suffix(".vtt"),
                         poster=out.with_suffix(".png"))
            pids = [os.getpid(), *(pipeline.worker_pids())]
            samples.append(sum(rss_mb(p) for p in pids))
    pipeline.close()
    first, last, peak = samples[0], samples[-1], max(samples)
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, {date.today().isoformat()}")
    print(f"render processes: {settings.render_processes}; {args.clips} clips {args.size}x{args.size}")
    print(f"RSS after clip 1: {first:.1f} MB; after clip {args.clips}: {last:.1f} MB; peak {peak:.1f} MB")
    print(f"growth after the first clip: {last - first:+.1f} MB (target <= 50 MB)")
    print("RSS every 10 clips (MB):", [round(s, 1) for s in samples[9::10]])


if __name__ == "__main__":
    main()
