"""Handshape read-back: every handshape of glosses/handshapes.json rendered close-up on the avatar's
right hand and read back by MediaPipe Hands 0.10.21 (static image mode), see
signavatar/capture/handshape_readback.py for the views and the calibration on the flat hand B.

Prints one row per handshape: found (in how many of the views), mean absolute flexion error over
the 14 joints (thumb MCP/IP, MCP/PIP/DIP of index..pinky) and the worst joint; then the overall mean.

usage: .venv/bin/python benchmarks/handshapes.py [--sheet docs/handshapes.png] [--markdown]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import date
from pathlib import Path

import numpy as np

from signavatar.avatar.rig import load_avatar
from signavatar.capture.handshape_readback import THREE_QUARTER, VIEWS, HandshapeReadback, ReadBack
from signavatar.lexicon import load_lexicon

SHEET_TILE = 256
SHEET_COLUMNS = 8


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
    ap.add_argument("--sheet", type=Path, help="write a contact sheet PNG of every handshape here")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown (for BENCHMARKS.md)")
    args = ap.parse_args()
    lexicon = load_lexicon()
    start = time.perf_counter()
    readback = HandshapeReadback(load_avatar(), lexicon)
    try:
        results = [readback.read(name) for name in lexicon.handshapes]
        seconds = time.perf_counter() - start
        if args.sheet:
            write_sheet(readback, list(lexicon.handshapes), args.sheet)
    finally:
        readback.close()
    found = [r for r in results if r.detected]
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, {date.today().isoformat()}; "
          f"mediapipe Hands static, views: {', '.join(v.name for v in VIEWS)}; {seconds:.1f} s")
    print(table(results, args.markdown))
    print(f"handshapes: {len(results)}; found {len(found)}/{len(results)}; "
          f"overall mean flexion error {np.mean([r.mean_error for r in found]):.1f} deg; "
          f"worst shape {max(found, key=lambda r: r.mean_error).name} "
          f"({max(r.mean_error for r in found):.1f} deg)")
    if args.sheet:
        print(f"contact sheet: {args.sheet}")


if __name__ == "__main__":
    main()
