"""Fingerspelled letters read back from the product's own clips, under several read-back methods.

Every letter goes through the real pipeline: an isolated letter is the one-token clip `fs-A` (...),
a letter inside a word is read from the clip of the word. The motion plan says when each letter is
signed (`Sequencer.plan(seq, speed).letters`: start, end, letter sign, token); the frames around the
middle of that span (ISOLATED_OFFSETS, WORD_OFFSETS) are rendered with the product camera and read
with MediaPipe Hands.

A read-back SETTING is one choice of each of:
  mode   - MediaPipe Hands in static image mode (every frame on its own) or video mode (one tracker
           run over the clip's frames from VIDEO_LEAD frames before the first frame read)
  plane  - the angle comparison and the letter classification on the image-plane landmarks (x, y,
           pixels), or on MediaPipe's 3D world landmarks (metres)
  size   - the render's size, 512 or 384 pixels square
  conf   - MediaPipe's minimum detection (and tracking) confidence, 0.3 or 0.5
16 settings for isolated letters; letters inside words are read in static mode (8 settings: video
mode would have to render every frame of every word).

What is compared with what (signavatar/capture/letter_references.py; the references are computed from
the recordings, never read from the avatar's letter data, so a fix of that data is judged against the
recordings):
  image plane - the DGS alphabet recording's right hand in its middle frame, as 23 features
                (capture/legibility.py hand_features); the recordings have no depth
  world       - the same recorded frame lifted into 3D by the anatomical fit (capture/letter_fit.py:
                the avatar's hand model, fingers bending about their joints, fitted to the recorded
                picture with the letter's inventory handshape as prior), its 21 points as world_features.
                Since issue 21 the avatar's letters start from the same fit (scripts/fit_letters.py) and
                are then tuned by reading back at other sizes, places and confidence
                (capture/letter_tuning.py): the 3D figure says whether MediaPipe's depth agrees with the
                hand we mean, among 30 hands lifted the same way; the image-plane figure is the one
                anchored in the real signer's pictures.
Metrics per letter and setting:
  found   - the signing (right) hand found near the right wrist's pixel in most frames read
  angle   - mean absolute difference of the 15 finger joint bend angles from the reference (degrees)
  letter  - the nearest of the 30 references, by majority over the frames read, is the letter itself
  with movement - the same, reading the movement too, as a viewer does: the hand's travel over the
           letter's whole span (from its arrival to the end of its hold; capture/legibility.py
           hand_travel: the knuckles' middle, in the hand's size in the picture) says whether it moved
           (MOVES_AT), and each frame is compared only with the letters of that kind
           (letter_references.MOVING_LETTERS: J, Z, ß and the umlauts move). A still frame cannot
           tell A from Ä; this reading can, if the avatar shows the movement. The strict still-frame
           figure above stays the first one reported.
The reader's own 3D error (--reference-hands): the letters as fitted to the recordings and not tuned
(scripts/fit_letters.py --tries 0, written into a temporary copy of the lexicon) are the 3D reference
itself, so the 3D angle difference read back from them is what MediaPipe's depth gets wrong about a
hand whose true bend angles are the reference's. The tuned letters' 3D figure is to be read against it.
The handedness label MediaPipe gives the right hand is counted too: MediaPipe expects a mirrored
(selfie) picture, so our unmirrored right hand should read "Left".

usage: .venv/bin/python benchmarks/letters_readback.py [--letters L,Q,R] [--words 0] [--json out.json]
       [--other-words | --word-list W1,W2] [--sizes 512 384] [--confs 0.3 0.5] [--offsets -2,-1,0,1,2]
       [--word-offsets -1,0,1] [--reference-hands]   (the defaults are the documented method; the options vary it)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.fingerspelling_motion import frames_inside  # noqa: E402
from benchmarks.legibility import prepare_letters  # noqa: E402
from signavatar.capture.legibility import bend_angles, hand_features, hand_travel, world_features  # noqa: E402
from signavatar.capture.letter_references import (  # noqa: E402
    MOVING_LETTERS,
    LetterReferences,
    letter_references,
    to_image,
)
from signavatar.pipeline import Pipeline  # noqa: E402
from signavatar.pose_to_frames.renderer import Camera, OffscreenRenderer  # noqa: E402
from signavatar.settings import Settings  # noqa: E402
from signavatar.typed import FloatArray, UInt8Array  # noqa: E402
from signavatar.types import PoseTrack, RenderOptions  # noqa: E402

FPS = 25
ISOLATED_OFFSETS = (-2, -1, 0, 1, 2)
WORD_OFFSETS = (-1, 0, 1)
VIDEO_LEAD = 8
#: a letter's hand moved when it travelled this share of its size in the picture over the letter's
#: span: half of what the smallest movement the avatar shows (an umlaut's shake, 7 cm, with a hand
#: about 20 cm across the diagonal of its picture) gives
MOVES_AT = 0.2
#: a hand counts as the signing hand when its wrist is this share of the picture's size from the
#: right wrist's projection
WRIST_TOLERANCE = 0.12
#: fingerspelled words (names and compounds) that together spell every one of the 30 letters, SCH too;
#: chosen before any was read back
WORDS: tuple[str, ...] = (
    "MEIER", "SCHMIDT", "OTTO", "BEARBEITUNG", "STANDESAMT", "MÜLLER", "JÖRG", "KATZE", "QUARK",
    "XAVER", "YILMAZ", "GOETHESTRAßE", "BÄCKER", "WOLF", "PFLEGEHILFE",
)
#: a second sample, for checking that a figure is not one of WORDS only: 16 Bürgeramt words and frequent
#: surnames, chosen by that rule after the letters were tuned and before any of these was read
OTHER_WORDS: tuple[str, ...] = (
    "FISCHER", "WEBER", "HOFFMANN", "KOWALSKI", "ÖZTÜRK", "JANSSEN", "QUITTUNG", "PASSBILD",
    "MELDEBESCHEINIGUNG", "VOLLMACHT", "ZUZUG", "BAFÖG", "KFZ", "WOHNGELD", "LUXEMBURG", "MAYER",
)
#: letters whose held hand is the same from the front: an umlaut or ß is its base letter plus a movement,
#: R is U with the fingers crossed (in depth). A still frame cannot tell them apart; the strict figure
#: counts such a reading as a miss, the "twins allowed" figure does not.
TWINS: tuple[frozenset[str], ...] = (frozenset("AÄ"), frozenset("OÖ"), frozenset("UÜR"), frozenset("Sß"))


def twins(a: str, b: str) -> bool:
    return a == b or any(a in t and b in t for t in TWINS)


@dataclass(frozen=True)
class ReadSetting:
    mode: str = "static"  # or "video"
    plane: str = "image"  # or "world"
    size: int = 512
    conf: float = 0.3

    @property
    def name(self) -> str:
        return f"{self.mode}/{self.plane}/{self.size}/{self.conf}"


SIZES: tuple[int, ...] = (512, 384)
CONFIDENCES: tuple[float, ...] = (0.3, 0.5)


def settings_grid(modes: tuple[str, ...] = ("static", "video"), sizes: tuple[int, ...] = SIZES,
                  confs: tuple[float, ...] = CONFIDENCES) -> list[ReadSetting]:
    return [ReadSetting(m, p, s, c) for m in modes for p in ("image", "world") for s in sizes for c in confs]


def offsets_arg(text: str) -> tuple[int, ...]:
    """"-2,0,2" -> (-2, 0, 2): frames read around a letter's middle."""
    try:
        values = tuple(sorted({int(x) for x in text.split(",")}))
    except ValueError:
        raise argparse.ArgumentTypeError(f"offsets are whole frame numbers separated by commas, got {text!r}") from None
    if not values:
        raise argparse.ArgumentTypeError("give at least one offset")
    return values


@dataclass(frozen=True)
class Hand:
    """One reading of the right hand: image points (21, 3) in pixels, world points (21, 3) in metres."""

    image: FloatArray
    world: FloatArray
    label: str


def recording_ceiling(pipeline: Pipeline) -> tuple[int, int, int, float]:
    """The recordings read against themselves in the image plane: each letter's frames +-1 and +-2 from
    its middle classified against the 30 middle frames. (letters right by majority, with twins allowed,
    of how many, mean finger-angle difference from the middle frame in degrees): what a still frame of
    the real signer allows."""
    letters = prepare_letters(pipeline.avatar, pipeline.lexicon)
    templates = {x.name: x.template for x in letters}
    right = twin = 0
    angles = []
    for x in letters:
        middle = bend_angles(to_image(x.frames.right_hand[x.frame(0)])[:, :2])
        near = [to_image(x.frames.right_hand[x.frame(o)]) for o in (-2, -1, 1, 2)]
        reads = [min(templates, key=lambda k: float(np.abs(templates[k] - hand_features(f)).mean())) for f in near]
        angles += [float(np.abs(bend_angles(f[:, :2]) - middle).mean()) for f in near]
        top = Counter(reads).most_common(1)[0][0]
        right += top == x.name
        twin += twins(top, x.name)
    return right, twin, len(letters), float(np.mean(angles))


def references(pipeline: Pipeline) -> LetterReferences:
    return letter_references(pipeline.avatar.skeleton, pipeline.lexicon)


class Reader:
    """MediaPipe Hands in one mode and confidence; `hand` returns the hand nearest a pixel."""

    def __init__(self, mode: str, conf: float) -> None:
        import mediapipe as mp

        self._hands = mp.solutions.hands.Hands(static_image_mode=mode == "static", max_num_hands=2,
                                               model_complexity=1, min_detection_confidence=conf,
                                               min_tracking_confidence=conf)

    def hand(self, image: UInt8Array, wrist_px: FloatArray) -> Hand | None:
        h, w = image.shape[:2]
        res = self._hands.process(np.ascontiguousarray(image[..., :3]))
        best, dist = None, WRIST_TOLERANCE * w
        for lms, world, handed in zip(res.multi_hand_landmarks or [], res.multi_hand_world_landmarks or [],
                                      res.multi_handedness or []):
            pts = np.array([[lm.x * w, lm.y * h, lm.z * w] for lm in lms.landmark])
            d = float(np.linalg.norm(pts[0, :2] - wrist_px))
            if d < dist:
                wpts = np.array([[lm.x, lm.y, lm.z] for lm in world.landmark])
                best, dist = Hand(pts, wpts, handed.classification[0].label), d
        return best

    def close(self) -> None:
        self._hands.close()


def majority(reads: list[str]) -> str:
    """The letter read in most frames ("-" for none)."""
    return Counter(reads).most_common(1)[0][0] if reads else "-"


@dataclass
class LetterResult:
    """One letter (isolated, or the k-th letter of a word) under one setting."""

    letter: str
    where: str  # "isolated" or the word
    found_frames: int = 0
    frames: int = 0
    reads: list[str] = field(default_factory=list)
    angle_errors: list[float] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    travel: float = 0.0  # the hand's travel over the letter's span, in its size in the picture
    moving_reads: list[str] = field(default_factory=list)  # per frame, nearest among letters of its kind

    @property
    def found(self) -> bool:
        return 2 * self.found_frames > self.frames

    @property
    def read_as(self) -> str:
        return majority(self.reads)

    @property
    def right(self) -> bool:
        return self.found and self.read_as == self.letter

    @property
    def twin_right(self) -> bool:
        return self.found and twins(self.read_as, self.letter)

    @property
    def moved(self) -> bool:
        return self.travel >= MOVES_AT

    @property
    def read_with_movement(self) -> str:
        return majority(self.moving_reads)

    @property
    def right_with_movement(self) -> bool:
        return self.found and self.read_with_movement == self.letter

    @property
    def angle(self) -> float:
        return float(np.mean(self.angle_errors)) if self.angle_errors else float("nan")


def letter_name(sign_id: str) -> str:
    return sign_id.removeprefix("FS-")


class ClipFrames:
    """A clip's frames rendered at one size with the product camera, each once: frame t -> the picture
    (size, size, 3) and the right wrist's pixel (2,)."""

    def __init__(self, pipeline: Pipeline, track: PoseTrack, size: int) -> None:
        self._pipeline, self._track, self._size = pipeline, track, size
        self._camera = Camera()
        self._renderer = OffscreenRenderer(pipeline.avatar, size, size, camera=self._camera,
                                           platform=pipeline.settings.gl_platform)
        self._cache: dict[int, tuple[UInt8Array, FloatArray]] = {}

    def __call__(self, t: int) -> tuple[UInt8Array, FloatArray]:
        track, sk = self._track, self._pipeline.avatar.skeleton
        t = min(max(t, 0), track.num_frames - 1)
        if t not in self._cache:
            root = None if track.root is None else track.root[t:t + 1]
            wr, wp = sk.forward(track.rotations[t:t + 1], root)
            img = self._renderer.render(*self._pipeline.avatar.deform(wr[0], wp[0], track.face[t])).copy()
            wrist = self._camera.project(wp[0][sk.index("wrist.R")][None], self._size, self._size)[0]
            self._cache[t] = img, wrist
        return self._cache[t]

    def close(self) -> None:
        self._renderer.close()


def read_letter(frame: Callable[[int], tuple[UInt8Array, FloatArray]], reader: Reader, middle: int,
                offsets: tuple[int, ...], lead: int, span: tuple[int, int]) -> tuple[list[Hand | None], list[Hand]]:
    """The right hand read in the frames middle + offsets (None: not found), and the hands found in
    the frames of `span` (first, last; the movement's frames); the reader sees the `lead` frames
    before the first frame read too (video mode's tracker), and is closed."""
    first, last = min(middle + min(offsets), span[0]), max(middle + max(offsets), span[1])
    hands: list[Hand | None] = []
    moving: list[Hand] = []
    try:
        for t in range(first - lead, last + 1):
            img, wrist = frame(t)
            hand = reader.hand(img, wrist)
            if t - middle in offsets:
                hands.append(hand)
            if span[0] <= t <= span[1] and hand is not None:
                moving.append(hand)
    finally:
        reader.close()
    return hands, moving


def score(letter: str, where: str, hands: list[Hand | None], plane: str, refs: LetterReferences,
          span_hands: list[Hand]) -> LetterResult:
    """One letter's readings compared with the references in one plane (and, with the hands of its
    span, with the references of its kind: moving or still)."""
    res = LetterResult(letter, where, frames=len(hands))
    res.travel = hand_travel([h.image for h in span_hands])
    for hand in hands:
        if hand is None:
            continue
        res.found_frames += 1
        res.labels.append(hand.label)
        feats = hand_features(hand.image) if plane == "image" else world_features(hand.world)
        angles = refs.image_angles[letter] if plane == "image" else refs.world_angles[letter]
        res.angle_errors.append(float(np.abs(feats[:15] - angles).mean()))
        res.reads.append(refs.nearest(feats, plane))
        res.moving_reads.append(refs.nearest(feats, plane, res.moved))
    return res


def read_clip(pipeline: Pipeline, refs: LetterReferences, glosses: str, offsets: tuple[int, ...],
              rs_list: list[ReadSetting], where: str) -> dict[str, list[LetterResult]]:
    """Render the clip of `glosses` around each planned letter's middle and read it under every setting;
    setting name -> one LetterResult per planned letter (SCH stays one letter, as signed)."""
    seq = pipeline.parse_glosses(glosses)
    plan = pipeline.sequencer.plan(seq, 1.0)
    track = pipeline.motion(seq, RenderOptions(fps=FPS))
    middles = [min(max(round((a + b) / 2 * FPS), 0), track.num_frames - 1) for a, b, _, _ in plan.letters]
    # the frames inside each letter's span, arrival to the end of its hold: its movement
    spans = [(first, max(last, first)) for first, last in (frames_inside(a, b, FPS) for a, b, _, _ in plan.letters)]
    out: dict[str, list[LetterResult]] = {rs.name: [] for rs in rs_list}
    for size in sorted({rs.size for rs in rs_list}):
        frame = ClipFrames(pipeline, track, size)
        try:
            # one MediaPipe run per mode and confidence serves both planes
            runs = sorted({(r.mode, r.conf) for r in rs_list if r.size == size})
            for mode, conf in runs:
                planes = [r for r in rs_list if (r.size, r.mode, r.conf) == (size, mode, conf)]
                for (_, _, sign, _), m, span in zip(plan.letters, middles, spans):
                    if letter_name(sign) not in refs.image:
                        continue  # SCH: no recording of its own to compare with
                    lead = VIDEO_LEAD if mode == "video" else 0
                    hands, span_hands = read_letter(frame, Reader(mode, conf), m, offsets, lead, span)
                    for rs in planes:
                        out[rs.name].append(score(letter_name(sign), where, hands, rs.plane, refs, span_hands))
        finally:
            frame.close()
    return out



def summarise(results: dict[str, list[LetterResult]], title: str) -> dict[str, dict[str, float]]:
    """Print one line per setting and the spread over settings; returns the figures per setting."""
    figures: dict[str, dict[str, float]] = {}
    for name, rows in results.items():
        n = len(rows)
        right = sum(r.right for r in rows)
        twin = sum(r.twin_right for r in rows)
        moving = sum(r.right_with_movement for r in rows)
        found = sum(r.found for r in rows)
        angles = [r.angle for r in rows if r.angle_errors]
        labels = Counter(label for r in rows for label in r.labels)
        frames_right = sum(x == r.letter for r in rows for x in r.reads) / max(sum(r.frames for r in rows), 1)
        figures[name] = {"n": n, "right": right, "twins_allowed": twin, "with_movement": moving, "found": found,
                         "angle": float(np.mean(angles)), "frames_right": frames_right}
        misses = ", ".join(f"{r.letter}->{r.read_as}" + ("" if r.where == "isolated" else f"({r.where})")
                           for r in rows if not r.right)
        moving_misses = ", ".join(f"{r.letter}->{r.read_with_movement}"
                                  + ("" if r.where == "isolated" else f"({r.where})")
                                  for r in rows if not r.right_with_movement)
        still = [r.travel for r in rows if r.letter not in MOVING_LETTERS and r.found]
        moves = [r.travel for r in rows if r.letter in MOVING_LETTERS and r.found]
        print(f"{title} {name:22s} found {found}/{n}; angle {np.mean(angles):5.1f} deg; letter {right}/{n} "
              f"= {right / n:.0%} (frames {frames_right:.0%}; twins allowed {twin}); labels {dict(labels)}; "
              f"misses: {misses or 'none'}")
        print(f"{title} {name:22s} with movement: letter {moving}/{n} = {moving / n:.0%}; misses: "
              f"{moving_misses or 'none'}; travel of still letters up to {max(still, default=0):.2f}, "
              f"of moving ones from {min(moves, default=0):.2f} (MOVES_AT {MOVES_AT})")
    for key in ("right", "twins_allowed", "with_movement", "angle", "found"):
        vals = [f[key] for f in figures.values()]
        print(f"{title} over {len(vals)} settings: {key} median {np.median(vals):.3g} (min {min(vals):.3g} .. "
              f"max {max(vals):.3g})")
    return figures


def per_letter_table(results: dict[str, list[LetterResult]]) -> dict[str, tuple[int, int, float, float]]:
    """Letter -> (readings right, readings, mean angle difference in the image plane, in 3D) over all
    settings and occurrences."""
    table: dict[str, list[int]] = {}
    angles: dict[tuple[str, str], list[float]] = {}
    for name, rows in results.items():
        plane = name.split("/")[1]
        for r in rows:
            t = table.setdefault(r.letter, [0, 0])
            t[0] += r.right
            t[1] += 1
            angles.setdefault((r.letter, plane), []).extend(r.angle_errors)
    return {k: (v[0], v[1], float(np.mean(angles.get((k, "image")) or [np.nan])),
                float(np.mean(angles.get((k, "world")) or [np.nan]))) for k, v in table.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--letters", help="comma-separated letters to read isolated (default all 30; 'none')")
    ap.add_argument("--words", type=int, help="how many of the words to read (default all; 0: none)")
    ap.add_argument("--other-words", action="store_true", help="read OTHER_WORDS instead of WORDS (a second sample)")
    ap.add_argument("--word-list", help="comma-separated words to read instead of WORDS (a sample of your own)")
    ap.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="render sizes, square (default 512 384)")
    ap.add_argument("--confs", type=float, nargs="+", default=list(CONFIDENCES),
                    help="MediaPipe detection/tracking confidences (default 0.3 0.5)")
    ap.add_argument("--offsets", type=offsets_arg, default=ISOLATED_OFFSETS,
                    help="frames read around an isolated letter's middle, e.g. --offsets=-3,0,3 (default -2,-1,0,1,2)")
    ap.add_argument("--word-offsets", type=offsets_arg, default=WORD_OFFSETS,
                    help="frames read around a letter's middle inside a word (default -1,0,1)")
    ap.add_argument("--json", type=Path, help="write per-setting figures and per-letter tables here")
    ap.add_argument("--reference-hands", action="store_true",
                    help="read the letters as fitted to the recordings, untuned (their 3D is the world "
                         "reference itself): the reader's own error")
    args = ap.parse_args()
    sizes, confs = tuple(args.sizes), tuple(args.confs)
    if min(sizes) < 128 or max(sizes) > 2048 or not all(0.0 < c < 1.0 for c in confs):
        ap.error("sizes must be 128-2048 pixels and confidences between 0 and 1")
    settings = Settings.from_env(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        if args.reference_hands:
            settings = replace(settings, lexicon_dir=reference_hands(settings.lexicon_dir, Path(tmp), args.letters))
            print("letters: fitted to the recordings, not tuned (--reference-hands)")
        run(args, sizes, confs, Pipeline(settings))


def reference_hands(lexicon: Path, tmp: Path, letters: str | None = None) -> Path:
    """A copy of `lexicon` in `tmp` whose recorded letters (all 30, or the comma-separated `letters`) hold
    their hands as fitted to the recordings, untuned (scripts/fit_letters.py --tries 0)."""
    out = tmp / "glosses"
    shutil.copytree(lexicon, out)
    which = ["--letters", letters] if letters and letters != "none" else []
    subprocess.run([sys.executable, str(REPO / "scripts" / "fit_letters.py"), "--tries", "0", "--lexicon", str(out),
                    *which], check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "SIGNAVATAR_LEXICON_DIR": str(lexicon)})
    return out


def run(args: argparse.Namespace, sizes: tuple[int, ...], confs: tuple[float, ...], pipeline: Pipeline) -> None:
    refs = references(pipeline)
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, {date.today().isoformat()}")
    ceiling = recording_ceiling(pipeline)
    print("recording read against itself (image plane, frames +-1, +-2): letter {0}/{2}, twins allowed {1}/{2}, "
          "angle {3:.1f} deg".format(*ceiling))
    report: dict[str, object] = {"recording_ceiling": ceiling, "reference_hands": args.reference_hands}
    letters = list(refs.image) if not args.letters else [x for x in args.letters.split(",") if x != "none"]
    if letters:
        iso: dict[str, list[LetterResult]] = {}
        for x in letters:
            clip = read_clip(pipeline, refs, f"fs-{x}", args.offsets, settings_grid(sizes=sizes, confs=confs),
                             "isolated")
            for name, rows in clip.items():
                iso.setdefault(name, []).extend(rows)
        report["isolated"] = summarise(iso, "isolated")
        table = per_letter_table(iso)
        print("isolated, settings read right per letter: "
              + ", ".join(f"{k} {a}/{b}" for k, (a, b, _, _) in table.items() if a < b))
        print("isolated, mean angle difference per letter, image plane / 3D (deg): "
              + ", ".join(f"{k} {i:.0f}/{w:.0f}" for k, (_, _, i, w) in table.items()))
        report["isolated_letters"] = table
    if args.words != 0:
        inside: dict[str, list[LetterResult]] = {}
        words = (tuple(w.strip().upper() for w in args.word_list.split(",") if w.strip()) if args.word_list
                 else OTHER_WORDS if args.other_words else WORDS)
        for word in words[: args.words]:
            grid = settings_grid(("static",), sizes, confs)
            for name, rows in read_clip(pipeline, refs, f"fs-{word}", args.word_offsets, grid, word).items():
                inside.setdefault(name, []).extend(rows)
        report["words"] = summarise(inside, "in words")
        table = per_letter_table(inside)
        print("in words, readings right per letter (settings x occurrences): "
              + ", ".join(f"{k} {a}/{b}" for k, (a, b, _, _) in sorted(table.items())))
        report["word_letters"] = table
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
