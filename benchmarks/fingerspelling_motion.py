"""Fingerspelling motion: tempo, arm posture and the wrist's path while a word is spelled.

For each word (names, compounds, umlauts, SCH, J and Z, double letters), at each speed and frame rate,
the clip of the word alone (`fs-WORD`, rest to rest) through the real pipeline's motion stage:
- seconds per letter: from the hand's arrival at the first letter to the end of the last letter
  (the plan's letter spans, plan.letters), over the letter count; with min..max over the words;
- elbow: the right elbow's height over the right shoulder (upperarm01.R) while spelling, highest
  frame (negative: below the shoulder);
- wrist: its height over the spelling, lowest and highest, against the eye (eye.R at rest, 0.728 m)
  and the hip (the root joint at rest, 0.056 m);
- the wrist's path: total length while spelling, the largest distance from the spelling place
  (the wrist's median position over the spelling), and the return toward rest: between two
  consecutive letters' middles, how far the wrist's distance to its rest position drops below the
  smaller of its values at the two middles (0 when the hand stays out; a hand that goes back to
  rest between letters shows the depth of that dip).

    .venv/bin/python benchmarks/fingerspelling_motion.py [--words MEIER OTTO] [--speeds 1.0 0.8 1.2] [--fps 25 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from signavatar.pipeline import Pipeline  # noqa: E402
from signavatar.settings import Settings  # noqa: E402
from signavatar.types import RenderOptions  # noqa: E402

#: names, compounds and long words, umlauts, SCH, J and Z, double letters (OTTO, ANNA, MÜLLER)
WORDS = ("MEIER", "SCHMIDT", "OTTO", "BEARBEITUNG", "STANDESAMT", "MÜLLER", "JÄGER", "ZÜRICH",
         "KATJA", "WEIßENSEE", "ANNA", "QUARZ", "KÖHLER")
EYE_Y, HIP_Y = 0.728, 0.056  # rest-pose heights of eye.R and the root joint (hips), metres


@dataclass(frozen=True)
class WordMotion:
    word: str
    speed: float
    fps: int
    letters: int
    seconds_per_letter: float
    elbow_over_shoulder: float  # m, highest while spelling
    wrist_low: float  # m, lowest wrist height while spelling
    wrist_high: float  # m, highest
    path: float  # m, the wrist's total path while spelling
    spread: float  # m, largest distance from the spelling place
    rest_dip: float  # m, deepest return toward rest in a transition between two letters


def frames_inside(start: float, end: float, fps: float) -> tuple[int, int]:
    """The first and last frame at or after `start` and at or before `end` (seconds; a time within
    a millionth of a frame of a frame counts as on it); last < first when none is inside."""
    return int(np.ceil(start * fps - 1e-6)), int(np.floor(end * fps + 1e-6))


def measure_word(pipeline: Pipeline, word: str, speed: float, fps: int) -> WordMotion:
    seq = pipeline.parse_glosses(f"fs-{word}")
    plan = pipeline.sequencer.plan(seq, speed)
    letters = plan.letters
    start, end = letters[0][0], letters[-1][1]
    track = pipeline.motion(seq, RenderOptions(fps=fps, speed=speed))
    skeleton = pipeline.avatar.skeleton
    _, pos = skeleton.forward(track.rotations.astype(np.float64))
    wrist = pos[:, skeleton.index("wrist.R")]
    elbow = pos[:, skeleton.index("lowerarm01.R")]
    shoulder = pos[:, skeleton.index("upperarm01.R")]
    rest = wrist[0]
    ts = np.arange(track.num_frames) / track.fps
    inside = (ts >= start) & (ts <= end)
    w = wrist[inside]
    place = np.median(w, axis=0)
    to_rest = np.linalg.norm(wrist - rest, axis=1)
    dip = 0.0
    for (_, end_a, _, _), (start_b, _, _, _) in zip(letters, letters[1:]):
        # the frames inside the transition: a frame after start_b already shows the next letter's
        # own movement (an umlaut's shake), not the way there
        a, b = frames_inside(end_a, start_b, track.fps)
        if b <= a:
            continue
        dip = max(dip, min(to_rest[a], to_rest[b]) - float(to_rest[a:b + 1].min()))
    return WordMotion(
        word=word, speed=speed, fps=fps, letters=len(letters),
        seconds_per_letter=(end - start) / len(letters),
        elbow_over_shoulder=float((elbow[inside, 1] - shoulder[inside, 1]).max()),
        wrist_low=float(w[:, 1].min()), wrist_high=float(w[:, 1].max()),
        path=float(np.linalg.norm(np.diff(w, axis=0), axis=1).sum()),
        spread=float(np.linalg.norm(w - place, axis=1).max()),
        rest_dip=dip,
    )


def measure(pipeline: Pipeline, words: tuple[str, ...], speeds: tuple[float, ...],
            fps: tuple[int, ...]) -> list[WordMotion]:
    return [measure_word(pipeline, w, s, f) for s in speeds for f in fps for w in words]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", nargs="+", default=list(WORDS))
    parser.add_argument("--speeds", nargs="+", type=float, default=[1.0, 0.8, 1.2])
    parser.add_argument("--fps", nargs="+", type=int, default=[25, 30])
    args = parser.parse_args()
    pipeline = Pipeline(Settings.from_env(os.environ))
    rows = measure(pipeline, tuple(args.words), tuple(args.speeds), tuple(args.fps))
    print(f"{'word':<12} {'speed':>5} {'fps':>3} {'n':>3} {'s/letter':>8} {'elbow-sh':>8} "
          f"{'wrist y':>11} {'path':>5} {'spread':>6} {'rest dip':>8}")
    for r in rows:
        print(f"{r.word:<12} {r.speed:>5.2f} {r.fps:>3} {r.letters:>3} {r.seconds_per_letter:>8.3f} "
              f"{r.elbow_over_shoulder:>+8.3f} {r.wrist_low:>5.2f}..{r.wrist_high:<4.2f} {r.path:>5.2f} "
              f"{r.spread:>6.3f} {r.rest_dip:>8.3f}")
    print(f"\nper speed and fps (eye {EYE_Y} m, hip {HIP_Y} m):")
    for s in args.speeds:
        for f in args.fps:
            sel = [r for r in rows if r.speed == s and r.fps == f]
            spl = [r.seconds_per_letter for r in sel]
            print(f"  speed {s:.2f} fps {f}: s/letter mean {statistics.mean(spl):.3f} "
                  f"({min(spl):.3f}..{max(spl):.3f}); elbow over shoulder worst "
                  f"{max(r.elbow_over_shoulder for r in sel):+.3f} m; wrist y "
                  f"{min(r.wrist_low for r in sel):.2f}..{max(r.wrist_high for r in sel):.2f} m; "
                  f"path mean {statistics.mean(r.path for r in sel):.2f} m (max {max(r.path for r in sel):.2f}); "
                  f"spread worst {max(r.spread for r in sel):.3f} m; rest dip worst "
                  f"{max(r.rest_dip for r in sel):.3f} m")


if __name__ == "__main__":
    main()
