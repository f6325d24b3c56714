"""Legibility, read back by a machine: the 30 DGS alphabet recordings retargeted onto the avatar,
rendered at 512x512 with the product's camera, and MediaPipe Hands (static image mode) run on the
frame at the middle of each letter.

Reports, for the avatar and for the recording itself (the ceiling):
  found     - share of letters whose signing hand is found
  angle err - mean absolute difference of the 15 finger joint angles (image plane) from the
              recording's middle frame
  letter    - share of letters whose read-back handshape is nearest to its own recorded letter
The ceiling compares the recording's frame two frames after the middle with its middle frame.

usage: .venv/bin/python benchmarks/legibility.py [--sheet docs/alphabet.png] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
from datetime import date
from pathlib import Path

import numpy as np

from signavatar.capture.alphabet import alphabet_recordings
from signavatar.capture.legibility import HandReader, classify, hand_features, joint_angles
from signavatar.capture.pose_file import read_holistic
from signavatar.capture.retarget import Retargeter
from signavatar.pipeline import Pipeline
from signavatar.pose_to_frames.renderer import Camera, OffscreenRenderer
from signavatar.settings import Settings

SIZE = 512


def _to_image(points: np.ndarray) -> np.ndarray:
    """Our axes back to image axes (y down) so directions compare with MediaPipe's pixels."""
    return points * np.array([1.0, -1.0, -1.0])


def _middle(hand: np.ndarray) -> int:
    seen = [t for t in range(len(hand)) if np.isfinite(hand[t]).all()]
    return seen[len(seen) // 2]


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sheet", type=Path, help="write a contact sheet PNG of the 30 letters here")
    ap.add_argument("--json", type=Path, help="write the per-letter results here")
    args = ap.parse_args()
    pipeline = Pipeline(Settings.from_env(os.environ))
    avatar = pipeline.avatar
    sk = avatar.skeleton
    retarget = Retargeter(sk, pipeline.lexicon)
    camera = Camera()
    renderer = OffscreenRenderer(avatar, SIZE, SIZE, camera=camera, platform=pipeline.settings.gl_platform)
    close = OffscreenRenderer(avatar, 200, 200, camera=Camera(target=(-0.15, 0.47, 0.2), distance=1.2, yfov_deg=30),
                              platform=pipeline.settings.gl_platform)
    reader = HandReader()
    templates: dict[str, np.ndarray] = {}
    rec_angles: dict[str, np.ndarray] = {}
    ceiling_feats: dict[str, np.ndarray] = {}
    readings: dict[str, np.ndarray | None] = {}
    tiles: list[tuple[str, np.ndarray]] = []
    for letter, path in alphabet_recordings().items():
        frames = read_holistic(path)
        mid = _middle(frames.right_hand)
        rec = _to_image(frames.right_hand[mid])
        templates[letter] = hand_features(rec)
        rec_angles[letter] = joint_angles(rec)
        near = min(mid + 2, len(frames.right_hand) - 1)
        if not np.isfinite(frames.right_hand[near]).all():
            near = mid
        ceiling_feats[letter] = hand_features(_to_image(frames.right_hand[near]))
        track = retarget.track(frames, sk.skeleton_id)
        world_r, world_p = sk.forward(track.rotations[mid].astype(np.float64))
        positions, normals = avatar.deform(world_r, world_p, track.face[mid])
        image = renderer.render(positions, normals)
        wrist_px = camera.project(world_p[sk.index("wrist.R")][None], SIZE, SIZE)[0]
        hand = reader.nearest(image, wrist_px)
        readings[letter] = None if hand is None else hand.points
        tiles.append((letter, close.render(positions, normals).copy()))
    reader.close()

    found = [k for k, v in readings.items() if v is not None]
    err = [float(np.abs(joint_angles(readings[k]) - rec_angles[k]).mean()) for k in found]  # type: ignore[arg-type]
    correct = [k for k in found if classify(hand_features(readings[k]), templates) == k]  # type: ignore[arg-type]
    ceil_err = [float(np.abs(ceiling_feats[k][:15] - rec_angles[k]).mean()) for k in templates]
    ceil_correct = [k for k in templates if classify(ceiling_feats[k], templates) == k]
    n = len(templates)
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, {date.today().isoformat()}; "
          "mediapipe Hands static, min conf 0.3")
    print(f"avatar   : hand found {len(found)}/{n} = {len(found) / n:.0%}; joint angle error {np.mean(err):.1f} deg; "
          f"letter recognised {len(correct)}/{n} = {len(correct) / n:.0%}")
    print(f"recording: hand found {n}/{n} = 100%; joint angle error {np.mean(ceil_err):.1f} deg (frame +2 vs middle); "
          f"letter recognised {len(ceil_correct)}/{n} = {len(ceil_correct) / n:.0%}")
    wrong = {k: classify(hand_features(readings[k]), templates) for k in found if k not in correct}  # type: ignore[arg-type]
    print("avatar misread:", ", ".join(f"{k}->{v}" for k, v in wrong.items()) or "none",
          "| not found:", ", ".join(k for k in templates if k not in found) or "none")
    if args.sheet:
        write_sheet(tiles, args.sheet)
        print(f"contact sheet: {args.sheet}")
    if args.json:
        args.json.write_text(json.dumps({
            "found": found, "angle_error": dict(zip(found, err)), "recognised": correct, "misread": wrong,
        }, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
