"""Capture round trip: render a lexicon sign, capture the video back with `signavatar capture`, render
the captured entry, and compare the two renders.

Per sign, all through the console script: `signavatar render --glosses SIGN` (the hand-authored
entry) -> orig.mp4; `signavatar capture orig.mp4 --gloss SIGN --force --lexicon COPY` into a copy of
the glosses folder -> a recorded entry; `signavatar render --glosses SIGN` with that copy -> cap.mp4.

Compared, frame by frame over the sign itself:
  read-back angles: MediaPipe Holistic (video mode) on both renders; per signing arm the elbow angle
  (shoulder-elbow-wrist) and the shoulder angle (hip-shoulder-elbow), and per signing hand the 15
  finger flexion angles (capture/legibility.joint_angles); all in the image plane, degrees. Angles
  are compared where both renders show the landmarks.
  avatar rotations: the angle (degrees) between the two tracks' world rotations of the signing arm
  joints (clavicle..wrist) and between their local finger joint rotations.
Alignment: the sequencer labels the frames of each sign (from the transition's midpoint into the
sign to the midpoint out of it) in both clips; the two labelled spans are resampled to the same
number of frames (linear in time). The captured entry replaces the hand-authored motion of the same
span, so the spans correspond; no DTW, so timing differences count as errors too.

Also compared: "skeleton joint angles", the same elbow, shoulder and finger bend angles measured in
3D on the two skeletons that were rendered (exact, no reader in between, so MediaPipe's misreadings
of the render count only once: in the capture).

usage: .venv/bin/python benchmarks/roundtrip.py [--signs "DANKE BITTE" | --frequent 12] [--size 512] [--json out.json]
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
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from signavatar.avatar.quaternions import quat_conj, quat_from_matrix, quat_mul  # noqa: E402
from signavatar.avatar.skeleton import Skeleton  # noqa: E402
from signavatar.capture.holistic_video import decode_frames, probe  # noqa: E402
from signavatar.capture.legibility import bend_angles, joint_angles  # noqa: E402
from signavatar.capture.recorded_entry import arm_joints  # noqa: E402
from signavatar.exports.pose_file import body_points  # noqa: E402
from signavatar.kinematics.hand_points import hand_points  # noqa: E402
from signavatar.pipeline import Pipeline  # noqa: E402
from signavatar.settings import Settings  # noqa: E402
from signavatar.types import PoseTrack, RenderOptions  # noqa: E402

SIGNS = ("DANKE", "HALLO", "ICH", "TELEFON", "BITTE", "UMZIEHEN")
#: pose landmark ids per side: (hip, shoulder, elbow, wrist)
POSE_IDS = {"R": (24, 12, 14, 16), "L": (23, 11, 13, 15)}


@dataclass(frozen=True)
class Reading:
    """Per frame (T): arm angles (T, 2 sides, 2) and finger angles (T, 2 sides, 15), NaN where unseen."""

    arms: np.ndarray
    fingers: np.ndarray


def _angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    u, v = a - b, c - b
    return float(np.degrees(np.arccos(np.clip(u @ v / (np.linalg.norm(u) * np.linalg.norm(v) + 1e-12), -1, 1))))


def read_video(path: Path) -> Reading:
    """MediaPipe Holistic's reading of a render: image-plane angles of arms and fingers."""
    import mediapipe as mp

    info = probe(path)
    arms, fingers = [], []
    with mp.solutions.holistic.Holistic(static_image_mode=False, model_complexity=1) as holistic:
        for image in decode_frames(path, info):
            r = holistic.process(np.ascontiguousarray(image))
            arm = np.full((2, 2), np.nan)
            fing = np.full((2, 15), np.nan)
            if r.pose_landmarks is not None:
                p = np.array([[lm.x * info.width, lm.y * info.height] for lm in r.pose_landmarks.landmark])
                for k, side in enumerate(("R", "L")):
                    hip, sh, el, wr = POSE_IDS[side]
                    arm[k] = (_angle(p[sh], p[el], p[wr]), _angle(p[hip], p[sh], p[el]))
            for k, hand in enumerate((r.right_hand_landmarks, r.left_hand_landmarks)):
                if hand is not None:
                    pts = np.array([[lm.x * info.width, lm.y * info.height] for lm in hand.landmark])
                    fing[k] = joint_angles(pts)
            arms.append(arm)
            fingers.append(fing)
    return Reading(np.array(arms), np.array(fingers))


def skeleton_reading(track: PoseTrack, skeleton: Skeleton, frames: np.ndarray) -> Reading:
    """The same angles as read_video, measured in 3D on the skeleton that was rendered."""
    world_r, world_p = skeleton.forward(track.rotations[frames].astype(np.float64))
    body, _ = body_points(skeleton, world_r, world_p)
    arms = np.empty((len(frames), 2, 2))
    fingers = np.empty((len(frames), 2, 15))
    for k, side in enumerate(("R", "L")):
        hip, sh, el, wr = POSE_IDS[side]
        hand = hand_points(skeleton, world_r, world_p, side)
        for t in range(len(frames)):
            arms[t, k] = (_angle(body[t, sh], body[t, el], body[t, wr]), _angle(body[t, hip], body[t, sh], body[t, el]))
            fingers[t, k] = bend_angles(hand[t])
    return Reading(arms, fingers)


def sign_frames(track: PoseTrack, gloss: str) -> np.ndarray:
    """Indices of the frames the sequencer labels with `gloss`."""
    return np.array([i for i, label in enumerate(track.labels) if label == gloss])


def aligned(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Frame indices a and b resampled (linearly, rounded) to the longer one's length."""
    n = max(len(a), len(b))
    pick = lambda x: x[np.rint(np.linspace(0, len(x) - 1, n)).astype(int)]  # noqa: E731
    return pick(a), pick(b)


def dtw_path(fa: np.ndarray, fb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dynamic time warping of two per-frame angle sequences (Ta, D), (Tb, D), NaN where unseen:
    the frame pairs (ia, ib) of the alignment with the least summed mean absolute difference."""
    diff = np.abs(fa[:, None, :] - fb[None, :, :])
    seen = np.isfinite(diff)
    cost = np.where(seen.any(-1), np.nansum(np.where(seen, diff, 0.0), -1) / np.maximum(seen.sum(-1), 1), 90.0)
    ta, tb = cost.shape
    acc = np.full((ta + 1, tb + 1), np.inf)
    acc[0, 0] = 0.0
    for i in range(1, ta + 1):
        for j in range(1, tb + 1):
            acc[i, j] = cost[i - 1, j - 1] + min(acc[i - 1, j], acc[i, j - 1], acc[i - 1, j - 1])
    i, j, path = ta, tb, []
    while i > 0 and j > 0:
        path.append((i - 1, j - 1))
        step = int(np.argmin([acc[i - 1, j - 1], acc[i - 1, j], acc[i, j - 1]]))
        i, j = (i - 1, j - 1) if step == 0 else (i - 1, j) if step == 1 else (i, j - 1)
    path.reverse()
    pa, pb = zip(*path)
    return np.array(pa), np.array(pb)


def _rot_diff(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    r = quat_mul(quat_conj(a), b)
    return 2.0 * np.degrees(np.arccos(np.clip(np.abs(r[..., 0]), 0.0, 1.0)))


def _run(args: list[str], env: dict[str, str]) -> None:
    exe = Path(sys.executable).with_name("signavatar")
    done = subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"signavatar {' '.join(args)}: {done.stderr.strip()}")


def roundtrip(sign: str, lexicon_copy: Path, work: Path, size: int, settings: Settings) -> dict[str, float]:
    """Render, capture, re-render `sign`; the differences of the two renders (degrees)."""
    env = {**os.environ, "SIGNAVATAR_LEXICON_DIR": str(settings.lexicon_dir)}
    original = json.loads((settings.lexicon_dir / "signs" / f"{sign}.json").read_text(encoding="utf-8"))
    orig_mp4, cap_mp4 = work / f"{sign}-orig.mp4", work / f"{sign}-cap.mp4"
    t0 = time.perf_counter()
    _run(["render", "--glosses", sign, "-o", str(orig_mp4), "--size", f"{size}x{size}"], env)
    lemmas = [x for lemma in original["lemmas"] for x in ("--lemma", lemma)]
    mouthing = ["--mouthing", original["mouthing"]] if original.get("mouthing") else []
    t1 = time.perf_counter()
    _run(["capture", str(orig_mp4), "--gloss", sign, "--force", "--lexicon", str(lexicon_copy), *lemmas, *mouthing],
         env)
    t2 = time.perf_counter()
    _run(["render", "--glosses", sign, "-o", str(cap_mp4), "--size", f"{size}x{size}"],
         {**env, "SIGNAVATAR_LEXICON_DIR": str(lexicon_copy)})
    options = RenderOptions(width=size, height=size, fps=25, format="mp4")
    tracks = []
    for lex in (settings.lexicon_dir, lexicon_copy):
        pipeline = Pipeline(replace(settings, lexicon_dir=lex))
        tracks.append(pipeline.motion(pipeline.parse_glosses(sign), options))
        skeleton = pipeline.avatar.skeleton
    ia, ib = aligned(sign_frames(tracks[0], sign), sign_frames(tracks[1], sign))
    ra, rb = read_video(orig_mp4), read_video(cap_mp4)
    sides = [0, 1] if original["hands"] == "two" else [0]
    arm_d = np.abs(ra.arms[ia][:, sides] - rb.arms[ib][:, sides])
    fing_d = np.abs(ra.fingers[ia][:, sides] - rb.fingers[ib][:, sides])
    pooled = np.concatenate([arm_d.ravel(), fing_d.ravel()])
    # the avatar's own joints
    wa, _ = skeleton.forward(tracks[0].rotations[ia].astype(np.float64))
    wb, _ = skeleton.forward(tracks[1].rotations[ib].astype(np.float64))
    arm_j = [skeleton.index(n) for s in ("R", "L")[: len(sides)] for n in arm_joints(s)[:7]]
    fin_j = [skeleton.index(n) for s in ("R", "L")[: len(sides)] for n in arm_joints(s)[11:]]
    arm_rot = _rot_diff(quat_from_matrix(wa[:, arm_j]), quat_from_matrix(wb[:, arm_j]))
    fin_rot = _rot_diff(tracks[0].rotations[ia][:, fin_j].astype(np.float64),
                        tracks[1].rotations[ib][:, fin_j].astype(np.float64))
    seen = np.isfinite(fing_d).all(axis=2)
    # the rendered skeletons themselves: the same joint angles in 3D, exact, no reader in between
    sk_a, sk_b = skeleton_reading(tracks[0], skeleton, ia), skeleton_reading(tracks[1], skeleton, ib)
    sk_arm = np.abs(sk_a.arms[:, sides] - sk_b.arms[:, sides])
    sk_fing = np.abs(sk_a.fingers[:, sides] - sk_b.fingers[:, sides])
    # the same angles after dynamic time warping over the two sign spans (timing differences from
    # trimming no longer count, only the shapes of the motions)
    sa, sb = sign_frames(tracks[0], sign), sign_frames(tracks[1], sign)
    feat = lambda r, idx: np.concatenate([r.arms[idx][:, sides].reshape(len(idx), -1),  # noqa: E731
                                          r.fingers[idx][:, sides].reshape(len(idx), -1)], axis=1)
    pa, pb = dtw_path(feat(ra, sa), feat(rb, sb))
    dtw_d = np.abs(feat(ra, sa)[pa] - feat(rb, sb)[pb])
    return {
        "angle_diff_dtw": float(np.nanmean(dtw_d)),
        "skeleton_angle_diff": float(np.concatenate([sk_arm.ravel(), sk_fing.ravel()]).mean()),
        "skeleton_arm_diff": float(sk_arm.mean()), "skeleton_finger_diff": float(sk_fing.mean()),
        "frames_orig": int(len(sign_frames(tracks[0], sign))), "frames_cap": int(len(sign_frames(tracks[1], sign))),
        "angle_diff": float(np.nanmean(pooled)), "arm_angle_diff": float(np.nanmean(arm_d)),
        "finger_angle_diff": float(np.nanmean(fing_d)), "hands_read": float(seen.mean()),
        "arm_rot_diff": float(arm_rot.mean()), "finger_rot_diff": float(fin_rot.mean()),
        "capture_s": t2 - t1, "render_s": t1 - t0,
    }


def frequent_signs(pipeline: Pipeline, n: int) -> list[str]:
    """The n lexicon glosses that the Buergeramt test sentences use most (ties: first seen)."""
    sys.path.insert(0, str(REPO / "tests" / "text_to_gloss"))
    from buergeramt import buergeramt_texts

    counts: Counter[str] = Counter()
    for text in buergeramt_texts():
        counts.update(t.gloss for t in pipeline.translate(text).tokens if t.kind == "lexicon")
    return [g for g, _ in counts.most_common(n)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--signs", default=" ".join(SIGNS), help="lexicon signs to round-trip")
    ap.add_argument("--frequent", type=int, metavar="N",
                    help="instead: the N lexicon signs used most in the Buergeramt test sentences")
    ap.add_argument("--size", type=int, default=512, help="render size in pixels (square)")
    ap.add_argument("--json", type=Path, help="write the per-sign results here")
    args = ap.parse_args()
    settings = Settings.from_env(os.environ)
    signs = frequent_signs(Pipeline(settings), args.frequent) if args.frequent else args.signs.split()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="signavatar-roundtrip-") as tmp:
        work = Path(tmp)
        copy = work / "glosses"
        shutil.copytree(settings.lexicon_dir, copy)
        for sign in signs:
            results[sign] = r = roundtrip(sign, copy, work, args.size, settings)
            print(f"{sign:10s} read-back angle diff {r['angle_diff']:5.1f} deg, DTW {r['angle_diff_dtw']:5.1f} "
                  f"(arms {r['arm_angle_diff']:5.1f}, "
                  f"fingers {r['finger_angle_diff']:5.1f}, hands read {r['hands_read']:.0%}); avatar rotations: "
                  f"arm {r['arm_rot_diff']:5.1f}, fingers {r['finger_rot_diff']:5.1f}; frames {r['frames_orig']}"
                  f"->{r['frames_cap']}; capture {r['capture_s']:.1f} s; "
                  f"skeleton joint angles {r['skeleton_angle_diff']:5.1f} "
                  f"(arms {r['skeleton_arm_diff']:5.1f}, fingers {r['skeleton_finger_diff']:5.1f})", flush=True)
    overall = float(np.mean([r["angle_diff"] for r in results.values()]))
    print(f"overall mean read-back joint-angle difference {overall:.1f} deg over {len(results)} signs "
          f"(DTW-aligned: {np.mean([r['angle_diff_dtw'] for r in results.values()]):.1f}); "
          f"avatar rotations arm {np.mean([r['arm_rot_diff'] for r in results.values()]):.1f}, "
          f"fingers {np.mean([r['finger_rot_diff'] for r in results.values()]):.1f} deg; skeleton joint angles "
          f"{np.mean([r['skeleton_angle_diff'] for r in results.values()]):.1f} deg")
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, no GPU; {args.size}x{args.size}; mediapipe Holistic")
    if args.json:
        args.json.write_text(json.dumps({"results": results, "overall": overall}, indent=1))


if __name__ == "__main__":
    main()
