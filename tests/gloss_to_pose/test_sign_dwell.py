"""Every sign's final form registers although signs end without a hold (sequencer.SIGN_HOLD = 0).

The sign's last move and the transition out of it both ease to zero speed at the sign's last key, so
arms and hands rest near that pose for a few frames. Checked over all Bürgeramt sentences, sampled
at 25 fps like the renders: for each sign, the frames around its end where every arm and hand joint
is within DWELL_TOLERANCE_DEG of the final pose must last at least MIN_DWELL_FRAMES.
"""

import sys
from pathlib import Path

import numpy as np
import pytest

from signavatar.avatar.quaternions import quat_angle, quat_conj, quat_from_axis_angle, quat_mul
from signavatar.pipeline import Pipeline
from signavatar.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "text_to_gloss"))
from buergeramt import buergeramt_texts  # noqa: E402

FPS = 25
DWELL_TOLERANCE_DEG = 5.0
MIN_DWELL_FRAMES = 2
# the clavicles and shoulder01 are the body's (body_motion.py: breathing, the shoulder lifting with a
# raised arm), not the sign's: the plan never poses them
ARM_PREFIXES = ("upperarm", "lowerarm", "wrist", "metacarpal", "finger")


def dwell_frames(rotations: np.ndarray, fps: float, time: float, pose: np.ndarray, joints: list[int],
                 tolerance_deg: float) -> int:
    """Consecutive frames around `time` whose `joints` are all within `tolerance_deg` of `pose`."""
    off = np.degrees(quat_angle(quat_mul(quat_conj(pose[None, joints]), rotations[:, joints]))).max(axis=1)
    near = off < tolerance_deg
    i = int(np.clip(round(time * fps), 0, len(near) - 1))
    if not near[i]:
        return 0
    a, b = i, i
    while a > 0 and near[a - 1]:
        a -= 1
    while b < len(near) - 1 and near[b + 1]:
        b += 1
    return b - a + 1


def test_dwell_counts_an_eased_stop_and_not_a_pass() -> None:
    """The measure itself: an eased stop at 90 degrees dwells, a constant-speed pass does not."""
    axis = np.array([0.0, 0.0, 1.0])
    s = np.linspace(0.0, 1.0, 11)
    eased = np.r_[90 * (10 * s**3 - 15 * s**4 + 6 * s**5), 90 + 90 * (10 * s[1:]**3 - 15 * s[1:]**4 + 6 * s[1:]**5)]
    linear = np.linspace(0.0, 180.0, len(eased))
    pose = quat_from_axis_angle(axis, np.radians(90.0))[None]  # (1 joint, 4)
    for angles, expect in ((eased, lambda n: n >= 3), (linear, lambda n: n <= 1)):
        rot = np.stack([quat_from_axis_angle(axis, np.radians(a)) for a in angles])[:, None]
        assert expect(dwell_frames(rot, FPS, 10 / FPS, pose, [0], DWELL_TOLERANCE_DEG))


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory) -> Pipeline:
    return Pipeline(Settings(data_dir=tmp_path_factory.mktemp("data")))


def test_every_sign_ends_in_a_visible_stop(pipeline) -> None:
    sequencer = pipeline.sequencer
    joints = [i for i, n in enumerate(sequencer.skeleton.names) if n.startswith(ARM_PREFIXES)]
    short, counted = [], 0
    for text in buergeramt_texts():
        seq = pipeline.translate(text)
        plan = sequencer.plan(seq, 1.0)
        rot = sequencer.track(seq, FPS, 1.0).rotations.astype(np.float64)
        for _, end, token in plan.spans:
            final = [k for k in plan.keys if abs(k.time - end) < 1e-9][-1].quats
            n = dwell_frames(rot, FPS, end, final, joints, DWELL_TOLERANCE_DEG)
            counted += 1
            if n < MIN_DWELL_FRAMES:
                short.append(f"{text!r}: {token.gloss} ends at {end:.2f} s, still for {n} frame(s)")
    assert counted > 300
    assert not short, "\n".join(short)
