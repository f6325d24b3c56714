"""Captured fingers against drawn fingers: how well does `signavatar capture` get the hands of a render?

Each sign is rendered (512x512, the product's MP4) from its lexicon entry and captured back in
process (capture_sign, the CLI's defaults). Frame t of the clip is frame t of the drawn motion, so
the captured finger rotations (the 15 finger joints of each signing hand, over the sign's span as
capture found it) are compared with the drawn ones directly, without re-rendering or aligning:
the mean angle between the local joint rotations, in degrees. Run with and without the handshape
bank. Faster than benchmarks/roundtrip.py and blind to arms and timing; the round trip is the
acceptance measure, this one isolates the hands. MediaPipe's readings of each clip are computed
once per run and shared by both variants.

Default signs: the round trip's six and the 12 most used in the Bürgeramt sentences (17, ICH is in
both); `--more` adds the next most used (ranks 13-40, less the six: 26) as a second group, signs the capture's
constants were not chosen on (15 of them were used to compare variants of the bank's places).

usage: .venv/bin/python benchmarks/capture_fingers.py [--signs "DANKE ICH" | --more] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.roundtrip import SIGNS, frequent_signs  # noqa: E402
from signavatar.avatar.quaternions import quat_angle, quat_conj, quat_mul  # noqa: E402
from signavatar.avatar.skeleton import FINGERS, Skeleton, finger_joints  # noqa: E402
from signavatar.capture import sign_capture as capture_cli  # noqa: E402
from signavatar.capture.hand_bank import bank_path, load_bank  # noqa: E402
from signavatar.capture.holistic_video import read_signer  # noqa: E402
from signavatar.frames_to_video.encode import encode_video  # noqa: E402
from signavatar.pipeline import Pipeline  # noqa: E402
from signavatar.settings import Settings  # noqa: E402
from signavatar.types import PoseTrack, RenderOptions  # noqa: E402

SIZE = 512


def finger_error(done: capture_cli.Capture, drawn: PoseTrack, skeleton: Skeleton) -> float:
    """Mean angle (degrees) between the captured and the drawn local rotations of the signing hands'
    15 finger joints, over the sign's span as capture found it (frame t of the clip = frame t drawn)."""
    frames = np.arange(done.span.start, done.span.end + 1)
    joints = [skeleton.index(j) for side in done.span.sides for f in FINGERS for j in finger_joints(side, f)]
    got = done.track.rotations[frames][:, joints].astype(np.float64)
    want = drawn.rotations[frames][:, joints].astype(np.float64)
    return float(np.degrees(quat_angle(quat_mul(quat_conj(got), want))).mean())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--signs", help="lexicon signs (default: the round trip's six and its 12 most frequent)")
    ap.add_argument("--more", action="store_true", help="also the next most used signs (ranks 13-40), reported apart")
    ap.add_argument("--json", type=Path, help="write the per-sign results here")
    args = ap.parse_args()
    pipeline = Pipeline(Settings.from_env(os.environ))
    skeleton = pipeline.avatar.skeleton
    if args.signs:
        groups = {"given": args.signs.split()}
    else:
        frequent = frequent_signs(pipeline, 40)
        groups = {"six + twelve most used": list(dict.fromkeys([*SIGNS, *frequent[:12]]))}
        if args.more:
            groups["next most used"] = [s for s in frequent[12:] if s not in SIGNS]
    signs = [s for group in groups.values() for s in group]
    bank = load_bank(bank_path(pipeline.settings.lexicon_dir), skeleton, pipeline.lexicon)
    options = RenderOptions(width=SIZE, height=SIZE, fps=25, format="mp4")
    readings: dict[str, object] = {}

    def read_once(path: Path, body_space: str) -> object:
        if str(path) not in readings:
            readings[str(path)] = read_signer(path, body_space)
        return readings[str(path)]

    capture_cli.read_signer = read_once  # type: ignore[assignment]  # both variants read each clip once
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="signavatar-fingers-") as tmp:
        for sign in signs:
            drawn = pipeline.motion(pipeline.parse_glosses(sign), options)
            clip = Path(tmp) / f"{sign}.mp4"
            encode_video(pipeline.frames(drawn, options), clip, fps=25, width=SIZE, height=SIZE, fmt="mp4")
            row = {}
            for name, b in (("angles", None), ("bank", bank)):
                done = capture_cli.capture_sign(clip, "TEST-X", skeleton, pipeline.lexicon, bank=b)
                row[name] = finger_error(done, drawn, skeleton)
            results[sign] = row
            print(f"{sign:10s} finger angles alone {row['angles']:5.1f} deg, with the bank {row['bank']:5.1f} deg",
                  flush=True)
    for group, members in groups.items():
        for name in ("angles", "bank"):
            mean = np.mean([results[s][name] for s in members])
            print(f"{group}: mean {name}: {mean:.1f} deg over {len(members)} signs")
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, no GPU; {SIZE}x{SIZE}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
