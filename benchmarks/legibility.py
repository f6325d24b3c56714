"""Legibility, read back by a machine: the 30 DGS alphabet recordings retargeted onto the avatar,
rendered at 512x512 with the product's camera, and MediaPipe Hands (static image mode) run on the
frame at the middle of each letter.

Reports, for the avatar and for the recording itself (the ceiling):
  found     - share of letters whose signing hand is found
  angle err - mean absolute difference of the 15 finger joint angles (image plane) from the
              recording's same frame
  letter    - share of letters whose read-back handshape is nearest to its own recorded letter
The ceiling compares the recording's frame two frames after the middle with its middle frame.

`--variations` measures the same figures under each of VARIATIONS (the default method run three
times, render size 384 and 640, the frame two before and two after the middle, MediaPipe's
detection confidence 0.5, its light model) and prints the median and range: publish the figure with
that spread (README, BENCHMARKS.md). tests/capture/test_legibility.py guards the default method.

usage: .venv/bin/python benchmarks/legibility.py [--variations] [--sheet docs/alphabet.png] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from signavatar.avatar.rig import Avatar
from signavatar.capture.alphabet import alphabet_recordings
from signavatar.capture.legibility import HandReader, classify, hand_features, joint_angles
from signavatar.capture.pose_file import read_holistic
from signavatar.capture.retarget import HolisticFrames, Retargeter
from signavatar.lexicon import Lexicon
from signavatar.pipeline import Pipeline
from signavatar.pose_to_frames.renderer import Camera, OffscreenRenderer
from signavatar.settings import Settings
from signavatar.types import PoseTrack

SIZE = 512


def _to_image(points: np.ndarray) -> np.ndarray:
    """Our axes back to image axes (y down) so directions compare with MediaPipe's pixels."""
    return points * np.array([1.0, -1.0, -1.0])


def write_sheet(tiles: list[tuple[str, np.ndarray]], path: Path) -> None:
    from matplotlib import font_manager
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(font_manager.findfont("DejaVu Sans"), 18)

    cols = 6
    w = tiles[0][1].shape[1]
    h = tiles[0][1].shape[0]
    sheet = Image.new("RGB", (cols * w, ((len(tiles) + cols - 1) // cols) * h), (255, 255, 255))
    draw = ImageDraw.Draw(sheet)
    for k, (letter, img) in enumerate(tiles):
        x, y = (k % cols) * w, (k // cols) * h
        sheet.paste(Image.fromarray(img), (x, y))
        draw.rectangle([x + 4, y + 4, x + 34, y + 30], fill=(20, 24, 36))
        draw.text((x + 10, y + 6), letter, fill=(255, 255, 255), font=font)
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(path)


@dataclass(frozen=True)
class Variation:
    """One way of running the read-back: render size, which frame of the held letter (offset from
    the middle one; the letter's template stays the recording's middle frame), MediaPipe settings."""

    name: str
    size: int = SIZE
    frame_offset: int = 0
    min_confidence: float = 0.3
    model_complexity: int = 1


DEFAULT = Variation("default")
#: the method variations the published figure's spread is taken over (chosen before any was run)
VARIATIONS: tuple[Variation, ...] = (
    DEFAULT, Variation("default, run 2"), Variation("default, run 3"),
    Variation("384x384", size=384), Variation("640x640", size=640),
    Variation("frame -2", frame_offset=-2), Variation("frame +2", frame_offset=2),
    Variation("min conf 0.5", min_confidence=0.5), Variation("light model", model_complexity=0),
)


@dataclass(frozen=True)
class Letter:
    """One recorded letter retargeted: its recording, the frames where the right hand is seen, the
    avatar's track, and the letter's template (hand_features of the recording's middle frame)."""

    name: str
    frames: HolisticFrames
    seen: tuple[int, ...]
    track: PoseTrack
    template: np.ndarray

    @property
    def middle(self) -> int:
        return self.seen[len(self.seen) // 2]

    def frame(self, offset: int) -> int:
        """The seen frame `offset` places from the middle one (clamped to the seen frames)."""
        k = min(max(len(self.seen) // 2 + offset, 0), len(self.seen) - 1)
        return self.seen[k]


@dataclass(frozen=True)
class ReadBack:
    """The read-back of some letters under one variation: per letter, the mean joint angle error
    (degrees; only letters whose hand was found) and the letter the reading is nearest to."""

    variation: Variation
    letters: tuple[str, ...]
    errors: dict[str, float]
    read_as: dict[str, str]

    @property
    def found(self) -> int:
        return len(self.errors)

    @property
    def recognised(self) -> list[str]:
        return [k for k, v in self.read_as.items() if v == k]

    @property
    def mean_error(self) -> float:
        return float(np.mean(list(self.errors.values())))

    @property
    def misread(self) -> dict[str, str]:
        return {k: v for k, v in self.read_as.items() if v != k}


def prepare_letters(avatar: Avatar, lexicon: Lexicon) -> list[Letter]:
    """The 30 alphabet recordings, retargeted onto the avatar (no rendering yet)."""
    sk = avatar.skeleton
    retarget = Retargeter(sk, lexicon)
    out = []
    for letter, path in alphabet_recordings().items():
        frames = read_holistic(path)
        seen = tuple(t for t in range(len(frames.right_hand)) if np.isfinite(frames.right_hand[t]).all())
        template = hand_features(_to_image(frames.right_hand[seen[len(seen) // 2]]))
        out.append(Letter(letter, frames, seen, retarget.track(frames, sk.skeleton_id), template))
    return out


def read_letters(avatar: Avatar, letters: list[Letter], variation: Variation = DEFAULT,
                 gl_platform: str = "egl") -> ReadBack:
    """Render each letter's frame (variation.frame_offset from its middle) with the product camera
    and read it back; templates are all the letters' (so pass all 30 even to judge a few)."""
    sk = avatar.skeleton
    camera = Camera()
    size = variation.size
    renderer = OffscreenRenderer(avatar, size, size, camera=camera, platform=gl_platform)
    reader = HandReader(variation.min_confidence, variation.model_complexity)
    templates = {x.name: x.template for x in letters}
    errors: dict[str, float] = {}
    read_as: dict[str, str] = {}
    try:
        for x in letters:
            t = x.frame(variation.frame_offset)
            world_r, world_p = sk.forward(x.track.rotations[t].astype(np.float64))
            image = renderer.render(*avatar.deform(world_r, world_p, x.track.face[t]))
            wrist_px = camera.project(world_p[sk.index("wrist.R")][None], size, size)[0]
            hand = reader.nearest(image, wrist_px)
            if hand is None:
                continue
            recorded = joint_angles(_to_image(x.frames.right_hand[t]))
            errors[x.name] = float(np.abs(joint_angles(hand.points) - recorded).mean())
            read_as[x.name] = classify(hand_features(hand.points), templates)
    finally:
        reader.close()
        renderer.close()
    return ReadBack(variation, tuple(x.name for x in letters), errors, read_as)


def spread_line(values: list[float], fmt: str) -> str:
    """'median M (range lo-hi)' of `values`."""
    return f"median {fmt.format(np.median(values))} (range {fmt.format(min(values))}-{fmt.format(max(values))})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variations", action="store_true", help="also run every method variation; print the spread")
    ap.add_argument("--sheet", type=Path, help="write a contact sheet PNG of the 30 letters here")
    ap.add_argument("--json", type=Path, help="write the per-letter results here")
    args = ap.parse_args()
    pipeline = Pipeline(Settings.from_env(os.environ))
    avatar = pipeline.avatar
    gl = pipeline.settings.gl_platform
    letters = prepare_letters(avatar, pipeline.lexicon)
    n = len(letters)
    templates = {x.name: x.template for x in letters}
    ceil_err, ceil_correct = [], []
    for x in letters:
        near = x.frame(2) if x.frame(2) - x.middle <= 2 else x.middle
        feats = hand_features(_to_image(x.frames.right_hand[near]))
        ceil_err.append(float(np.abs(feats[:15] - joint_angles(_to_image(x.frames.right_hand[x.middle]))).mean()))
        ceil_correct += [x.name] if classify(feats, templates) == x.name else []
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, {date.today().isoformat()}; "
          "mediapipe Hands static, min conf 0.3")
    runs = [read_letters(avatar, letters, v, gl) for v in (VARIATIONS if args.variations else (DEFAULT,))]
    for r in runs:
        print(f"avatar ({r.variation.name:14s}): hand found {r.found}/{n}; joint angle error {r.mean_error:.1f} deg; "
              f"letter recognised {len(r.recognised)}/{n} = {len(r.recognised) / n:.0%}; misread: "
              + (", ".join(f"{k}->{v}" for k, v in r.misread.items()) or "none")
              + (" | not found: " + ", ".join(k for k in r.letters if k not in r.errors) if r.found < n else ""))
    print(f"recording: hand found {n}/{n} = 100%; joint angle error {np.mean(ceil_err):.1f} deg (frame +2 vs middle); "
          f"letter recognised {len(ceil_correct)}/{n} = {len(ceil_correct) / n:.0%}")
    if len(runs) > 1:
        print(f"over {len(runs)} variations: letters recognised "
              + spread_line([float(len(r.recognised)) for r in runs], "{:.0f}") + f" of {n}; joint angle error "
              + spread_line([r.mean_error for r in runs], "{:.1f}") + " deg; hands found "
              + spread_line([float(r.found) for r in runs], "{:.0f}"))
    if args.sheet:
        close = OffscreenRenderer(avatar, 200, 200, platform=gl,
                                  camera=Camera(target=(-0.15, 0.47, 0.2), distance=1.2, yfov_deg=30))
        tiles = []
        for x in letters:
            world_r, world_p = avatar.skeleton.forward(x.track.rotations[x.middle].astype(np.float64))
            tiles.append((x.name, close.render(*avatar.deform(world_r, world_p, x.track.face[x.middle])).copy()))
        close.close()
        write_sheet(tiles, args.sheet)
        print(f"contact sheet: {args.sheet}")
    if args.json:
        args.json.write_text(json.dumps({
            r.variation.name: {"found": list(r.errors), "angle_error": r.errors, "recognised": r.recognised,
                               "misread": r.misread} for r in runs
        }, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
