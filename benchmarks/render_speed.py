"""Render + encode speed of a 10 s clip at 512x512, 25 fps, against two baselines measured in the
same run: ffmpeg encoding the same number of frames from its own test source, and pose-format's
PoseVisualizer drawing a 2D skeleton video of the same length (real .pose files from the installed
spoken-to-signed lexicon, looped to the frame count) encoded with the same encoder settings.

usage: .venv/bin/python benchmarks/render_speed.py [--size 512] [--seconds 10] [--repeat 3] [--processes N]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
from bench_settings import bench_settings  # benchmarks/ sibling module

from signavatar.frames_to_video.encode import encode_video
from signavatar.pipeline import Pipeline
from signavatar.types import PoseTrack, RenderOptions

GLOSSES = "HEUTE ICH TERMIN BÜRGERAMT HABEN fs-MEIER PERSONALAUSWEIS NEU BRAUCHEN WO"
FPS = 25


def looped(track: PoseTrack, frames: int) -> PoseTrack:
    """`track` repeated until it has `frames` frames."""
    idx = np.arange(frames) % track.num_frames
    return replace(
        track, rotations=track.rotations[idx], root=track.root[idx], face=track.face[idx],
        labels=tuple(track.labels[i] for i in idx),
    )


def skeleton_frames(size: int, frames: int) -> Callable[[], Iterator[np.ndarray]]:
    """PoseVisualizer drawing real fingerspelling .pose files (looped) at size x size."""
    import numpy.ma as ma
    import spoken_to_signed
    from pose_format import Pose
    from pose_format.numpy.pose_body import NumPyPoseBody
    from pose_format.pose_visualizer import PoseVisualizer

    folder = Path(spoken_to_signed.__file__).parent / "assets" / "fingerspelling_lexicon" / "gsg"
    poses = [Pose.read(f.read_bytes()) for f in sorted(folder.glob("*.pose"))]
    data = ma.concatenate([p.body.data for p in poses])  # (frames, people, points, dims)
    conf = np.concatenate([p.body.confidence for p in poses])
    idx = np.arange(frames) % len(data)
    header = poses[0].header
    scale = size / max(header.dimensions.width, header.dimensions.height)
    header.dimensions.width = header.dimensions.height = size
    data = data[idx] * np.array([scale, scale, 1.0], np.float32)
    visualizer = PoseVisualizer(Pose(header, NumPyPoseBody(fps=FPS, data=data, confidence=conf[idx])))

    def draw() -> Iterator[np.ndarray]:
        for frame in visualizer.draw():  # BGR; the channel order does not change the encoding cost
            yield np.ascontiguousarray(frame)

    return draw


def timed_encode(frames: Iterator[np.ndarray], out: Path, size: int) -> tuple[int, float]:
    t0 = time.perf_counter()
    count = encode_video(frames, out, fps=FPS, width=size, height=size, fmt="mp4")
    return count, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the median is reported")
    ap.add_argument("--processes", type=int, default=None, help="render processes (default: settings)")
    args = ap.parse_args()
    settings = bench_settings(args.processes)
    pipeline = Pipeline(settings)
    opts = RenderOptions(width=args.size, height=args.size, fps=FPS)
    wanted = int(args.seconds * FPS)
    track = looped(pipeline.motion(pipeline.parse_glosses(GLOSSES), opts), wanted)
    draw_skeleton = skeleton_frames(args.size, wanted)
    # warm-up: worker start, GL context and buffers are built once per process, not per clip
    next(iter(pipeline.frames(track, opts)))
    avatar, base, skel = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            count, s = timed_encode(pipeline.frames(track, opts), Path(tmp) / "avatar.mp4", args.size)
            avatar.append(count / s)
            t0 = time.perf_counter()
            subprocess.run(
                ["ffmpeg", "-v", "error", "-y", "-f", "lavfi",
                 "-i", f"testsrc2=size={args.size}x{args.size}:rate={FPS}",
                 "-frames:v", str(wanted), "-c:v", "libx264", "-preset", "veryfast", "-crf", "20",
                 "-pix_fmt", "yuv420p", str(Path(tmp) / "base.mp4")],
                check=True,
            )
            base.append(wanted / (time.perf_counter() - t0))
            count, s = timed_encode(draw_skeleton(), Path(tmp) / "skeleton.mp4", args.size)
            skel.append(count / s)
    pipeline.close()
    a, b, k = (statistics.median(x) for x in (avatar, base, skel))
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, {date.today().isoformat()}, "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"render processes: {settings.render_processes}; {wanted} frames {args.size}x{args.size}; "
          f"median of {args.repeat} runs (all runs in fps)")
    print(f"avatar render+encode: {a:.1f} fps  {[round(x, 1) for x in avatar]}")
    print(f"ffmpeg testsrc2 encode (baseline): {b:.1f} fps  {[round(x, 1) for x in base]}")
    print(f"PoseVisualizer 2D skeleton draw+encode: {k:.1f} fps  {[round(x, 1) for x in skel]}")
    print(f"ratio avatar/ffmpeg: {a / b:.2f}; avatar/skeleton: {a / k:.2f}")


if __name__ == "__main__":
    main()
