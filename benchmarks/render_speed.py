"""Render + encode speed of a ~10 s clip at 512x512, 25 fps, against ffmpeg encoding the same number
of frames from its own test source on the same machine (the baseline), reported as a ratio.

usage: .venv/bin/python benchmarks/render_speed.py [--size 512] [--seconds 10]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

from signavatar.frames_to_video.encode import encode_video
from signavatar.pipeline import Pipeline
from signavatar.settings import Settings
from signavatar.types import RenderOptions

GLOSSES = "HEUTE ICH TERMIN BÜRGERAMT HABEN fs-MEIER PERSONALAUSWEIS NEU BRAUCHEN WO"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--seconds", type=float, default=10.0)
    args = ap.parse_args()
    pipeline = Pipeline(Settings.from_env(os.environ))
    opts = RenderOptions(width=args.size, height=args.size, fps=25)
    seq = pipeline.parse_glosses(GLOSSES)
    track = pipeline.motion(seq, opts)
    frames_wanted = int(args.seconds * 25)
    # warm-up: context creation and first upload are not part of the per-frame cost
    next(iter(pipeline.frames(track, opts)))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.mp4"

        def frames():
            n = 0
            while n < frames_wanted:
                for f in pipeline.frames(track, opts):
                    if n == frames_wanted:
                        return
                    n += 1
                    yield f

        t0 = time.perf_counter()
        count = encode_video(frames(), out, fps=25, width=args.size, height=args.size, fmt="mp4")
        avatar_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=size={args.size}x{args.size}:rate=25",
             "-frames:v", str(frames_wanted), "-c:v", "libx264", "-preset", "veryfast", "-crf", "20",
             "-pix_fmt", "yuv420p", str(Path(tmp) / "base.mp4")],
            check=True,
        )
        base_s = time.perf_counter() - t0
    avatar_fps, base_fps = count / avatar_s, frames_wanted / base_s
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, {date.today().isoformat()}")
    print(f"avatar render+encode: {count} frames {args.size}x{args.size} in {avatar_s:.2f} s = {avatar_fps:.1f} fps")
    print(f"ffmpeg testsrc2 encode (baseline): {frames_wanted} frames in {base_s:.2f} s = {base_fps:.1f} fps")
    print(f"ratio avatar/baseline: {avatar_fps / base_fps:.2f}")
    pipeline.close()


if __name__ == "__main__":
    main()
