"""Building the handshape bank (hand_bank.py): the avatar makes every inventory shape in many
orientations, the product renderer draws it, MediaPipe Holistic reads it.

Orientations: the extended fingers point along each of 26 directions (the 6 axes, 12 edge and 8
corner diagonals of a cube) and, for each, the palm faces 8 directions around them (45 degree
steps): 208 per shape, with the right hand's palm at each of the LOCATIONS in turn, the left arm at
rest, the whole avatar in the default framing at SIZE pixels, encoded to MP4 and decoded again like
a clip that is captured (one clip and one fresh Holistic per place). The arm's inverse kinematics
places the hand; some orientations are beyond a real wrist, which only adds readings
that no capture will match. Holistic runs as in a capture (video mode, tracking between frames)
but without landmark smoothing, and each pose is shown HOLD frames with the last one kept, so no
reading is blended with the pose before it. Hands MediaPipe does not find are left out (about a
quarter: mostly fingers pointing straight at or away from the camera).

38 shapes x 208 orientations x 3 places x 2 frames take about 40 minutes on 2 CPU cores (13 per
place). Places measured (benchmarks/capture_fingers.py, 17 signs / 16 of the next most used): neutral
alone 9.0 / 11.2 degrees of captured finger error; + neutral_low + chest 7.6 / 10.1 (with the two-hand
conditions of handshape_snap.py 5.9 / 7.4); adding `far` as a fourth place 6.7 / 7.4, dropped.
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from signavatar.capture.hand_bank import HandBank, hand_fingerprint, inventory_points, normalise
from signavatar.capture.legibility import bend_angles
from signavatar.capture.retarget import to_ours
from signavatar.gloss_to_pose.body_space import location_point
from signavatar.gloss_to_pose.poser import REST, Poser
from signavatar.pipeline import Pipeline
from signavatar.typed import FloatArray, UInt8Array
from signavatar.types import RenderOptions

SIZE = 512
HOLD = 2
PALM_STEPS = 8
#: where the hand is held: in front of the body, low where still hands lie (BÜRGERAMT, TERMIN), at the
#: chest (ICH). The camera (2.4 m away) sees the three within 6 degrees of each other, but MediaPipe
#: reads the same hand differently before another part of the body and with the arm posed otherwise
LOCATIONS = ("neutral", "neutral_low", "chest")


def finger_directions() -> FloatArray:
    """(26, 3) unit directions: cube axes, edge and corner diagonals."""
    dirs = [np.array(v, dtype=np.float64) for v in itertools.product((-1, 0, 1), repeat=3) if any(v)]
    return np.stack([d / np.linalg.norm(d) for d in dirs])


def orientations(palm_steps: int = PALM_STEPS) -> list[tuple[FloatArray, FloatArray]]:
    """(fingers, palm) unit direction pairs, palm perpendicular to fingers, `palm_steps` per finger direction."""
    out = []
    for f in finger_directions():
        helper = np.array([0.0, 0.0, 1.0]) if abs(f[2]) < 0.9 else np.array([0.0, 1.0, 0.0])
        u = np.cross(f, helper)
        u /= np.linalg.norm(u)
        w = np.cross(f, u)
        for k in range(palm_steps):
            angle = 2.0 * np.pi * k / palm_steps
            out.append((f, np.cos(angle) * u + np.sin(angle) * w))
    return out


def bank_poses(pipeline: Pipeline, shapes: list[str], held: list[tuple[FloatArray, FloatArray]],
               location: str) -> FloatArray:
    """(len(shapes) * len(held), J, 4) local quaternions: the right hand in each shape and orientation
    (fingers, palm directions), its palm centre at `location`."""
    skeleton = pipeline.avatar.skeleton
    poser = Poser(skeleton, pipeline.lexicon)
    base = skeleton.identity(1)[0]
    for j, r in poser.pose(REST, "L").items():
        base[j] = r
    arm, hand = poser.arms["R"], poser.hands["R"]
    frame = hand.frame
    palm_centre = frame.wrist + 0.045 * frame.fingers
    out = []
    for name in shapes:
        fingers = hand.rotations(pipeline.lexicon.handshapes[name])
        for f, palm in held:
            rot = np.stack([f, palm, np.cross(f, palm)], axis=1) @ frame.matrix().T
            wrist = location_point(location, "R") - rot @ (palm_centre - frame.wrist)
            q = base.copy()
            for j, r in {**arm.solve(wrist, rot), **fingers}.items():
                q[j] = r
            out.append(q)
    return np.stack(out)


def build_bank(pipeline: Pipeline, shapes: list[str] | None = None, palm_steps: int = PALM_STEPS,
               progress: Callable[[str, int, int], None] | None = None,
               held: list[tuple[FloatArray, FloatArray]] | None = None,
               locations: tuple[str, ...] = LOCATIONS) -> HandBank:
    """Render and read every shape (default: the whole inventory) in every orientation at every place;
    `progress` hears ("drawn" or "read", poses done, poses in all). `held` replaces the bank's
    orientations, `locations` its places (tests read hands where the bank was not built)."""
    lexicon = pipeline.lexicon
    names, inventory = inventory_points(pipeline.avatar.skeleton, lexicon)
    shapes = list(names) if shapes is None else shapes
    held = orientations(palm_steps) if held is None else held
    per_place = len(shapes) * len(held)
    total = per_place * len(locations)
    parts = []
    for n, location in enumerate(locations):
        done = n * per_place

        def step(kind: str, i: int, _: int, done: int = done) -> None:
            if progress is not None:
                progress(kind, done + i, total)

        points = read_poses(pipeline, bank_poses(pipeline, shapes, held, location), step)
        parts.append((points, location_point(location, "R")))
    points = normalise(to_ours(np.concatenate([p for p, _ in parts])))
    seen = np.isfinite(points).all(axis=(1, 2))
    shape = np.tile(np.repeat([names.index(s) for s in shapes], len(held)), len(locations))
    fingers = np.tile(np.stack([f for f, _ in held]), (len(shapes) * len(locations), 1))
    palm = np.tile(np.stack([p for _, p in held]), (len(shapes) * len(locations), 1))
    place = np.repeat(np.stack([c for _, c in parts]), per_place, axis=0)
    return HandBank(names=names, shape=shape[seen], points=points[seen], fingers=fingers[seen], palm=palm[seen],
                    place=place[seen], fingerprint=hand_fingerprint(names, inventory),
                    model_bends=bend_angles(inventory))


def read_poses(pipeline: Pipeline, poses: FloatArray, progress: Callable[[str, int, int], None]) -> FloatArray:
    """(P, 21, 3) MediaPipe's right-hand landmarks (image axes, NaN where no hand was found) for each
    pose (P, J, 4), rendered into one clip, encoded, decoded and read by a fresh Holistic."""
    import mediapipe as mp  # heavy, only when a bank is built

    from signavatar.capture.holistic_video import decode_frames, landmark_points, native_stderr_silenced, probe
    from signavatar.frames_to_video.encode import encode_video

    skeleton = pipeline.avatar.skeleton
    renderer = pipeline.renderer(RenderOptions(width=SIZE, height=SIZE, fps=25, format="mp4"))

    def images() -> Iterator[UInt8Array]:
        for i, q in enumerate(poses):
            world_r, world_p = skeleton.forward(q[None].astype(np.float64))
            image = renderer.render(*pipeline.avatar.deform(world_r[0], world_p[0], None))
            progress("drawn", i + 1, len(poses))
            for _ in range(HOLD):
                yield image

    readings = []
    with tempfile.TemporaryDirectory(prefix="signavatar-bank-") as tmp:
        # through the product's encoder and back, as every clip a capture reads has been: compression
        # changes what MediaPipe sees (bent-B from the back: found in 16 instead of 23 of 24 frames)
        clip = Path(tmp) / "bank.mp4"
        encode_video(images(), clip, fps=25, width=SIZE, height=SIZE, fmt="mp4")
        info = probe(clip)
        with native_stderr_silenced():
            with mp.solutions.holistic.Holistic(static_image_mode=False, model_complexity=1, smooth_landmarks=False,
                                                refine_face_landmarks=False) as holistic:
                for i, image in enumerate(decode_frames(clip, info)):
                    result = holistic.process(np.ascontiguousarray(image))
                    if i % HOLD == HOLD - 1:
                        readings.append(landmark_points(result.right_hand_landmarks, 21, SIZE, SIZE))
                        progress("read", len(readings), len(poses))
    if len(readings) != len(poses):
        raise RuntimeError(f"the bank clip decoded to {len(readings) * HOLD} frames, {len(poses) * HOLD} were drawn")
    return np.stack(readings)
