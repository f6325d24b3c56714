"""Mouthing read back: does the rendered mouth close for m/b/p and open for "a" inside a sign?

MediaPipe Face Mesh reads every frame of a one-sign clip (512x512, the real pipeline, rest -> sign ->
rest) on a crop around the head, upscaled (face_readback.py), and measures the inner-lip gap: the
opening between the inner lips over the mouth width (0 with the lips together).

Calibration first: the avatar's face with its mouth channels set directly (rig.py CHANNEL_TARGETS), on
the body poses of six everyday signs, read with every method below, gives the gap of each mouth shape.
In this avatar the lips touch at rest, so "neutral" and "lips_closed" read alike (both ~0.003): the
closed threshold can only separate lips together (closed, neutral) from lips apart. It is the geometric
mean of the highest lips-together reading and the lowest reading of the rounded and open mouths (a
ratio near 0 is measured on a log scale). The open threshold is the midpoint between the highest
reading of the other vowel shapes (neutral, spread, rounded: an "o" must not count as an "a") and the
lowest of mouth_open=1. Pressing shows in the lips' thickness (their red height over the mouth width,
`lip_thickness`) rather than in the gap: the pressed threshold is the midpoint between lips_closed=1
and neutral. The thresholds are constants (the figures this calibration gave); the run prints the
values its own calibration suggests beside them.

Words: lexical signs whose mouthing word (mouthing.chosen_mouthing: the entry's mouthing, else the
gloss) falls in one class by its phonemes (german_phonemes, espeak-ng; mouthing.viseme):
- closed: a CLOSED viseme (m b p) in the stressed syllable (which a short sign always mouths);
- open: an OPEN viseme in the stressed syllable and no m/b/p in the word;
- neither: no CLOSED and no OPEN viseme in the word.
12 per class, evenly spaced over the class in alphabetical order (a rule, not a choice).

Rules on the frames of the sign itself, from the hand's arrival at its first pose to the end of its
movement (`sign_span`; frames Face Mesh cannot read are left out):
- closed word: some frame has gap < CLOSED_GAP ("closed", the brief's rule; it also holds for a mouth
  that never moves, since this avatar's rest mouth is closed) and, stricter, some frame has gap <
  CLOSED_GAP and lip thickness < PRESSED_THICKNESS ("pressed": the lips pressed, as in m b p);
- open word: some frame has gap > OPEN_GAP;
- neither: every frame of the sign's middle third has gap > CLOSED_GAP (the lips apart).

Methods varied: fps 25 and 30, two crops (0.22 m -> 384 px, 0.30 m -> 512 px), two gap definitions
(three inner-lip pairs over the inner corners, the midline pair over the outer corners). The per-word
table is for the first method; the share right is given for all eight.

usage: .venv/bin/python benchmarks/mouth_readback.py [--words N] [--json out.json]
(`--words 0` reads every lexical sign whose word falls into a class: the second word list.)
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "benchmarks")]

from face_readback import (  # noqa: E402 - benchmarks/ sibling module, after the path is set
    CropMethod,
    FaceReader,
    GapMethod,
    head_box,
    head_crop,
    head_points,
    lip_gap,
)

from signavatar.avatar.face_channels import FACE_CHANNELS  # noqa: E402
from signavatar.gloss_to_pose.german_phonemes import german_phonemes  # noqa: E402
from signavatar.gloss_to_pose.mouthing import (  # noqa: E402
    MOUTH_GESTURES,
    Viseme,
    chosen_mouthing,
    stressed_syllable,
    viseme,
)
from signavatar.pipeline import Pipeline  # noqa: E402
from signavatar.settings import Settings  # noqa: E402
from signavatar.typed import FloatArray  # noqa: E402
from signavatar.types import GlossSequence, GlossToken, PoseTrack, RenderOptions  # noqa: E402

SIZE = 512
CROPS = (CropMethod(0.22, 384), CropMethod(0.30, 512))
GAPS = (GapMethod("three", "inner"), GapMethod("centre", "outer"))
FPS_CHOICES = (25, 30)

# Thresholds from the calibration of 2026-12-07 (printed by every run next to its own suggestion):
# lips together (lips_closed=1, neutral) read 0.001..0.004, rounded and open at least 0.23
# -> sqrt(0.004 * 0.23) = 0.03; neutral/spread/rounded at most 0.33, mouth_open=1 at least 0.54
# -> 0.43; lip thickness lips_closed=1 at most 0.28, neutral at least 0.37 -> 0.33.
CLOSED_GAP = 0.03
OPEN_GAP = 0.43
PRESSED_THICKNESS = 0.33

CALIBRATION_SIGNS = ("HEUTE", "ICH", "TERMIN", "BÜRGERAMT", "HABEN", "PERSONALAUSWEIS")
"""Body poses for the calibration: each sign's most characteristic frame (stills.sheet)."""

CALIBRATION: dict[str, dict[str, float]] = {
    "lips_closed=1": {"lips_closed": 1.0},
    "neutral": {},
    "mouth_spread=1": {"mouth_spread": 1.0},
    "lip_teeth=1": {"lip_teeth": 1.0},
    "cheeks_puff=1": {"cheeks_puff": 1.0},
    "mouth_round=1": {"mouth_round": 1.0},
    "mouth_open=0.3": {"mouth_open": 0.3},
    "mouth_open=0.5": {"mouth_open": 0.5},
    "mouth_open=1": {"mouth_open": 1.0},
}
TOGETHER = ("lips_closed=1", "neutral")
APART = ("mouth_round=1", "mouth_open=1")
NOT_OPEN = ("neutral", "mouth_spread=1", "mouth_round=1")
OPEN = ("mouth_open=1",)

WORDS_PER_CLASS = 12
CLASSES = ("closed", "open", "neither")


def lip_thickness(landmarks: FloatArray) -> float:
    """The red of both lips (outer to inner contour on the midline: 0-13 and 14-17) over the outer
    mouth width (61-291); pressing the lips together thins them."""
    red = np.linalg.norm(landmarks[0] - landmarks[13]) + np.linalg.norm(landmarks[14] - landmarks[17])
    return float(red / np.linalg.norm(landmarks[61] - landmarks[291]))


def face_vector(channels: dict[str, float]) -> FloatArray:
    face = np.zeros(len(FACE_CHANNELS))
    for name, weight in channels.items():
        face[FACE_CHANNELS.index(name)] = weight
    return face


def sign_track(pipeline: Pipeline, gloss: str, fps: int) -> PoseTrack:
    """One lexicon sign from rest to rest, as `signavatar render --glosses GLOSS` plans it."""
    seq = GlossSequence(tokens=(GlossToken(gloss=gloss, kind="lexicon"),))
    return pipeline.motion(seq, RenderOptions(width=SIZE, height=SIZE, fps=fps))


def sign_span(pipeline: Pipeline, gloss: str) -> tuple[float, float]:
    """Seconds [start, end) of the sign itself in its one-sign clip: from the hand's arrival at its
    first pose to the end of its movement (the motion plan's span; the frames labelled with the gloss
    also hold half of the transitions in and out, where no sign is made and the mouth rests)."""
    seq = GlossSequence(tokens=(GlossToken(gloss=gloss, kind="lexicon"),))
    start, end, _ = pipeline.sequencer.plan(seq, 1.0).spans[0]
    return start, end


def calibrate(pipeline: Pipeline, reader: FaceReader) -> dict[str, dict[str, list[float]]]:
    """setting -> {"gap <method>": readings, "thickness": readings} over the CALIBRATION_SIGNS poses
    and every crop (and gap method), at SIZE x SIZE with the pipeline's camera."""
    from signavatar.stills.sheet import characteristic_frame

    avatar = pipeline.avatar
    skeleton = avatar.skeleton
    renderer = pipeline.renderer(RenderOptions(width=SIZE, height=SIZE))
    poses = []
    for gloss in CALIBRATION_SIGNS:
        track = sign_track(pipeline, gloss, 25)
        i = characteristic_frame(track, gloss, skeleton)
        poses.append(skeleton.forward(track.rotations[i], track.root[i]))
    head = skeleton.index("head")
    out: dict[str, dict[str, list[float]]] = {}
    for name, channels in CALIBRATION.items():
        readings: dict[str, list[float]] = {}
        for world_r, world_p in poses:
            frame = renderer.render(*avatar.deform(world_r, world_p, face_vector(channels)))
            for crop in CROPS:
                landmarks = reader.landmarks(head_crop(frame, head_box(world_p[head], SIZE, SIZE, crop.side_m),
                                                       crop.upscale))
                for gap in GAPS:
                    readings.setdefault(f"gap {gap.name}", []).append(
                        float("nan") if landmarks is None else lip_gap(landmarks, gap))
                readings.setdefault("thickness", []).append(
                    float("nan") if landmarks is None else lip_thickness(landmarks))
        out[name] = readings
    return out


@dataclass(frozen=True)
class Thresholds:
    closed_gap: float
    open_gap: float
    pressed_thickness: float


def suggested_thresholds(table: dict[str, dict[str, list[float]]]) -> Thresholds:
    """The thresholds the module docstring's rules give for a calibration `table` (all gap methods pooled)."""
    def gaps(names: Sequence[str]) -> list[float]:
        return [v for n in names for k, vs in table[n].items() if k.startswith("gap") for v in vs]

    together, apart = np.nanmax(gaps(TOGETHER)), np.nanmin(gaps(APART))
    not_open, opened = np.nanmax(gaps(NOT_OPEN)), np.nanmin(gaps(OPEN))
    pressed, rest = np.nanmax(table["lips_closed=1"]["thickness"]), np.nanmin(table["neutral"]["thickness"])
    return Thresholds(float(np.sqrt(max(together, 1e-4) * apart)), float((not_open + opened) / 2),
                      float((pressed + rest) / 2))


def word_class(word: str) -> str | None:
    """"closed", "open", "neither" (module docstring) or None (m/b/p or "a" only outside the stress)."""
    phonemes = german_phonemes(word)
    if not phonemes:
        return None
    begin, end = stressed_syllable(phonemes)
    word_visemes = {viseme(p) for p in phonemes}
    stressed = {viseme(p) for p in phonemes[begin:end]}
    if Viseme.CLOSED in stressed:
        return "closed"
    if Viseme.CLOSED in word_visemes:
        return None
    if Viseme.OPEN in stressed:
        return "open"
    return "neither" if Viseme.OPEN not in word_visemes else None


def choose_words(pipeline: Pipeline, per_class: int) -> list[tuple[str, str, str]]:
    """(gloss, mouthing word, class): `per_class` of each class, evenly spaced over the lexical signs
    of that class in gloss order; every one of them when `per_class` <= 0."""
    found: dict[str, list[tuple[str, str]]] = {c: [] for c in CLASSES}
    for gloss in sorted(pipeline.lexicon.entries):
        entry = pipeline.lexicon.entries[gloss]
        if not entry.is_lexical:
            continue
        word = chosen_mouthing(GlossToken(gloss=gloss, kind="lexicon"), entry.mouthing)
        if word in MOUTH_GESTURES:
            continue
        cls = word_class(word)
        if cls is not None:
            found[cls].append((gloss, word))
    chosen = []
    for cls in CLASSES:
        pool = found[cls]
        if per_class <= 0:  # every word of the class
            chosen += [(g, w, cls) for g, w in pool]
            continue
        idx = sorted({round(i * (len(pool) - 1) / max(per_class - 1, 1)) for i in range(min(per_class, len(pool)))})
        chosen += [(pool[i][0], pool[i][1], cls) for i in idx]
    return chosen


@dataclass(frozen=True)
class SignReading:
    """Per frame of the sign (sign_span), in order: the gap per gap method and the lip thickness
    (NaN where Face Mesh found no face)."""

    gaps: dict[str, list[float]]
    thickness: list[float]


def read_sign(pipeline: Pipeline, reader: FaceReader, gloss: str, fps: int,
              crops: Sequence[CropMethod] = CROPS) -> dict[str, SignReading]:
    """crop name -> the readings of the frames of `gloss` in its one-sign clip at `fps`."""
    track = sign_track(pipeline, gloss, fps)
    start, end = sign_span(pipeline, gloss)
    heads = head_points(track, pipeline.avatar.skeleton)
    out = {c.name: SignReading({g.name: [] for g in GAPS}, []) for c in crops}
    opts = RenderOptions(width=SIZE, height=SIZE, fps=fps)
    for i, frame in enumerate(pipeline.frames(track, opts)):
        if not start <= i / fps < end:
            continue
        for crop in crops:
            landmarks = reader.landmarks(head_crop(frame, head_box(heads[i], SIZE, SIZE, crop.side_m), crop.upscale))
            reading = out[crop.name]
            for gap in GAPS:
                reading.gaps[gap.name].append(float("nan") if landmarks is None else lip_gap(landmarks, gap))
            reading.thickness.append(float("nan") if landmarks is None else lip_thickness(landmarks))
    return out


def verdict(cls: str, gaps: Sequence[float], thickness: Sequence[float]) -> dict[str, bool | None]:
    """{"rule": the class's rule holds, "pressed": (closed words) the stricter pressed rule holds};
    None where no frame could be read."""
    g, t = np.asarray(gaps, float), np.asarray(thickness, float)
    read = ~np.isnan(g)
    if not read.any():
        return {"rule": None, "pressed": None}
    if cls == "closed":
        return {"rule": bool((g[read] < CLOSED_GAP).any()),
                "pressed": bool(((g < CLOSED_GAP) & (t < PRESSED_THICKNESS) & read).any())}
    if cls == "open":
        return {"rule": bool((g[read] > OPEN_GAP).any()), "pressed": None}
    n = len(g)
    middle = g[n // 3: max(n // 3 + 1, (2 * n) // 3)]
    middle = middle[~np.isnan(middle)]
    return {"rule": bool(len(middle)) and bool((middle > CLOSED_GAP).all()), "pressed": None}


def _range(values: Sequence[float]) -> str:
    v = np.asarray(values, float)
    return f"{np.nanmin(v):.3f}..{np.nanmax(v):.3f}" if (~np.isnan(v)).any() else "no face"


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--words", type=int, default=WORDS_PER_CLASS,
                    help="words per class (default 12; 0: every lexical sign of each class, a second word list)")
    ap.add_argument("--json", type=Path, help="write every reading here")
    args = ap.parse_args()
    t0 = time.perf_counter()
    pipeline = Pipeline(Settings.from_env(os.environ))
    reader = FaceReader()
    table = calibrate(pipeline, reader)
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, {date.today().isoformat()}, "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"calibration: {len(CALIBRATION_SIGNS)} body poses x {len(CROPS)} crops, {SIZE}x{SIZE}; "
          "min..max (median)")
    columns = [*(f"gap {g.name}" for g in GAPS), "thickness"]
    print(f"{'setting':16s}" + "".join(f"{c:>26s}" for c in columns))
    for name, readings in table.items():
        cells = [f"{_range(readings[c])} ({np.nanmedian(readings[c]):.3f})" for c in columns]
        print(f"{name:16s}" + "".join(f"{c:>26s}" for c in cells))
    s = suggested_thresholds(table)
    print(f"thresholds used: closed gap < {CLOSED_GAP}, open gap > {OPEN_GAP}, pressed thickness < "
          f"{PRESSED_THICKNESS}; this calibration suggests {s.closed_gap:.3f}, {s.open_gap:.3f}, "
          f"{s.pressed_thickness:.3f}")

    words = choose_words(pipeline, args.words)
    results: dict[str, dict[str, dict[str, bool | None]]] = {}  # method -> gloss -> verdict
    readings_of: dict[str, dict[str, SignReading]] = {}  # method -> gloss -> readings
    for fps in FPS_CHOICES:
        for gloss, _word, cls in words:
            readings = read_sign(pipeline, reader, gloss, fps)
            for (crop_name, reading), gap in itertools.product(readings.items(), GAPS):
                method = f"{fps} fps, {crop_name}, {gap.name}"
                gaps = reading.gaps[gap.name]
                v = verdict(cls, gaps, reading.thickness)
                results.setdefault(method, {})[gloss] = v
                readings_of.setdefault(method, {})[gloss] = SignReading({gap.name: gaps}, reading.thickness)
    reader.close()
    pipeline.close()

    first = next(iter(results))
    print(f"\nper word ({first}):")
    print(f"{'gloss':18s}{'mouthing':18s}{'class':9s}{'frames':>7s}{'min gap':>9s}{'max gap':>9s}"
          f"{'min thick':>10s}  verdict")
    for gloss, word, cls in words:
        v, thick = results[first][gloss], readings_of[first][gloss].thickness
        g = np.asarray(next(iter(readings_of[first][gloss].gaps.values())), float)
        extra = "" if v["pressed"] is None else f" (pressed: {'right' if v['pressed'] else 'wrong'})"
        rule = "no face" if v["rule"] is None else ("right" if v["rule"] else "wrong")
        print(f"{gloss:18s}{word:18s}{cls:9s}{int((~np.isnan(g)).sum()):>4d}/{len(g):<2d}"
              f"{np.nanmin(g) if (~np.isnan(g)).any() else float('nan'):9.3f}"
              f"{np.nanmax(g) if (~np.isnan(g)).any() else float('nan'):9.3f}"
              f"{np.nanmin(thick) if (~np.isnan(g)).any() else float('nan'):10.3f}  {rule}{extra}")

    print("\nshare right per method (closed words: the brief's rule; 'pressed': the stricter one):")
    overall: list[float] = []
    strict: list[float] = []
    for method, by_gloss in results.items():
        per_class = {}
        for cls in CLASSES:
            vs = [by_gloss[g]["rule"] for g, _, c in words if c == cls]
            per_class[cls] = sum(bool(v) for v in vs) / len(vs)
        pressed = [by_gloss[g]["pressed"] for g, _, c in words if c == "closed"]
        right = sum(bool(by_gloss[g]["rule"]) for g, _, _ in words) / len(words)
        right_strict = (sum(bool(by_gloss[g]["rule"]) for g, _, c in words if c != "closed")
                        + sum(bool(v) for v in pressed)) / len(words)
        overall.append(right)
        strict.append(right_strict)
        print(f"  {method:44s} all {100 * right:5.1f} %  closed {100 * per_class['closed']:5.1f} %  "
              f"open {100 * per_class['open']:5.1f} %  neither {100 * per_class['neither']:5.1f} %  "
              f"pressed {100 * sum(bool(v) for v in pressed) / len(pressed):5.1f} %  "
              f"all with pressed {100 * right_strict:5.1f} %")
    counts = {c: sum(1 for *_, k in words if k == c) for c in CLASSES}
    print(f"\n{len(words)} words ({', '.join(f'{n} {c}' for c, n in counts.items())}), {len(results)} methods")
    print(f"right (brief's rules): median {100 * statistics.median(overall):.1f} %, "
          f"{100 * min(overall):.1f}..{100 * max(overall):.1f} %")
    print(f"right (closed words must press): median {100 * statistics.median(strict):.1f} %, "
          f"{100 * min(strict):.1f}..{100 * max(strict):.1f} %")
    print(f"run time {time.perf_counter() - t0:.0f} s")
    if args.json:
        dump = {"calibration": table, "words": words, "verdicts": results,
                "readings": {m: {g: {"gaps": next(iter(r.gaps.values())), "thickness": r.thickness}
                                 for g, r in by_gloss.items()} for m, by_gloss in readings_of.items()}}
        args.json.write_text(json.dumps(dump, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
