"""Non-manual grammar, read back by a machine: German sentences of four types (statements, yes/no
questions, W-questions, negated statements) translated and rendered through the real pipeline at
512x512 with the product camera, and MediaPipe Face Mesh run on every frame.

Face Mesh (mediapipe 0.10.21, video mode, refine_landmarks) does not find a face of about 50 px in
the whole 512x512 frame reliably, so each frame is cropped to a CROP_PX square around the head
joint's projection and upscaled to UPSCALE_PX (bicubic) before it is read; landmarks are measured in
that crop's pixels (ratios only, so the scale cancels).

Measured over the frames inside the sentence's sign spans (the motion plan's spans, rest and the
final return left out):
  brow height  per frame: mean distance of the brow landmarks (BROW_IDS, both edges of both brows)
               to the upper eyelid landmarks of the same side (LID_IDS), over the inter-ocular
               distance (eye centre to eye centre); averaged over the sentence's signed frames.
               Reported per type as the ratio of the type's mean to the statements' mean, with the
               per-sentence range of (sentence / statements' mean).
  brow-corner  the same with the eye corners (CORNER_IDS) instead of the upper lid: eyeWide lifts the
               lid, so the lid measure understates raised brows; both are printed.
  head yaw     per frame: (nose tip x - the face oval's left/right midpoint x) / face width (landmarks
               1, 234, 454), a pose-free yaw proxy; its oscillation amplitude is the standard
               deviation over frames. Compared: frames of signs with the negation marker (headshake)
               vs signed frames without it (in all sentences); the ratio of the mean amplitudes.
Controls: the yes/no and W-questions rendered again with the brow channels zeroed (head posture,
eyes and everything else unchanged) show how much of the brow ratio is the brows themselves.

usage: .venv/bin/python benchmarks/nonmanual_readback.py [--json out.json] [--frames DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
import zlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import NamedTuple

import numpy as np

from signavatar.pipeline import Pipeline
from signavatar.pose_to_frames.renderer import Camera
from signavatar.settings import Settings
from signavatar.types import GlossSequence, PoseTrack, RenderOptions

SENTENCES: dict[str, tuple[str, ...]] = {
    "statement": (
        "Ich brauche einen Termin.", "Morgen komme ich ins Bürgeramt.", "Ich habe meinen Ausweis verloren.",
        "Wir wohnen in der Stadt.", "Das Formular ist wichtig.", "Ich bezahle mit Karte.",
    ),
    "question-yn": (
        "Haben Sie einen Termin?", "Kommen Sie morgen?", "Brauchen Sie ein Formular?",
        "Ist der Ausweis gültig?", "Können Sie mir helfen?", "Wohnen Sie in der Stadt?",
    ),
    "question-wh": (
        "Wo ist das Bürgeramt?", "Wann kommen Sie?", "Was kostet der Ausweis?",
        "Wie ist Ihr Name?", "Warum brauchen Sie ein Formular?", "Wer hilft mir?",
    ),
    "negated": (
        "Ich komme heute nicht.", "Ich habe keinen Termin.", "Ich kann morgen nicht kommen.",
        "Wir brauchen kein Formular.", "Sie müssen nicht bezahlen.", "Ich verstehe das nicht.",
    ),
}
SIZE = 512
CROP_PX, UPSCALE_PX = 128, 384
#: MediaPipe Face Mesh ids (the subject's right side is the image's left)
BROW_IDS = {"R": (70, 63, 105, 66, 107, 46, 53, 52, 65, 55), "L": (300, 293, 334, 296, 336, 276, 283, 282, 295, 285)}
LID_IDS = {"R": (246, 161, 160, 159, 158, 157, 173), "L": (466, 388, 387, 386, 385, 384, 398)}
CORNER_IDS = {"R": (33, 133), "L": (263, 362)}
NOSE_TIP, OVAL_R, OVAL_L = 1, 234, 454


class Reading(NamedTuple):  # not a dataclass: tests load this file without registering it as a module
    """One sentence read back: per frame (NaN where no face was found) the brow heights (lid and
    corner measures) and the yaw proxy; which frames are signed and which carry the headshake."""

    text: str
    kind: str
    glosses: str
    brow_lid: np.ndarray  # (T,)
    brow_corner: np.ndarray  # (T,)
    yaw: np.ndarray  # (T,)
    signed: np.ndarray  # (T,) bool
    negated: np.ndarray  # (T,) bool

    @property
    def found(self) -> float:
        """Share of the signed frames in which a face was found."""
        return float(np.isfinite(self.brow_lid[self.signed]).mean())

    def brow(self, measure: str = "lid") -> float:
        values = (self.brow_lid if measure == "lid" else self.brow_corner)[self.signed]
        return float(np.nanmean(values))


class FaceReader:
    """MediaPipe Face Mesh (video mode, refined landmarks), on a crop around the head."""

    def __init__(self) -> None:
        import mediapipe as mp  # heavy, only where pictures are read

        self._mesh = mp.solutions.face_mesh.FaceMesh(
            static_image_mode=False, max_num_faces=1, refine_landmarks=True, min_detection_confidence=0.3,
        )

    def read(self, image: np.ndarray, centre: np.ndarray) -> np.ndarray | None:
        """(478, 2) landmark pixels in the upscaled crop around `centre` (x, y), or None."""
        from PIL import Image

        half = CROP_PX // 2
        x0 = int(np.clip(round(centre[0]) - half, 0, image.shape[1] - CROP_PX))
        y0 = int(np.clip(round(centre[1]) - half, 0, image.shape[0] - CROP_PX))
        crop = Image.fromarray(np.ascontiguousarray(image[y0:y0 + CROP_PX, x0:x0 + CROP_PX, :3]))
        big = np.asarray(crop.resize((UPSCALE_PX, UPSCALE_PX), Image.BICUBIC))
        result = self._mesh.process(np.ascontiguousarray(big))
        if not result.multi_face_landmarks:
            return None
        return np.array([[p.x * UPSCALE_PX, p.y * UPSCALE_PX] for p in result.multi_face_landmarks[0].landmark])

    def close(self) -> None:
        self._mesh.close()


def face_measures(points: np.ndarray) -> tuple[float, float, float]:
    """(brow height over the upper lid, brow height over the eye corners, yaw proxy) of one face's
    landmarks (478, 2); heights in inter-ocular distances."""
    centres = {s: points[list(CORNER_IDS[s])].mean(axis=0) for s in "RL"}
    iod = float(np.linalg.norm(centres["R"] - centres["L"]))
    lid = np.mean([np.linalg.norm(points[list(BROW_IDS[s])] - points[list(LID_IDS[s])].mean(axis=0), axis=1).mean()
                   for s in "RL"]) / iod
    corner = np.mean([np.linalg.norm(points[list(BROW_IDS[s])] - centres[s], axis=1).mean() for s in "RL"]) / iod
    width = points[OVAL_L, 0] - points[OVAL_R, 0]
    yaw = (points[NOSE_TIP, 0] - (points[OVAL_L, 0] + points[OVAL_R, 0]) / 2) / width
    return float(lid), float(corner), float(yaw)


def without_brows(track: PoseTrack) -> PoseTrack:
    """The track with the brow channels at zero (the control: head and eyes as they were)."""
    face = track.face.copy()
    for name in ("brows_up", "brows_down"):
        face[:, track.face_channels.index(name)] = 0.0
    return replace(track, face=face)


def span_frames(pipeline: Pipeline, seq: GlossSequence, track: PoseTrack) -> tuple[np.ndarray, np.ndarray]:
    """(signed, negated) (T,) bool: frames inside a sign's span, and inside a negation-marked one."""
    ts = np.arange(track.num_frames) / track.fps
    signed = np.zeros(track.num_frames, dtype=bool)
    negated = np.zeros(track.num_frames, dtype=bool)
    for start, end, token in pipeline.sequencer.plan(seq, 1.0).spans:
        inside = (ts >= start) & (ts <= end)
        signed |= inside
        if "negation" in token.nonmanual:
            negated |= inside
    return signed, negated


def read_sentence(pipeline: Pipeline, text: str, kind: str, brows: bool = True,
                  frames_dir: Path | None = None) -> Reading:
    """Translate, render at SIZE x SIZE and read back one sentence."""
    options = RenderOptions(width=SIZE, height=SIZE)
    seq = pipeline.translate(text)
    track = pipeline.motion(seq, options)
    if not brows:
        track = without_brows(track)
    signed, negated = span_frames(pipeline, seq, track)
    sk = pipeline.skeleton
    _, world_p = sk.forward(track.rotations.astype(np.float64), track.root)
    eyes = (world_p[:, sk.index("eye.R")] + world_p[:, sk.index("eye.L")]) / 2
    centres = Camera().project(eyes, SIZE, SIZE) + np.array([0.0, 8.0])  # a little below the eyes
    values = np.full((track.num_frames, 3), np.nan)
    reader = FaceReader()
    try:
        for i, image in enumerate(pipeline.frames(track, options)):
            points = reader.read(image, centres[i])
            if points is not None:
                values[i] = face_measures(points)
            if frames_dir is not None and signed[i] and i % 10 == 0:
                from PIL import Image

                frames_dir.mkdir(parents=True, exist_ok=True)
                name = f"{kind}-{zlib.crc32(text.encode()) % 10000:04d}-{i:03d}.png"
                Image.fromarray(image[..., :3]).save(frames_dir / name)
    finally:
        reader.close()
    return Reading(text, kind, str(seq), values[:, 0], values[:, 1], values[:, 2], signed, negated)


def brow_ratios(
    readings: Sequence[Reading], baseline: Sequence[Reading], measure: str = "lid"
) -> tuple[float, float, float]:
    """(ratio of the means, lowest and highest sentence / baseline mean) of the brow height."""
    base = statistics.mean(r.brow(measure) for r in baseline)
    each = [r.brow(measure) / base for r in readings]
    return statistics.mean(r.brow(measure) for r in readings) / base, min(each), max(each)


def yaw_amplitudes(readings: Sequence[Reading]) -> tuple[list[float], list[float]]:
    """Per sentence, the yaw proxy's standard deviation over its negated frames (where it has any)
    and over its signed frames without the negation marker."""
    neg, plain = [], []
    for r in readings:
        for mask, out in ((r.signed & r.negated, neg), (r.signed & ~r.negated, plain)):
            values = r.yaw[mask]
            values = values[np.isfinite(values)]
            if len(values) >= 5:
                out.append(float(np.std(values)))
    return neg, plain


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path, help="write the per-sentence results here")
    ap.add_argument("--frames", type=Path, help="save every 10th signed frame (512x512 PNG) here")
    args = ap.parse_args()
    pipeline = Pipeline(Settings.from_env(os.environ))
    t0 = time.perf_counter()
    readings = {kind: [read_sentence(pipeline, text, kind, frames_dir=args.frames) for text in texts]
                for kind, texts in SENTENCES.items()}
    controls = {kind: [read_sentence(pipeline, text, kind, brows=False) for text in SENTENCES[kind]]
                for kind in ("question-yn", "question-wh")}
    elapsed = time.perf_counter() - t0
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, {date.today().isoformat()}; {SIZE}x{SIZE} renders, "
          f"Face Mesh (mediapipe 0.10.21, video mode, refined) on a {CROP_PX} px head crop upscaled to {UPSCALE_PX}; "
          f"{sum(len(v) for v in readings.values())} sentences + {sum(len(v) for v in controls.values())} controls "
          f"in {elapsed:.0f} s")
    statements = readings["statement"]
    print("\n| sentences | n | face found | brow/lid vs statements (range) | brow/corner vs statements (range) |")
    print("|---|---|---|---|---|")
    rows = [(kind, rs) for kind, rs in readings.items()] + [(f"{k}, brows off", rs) for k, rs in controls.items()]
    for kind, rs in rows:
        lid, corner = brow_ratios(rs, statements, "lid"), brow_ratios(rs, statements, "corner")
        found = statistics.mean(r.found for r in rs)
        print(f"| {kind} | {len(rs)} | {found:.0%} | {lid[0]:.3f} ({lid[1]:.3f}-{lid[2]:.3f}) "
              f"| {corner[0]:.3f} ({corner[1]:.3f}-{corner[2]:.3f}) |")
    neg, plain = yaw_amplitudes([r for rs in readings.values() for r in rs])
    print(f"\nhead yaw oscillation (std of the nose-vs-oval proxy): negated spans {statistics.mean(neg):.4f} "
          f"(range {min(neg):.4f}-{max(neg):.4f}, {len(neg)} sentences), other signed frames "
          f"{statistics.mean(plain):.4f} (range {min(plain):.4f}-{max(plain):.4f}, {len(plain)} sentences); "
          f"ratio {statistics.mean(neg) / statistics.mean(plain):.1f}")
    print("\nper sentence (brow/lid over the statements' mean):")
    base = statistics.mean(r.brow() for r in statements)
    for rs in readings.values():
        for r in rs:
            print(f"  {r.kind:12s} {r.brow() / base:.3f}  {r.text}  ->  {r.glosses}")
    if args.json:
        args.json.write_text(json.dumps({
            kind: [{"text": r.text, "glosses": r.glosses, "brow_lid": r.brow("lid"), "brow_corner": r.brow("corner"),
                    "found": r.found} for r in rs] for kind, rs in rows
        }, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
