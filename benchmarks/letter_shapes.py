"""Handshapes of real recorded letters: does capture choose the right handshape for a human hand?

The 30 DGS manual alphabet recordings of spoken-to-signed (MediaPipe Holistic .pose files of a real
signer, MIT) are the only recordings of human hands here. 24 letters have a handshape of the same
name in our inventory (A..Y without J and Z, which move). Each recording goes through capture's
own steps (read, One-Euro smoothing, retargeting, snapping) and the shape chosen in the middle half
of its frames (where the letter is held) is compared with the letter's name. Two choices:
finger angles alone (`--no-bank`) and with the handshape bank (capture's default; picture plane
only, .pose files have no hand depth). The bank was built from the avatar's hands, never from these
recordings, so this measures how far what it learned about MediaPipe carries over to a human hand.

The letters are not held the way the inventory defines them in every detail (DGS letters differ
from signer to signer, and a few inventory shapes are not the letter's shape), so 100 % is not the
ceiling; both columns face the same letters.

usage: .venv/bin/python benchmarks/letter_shapes.py [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from signavatar.capture.alphabet import alphabet_recordings  # noqa: E402
from signavatar.capture.hand_bank import HandBank, bank_path, load_bank  # noqa: E402
from signavatar.capture.handshape_snap import snap_handshapes  # noqa: E402
from signavatar.capture.one_euro import smooth_holistic  # noqa: E402
from signavatar.capture.pose_file import read_holistic  # noqa: E402
from signavatar.capture.retarget import Retargeter  # noqa: E402
from signavatar.capture.sign_capture import SMOOTHING  # noqa: E402
from signavatar.pipeline import Pipeline  # noqa: E402
from signavatar.settings import Settings  # noqa: E402


def held_shapes(path: Path, pipeline: Pipeline, bank: HandBank | None) -> list[str]:
    """The right hand's chosen shape in each frame of the middle half of a recording ("" = none)."""
    skeleton = pipeline.avatar.skeleton
    frames = smooth_holistic(read_holistic(path), SMOOTHING)
    track = Retargeter(skeleton, pipeline.lexicon).track(frames, skeleton.skeleton_id)
    scores = None if bank is None else {"R": bank.scores(frames.right_hand, "R", depth_weight=0.0)}
    labels = snap_handshapes(track, skeleton, pipeline.lexicon, ("R",), bank_scores=scores).shapes["R"]
    n = len(labels)
    return list(labels[n // 4: n - n // 4])


def letter_results(pipeline: Pipeline, bank: HandBank) -> dict[str, dict[str, dict[str, object]]]:
    """letter -> {"angles"|"bank": {"right": share of held frames, "most": the most chosen shape}}."""
    results: dict[str, dict[str, dict[str, object]]] = {}
    for letter, path in alphabet_recordings().items():
        if letter not in pipeline.lexicon.handshapes:
            continue
        row: dict[str, dict[str, object]] = {}
        for name, b in (("angles", None), ("bank", bank)):
            labels = held_shapes(path, pipeline, b)
            most = max(set(labels), key=labels.count) if labels else ""
            row[name] = {"right": float(np.mean([x == letter for x in labels])), "most": most}
        results[letter] = row
    return results


def summary(results: dict[str, dict[str, dict[str, object]]], name: str) -> tuple[float, int]:
    """(share of held frames with the letter's shape, letters whose most chosen shape is theirs)."""
    share = float(np.mean([r[name]["right"] for r in results.values()]))
    return share, sum(r[name]["most"] == letter for letter, r in results.items())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path, help="write the per-letter results here")
    args = ap.parse_args()
    pipeline = Pipeline(Settings.from_env(os.environ))
    bank = load_bank(bank_path(pipeline.settings.lexicon_dir), pipeline.avatar.skeleton, pipeline.lexicon)
    results = letter_results(pipeline, bank)
    print("| letter | finger angles: right | chosen most | with the bank: right | chosen most |")
    print("| --- | --- | --- | --- | --- |")
    for letter, row in results.items():
        print(f"| {letter} | {row['angles']['right']:.0%} | {row['angles']['most'] or '-'} | "
              f"{row['bank']['right']:.0%} | {row['bank']['most'] or '-'} |", flush=True)
    for name in ("angles", "bank"):
        share, most = summary(results, name)
        print(f"{name}: right in {share:.0%} of the held frames; the most chosen shape is the letter's in "
              f"{most} of {len(results)} letters")
    print(f"machine: {platform.machine()} {os.cpu_count()} cores; {len(bank.points)} bank readings")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
