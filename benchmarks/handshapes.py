"""Handshape read-back: every handshape of glosses/handshapes.json rendered close-up on the avatar's
right hand and read back by MediaPipe Hands 0.10.21 (static image mode), see
signavatar/capture/handshape_readback.py for the views and the calibration on the flat hand B.

Prints one row per handshape: found (in how many of the views), mean absolute flexion error over
the 14 joints (thumb MCP/IP, MCP/PIP/DIP of index..pinky) and the worst joint; then the overall
mean over every shape but the calibration shape B (which reads 0 by construction).

`--variations` reads every shape again under each of VARIATIONS (the default run twice more,
render size 256 and 512, MediaPipe's detection confidence 0.5, its light model, each view alone)
and prints the median and range of that mean: publish the figure with that spread.
tests/capture/test_handshape_readback.py guards the default method.

usage: .venv/bin/python benchmarks/handshapes.py [--variations] [--sheet docs/handshapes.png] [--markdown]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from signavatar.avatar.rig import Avatar, load_avatar
from signavatar.capture.handshape_readback import (
    CALIBRATION_SHAPE,
    SIDE,
    SIZE,
    THREE_QUARTER,
    VIEWS,
    HandshapeReadback,
    ReadBack,
    View,
)
from signavatar.lexicon import Lexicon, load_lexicon

SHEET_TILE = 256
SHEET_COLUMNS = 8


@dataclass(frozen=True)
class Variation:
    """One way of running the read-back: render size, MediaPipe settings, the views averaged."""

    name: str
    size: int = SIZE
    min_confidence: float = 0.3
    model_complexity: int = 1
    views: tuple[View, ...] = VIEWS


DEFAULT = Variation("default")
#: the method variations the published mean's spread is taken over (chosen before any was run)
VARIATIONS: tuple[Variation, ...] = (
    DEFAULT, Variation("default, run 2"), Variation("default, run 3"),
    Variation("256x256", size=256), Variation("512x512", size=512),
    Variation("min conf 0.5", min_confidence=0.5), Variation("light model", model_complexity=0),
    Variation("side view only", views=(SIDE,)), Variation("three-quarter only", views=(THREE_QUARTER,)),
)


def read_all(avatar: Avatar, lexicon: Lexicon, variation: Variation = DEFAULT) -> list[ReadBack]:
    """Every handshape of the inventory read back under `variation`, in inventory order."""
    readback = HandshapeReadback(avatar, lexicon, size=variation.size, views=variation.views,
                                 min_detection_confidence=variation.min_confidence,
                                 model_complexity=variation.model_complexity)
    try:
        return [readback.read(name) for name in lexicon.handshapes]
    finally:
        readback.close()


def mean_error(results: list[ReadBack]) -> float:
    """Mean flexion error (degrees) over the shapes found, the calibration shape left out."""
    return float(np.mean([r.mean_error for r in results if r.detected and r.name != CALIBRATION_SHAPE]))


def table(results: list[ReadBack], markdown: bool) -> str:
    """The per-handshape rows, as plain text or as a Markdown table."""
    rows = []
    for r in results:
        joint, worst = r.worst_joint
        found = f"{len(r.views)}/{len(VIEWS)}"
        if markdown:
            rows.append(f"| {r.name} | {found} | {r.mean_error:.1f} | {joint} {worst:.0f} |")
        else:
            rows.append(f"{r.name:12s} {found:>5s} {r.mean_error:9.1f}   {joint} {worst:.0f}")
    head = ("| handshape | found (views) | mean error (deg) | worst joint (deg) |\n| --- | --- | --- | --- |"
            if markdown else f"{'handshape':12s} {'found':>5s} {'mean err':>9s}   worst joint")
    return "\n".join([head, *rows])


def write_sheet(readback: HandshapeReadback, names: list[str], path: Path) -> None:
    """Contact sheet of every handshape in the three-quarter view, labelled with its name."""
    from PIL import Image

    from signavatar.pose_to_frames.contact_sheet import contact_sheet, write_png

    tiles = []
    for name in names:
        image, _ = readback.render(name, THREE_QUARTER.name)
        small = np.asarray(Image.fromarray(image).resize((SHEET_TILE, SHEET_TILE), Image.Resampling.LANCZOS))
        tiles.append((name, small))
    write_png(contact_sheet(tiles, SHEET_COLUMNS), path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variations", action="store_true", help="also run every method variation; print the spread")
    ap.add_argument("--sheet", type=Path, help="write a contact sheet PNG of every handshape here")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown (for BENCHMARKS.md)")
    args = ap.parse_args()
    lexicon = load_lexicon()
    avatar = load_avatar()
    start = time.perf_counter()
    results = read_all(avatar, lexicon)
    seconds = time.perf_counter() - start
    if args.sheet:
        readback = HandshapeReadback(avatar, lexicon)
        try:
            write_sheet(readback, list(lexicon.handshapes), args.sheet)
        finally:
            readback.close()
    found = [r for r in results if r.detected]
    counted = [r for r in found if r.name != CALIBRATION_SHAPE]
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, {date.today().isoformat()}; "
          f"mediapipe Hands static, views: {', '.join(v.name for v in VIEWS)}; {seconds:.1f} s")
    print(table(results, args.markdown))
    print(f"handshapes: {len(results)}; found {len(found)}/{len(results)}; "
          f"mean flexion error {mean_error(results):.1f} deg over {len(counted)} shapes "
          f"(calibration shape {CALIBRATION_SHAPE} left out; with it {np.mean([r.mean_error for r in found]):.1f}); "
          f"worst shape {max(found, key=lambda r: r.mean_error).name} "
          f"({max(r.mean_error for r in found):.1f} deg)")
    if args.variations:
        means, founds = [], []
        for v in VARIATIONS:
            rs = results if v is DEFAULT else read_all(avatar, lexicon, v)
            means.append(mean_error(rs))
            founds.append(sum(r.detected for r in rs))
            print(f"variation {v.name:18s}: found {founds[-1]}/{len(rs)}; mean flexion error {means[-1]:.1f} deg",
                  flush=True)
        print(f"over {len(VARIATIONS)} variations: mean flexion error median {np.median(means):.1f} "
              f"(range {min(means):.1f}-{max(means):.1f}) deg; found median {np.median(founds):.0f} "
              f"(range {min(founds)}-{max(founds)})")
    if args.sheet:
        print(f"contact sheet: {args.sheet}")


if __name__ == "__main__":
    main()
