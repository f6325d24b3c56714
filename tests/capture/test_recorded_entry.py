"""A captured track -> the schema-2 recorded entry: its shape, rounding, joints, and writing it."""

import json
from pathlib import Path

import numpy as np
import pytest

from signavatar.avatar.quaternions import quat_from_axis_angle
from signavatar.avatar.skeleton import JOINTS, SKELETON_ID
from signavatar.capture.recorded_entry import (
    EntryExistsError,
    arm_joints,
    check_gloss,
    recorded_entry,
    write_entry,
)
from signavatar.errors import InvalidInputError
from signavatar.types import PoseTrack

NAMES = tuple(n for n, _ in JOINTS)


def _track(t: int = 30, fps: float = 30.0, head_deg: float = 0.0) -> PoseTrack:
    rot = np.zeros((t, len(NAMES), 4))
    rot[..., 0] = 1.0
    angle = np.linspace(0.0, 1.2, t)
    rot[:, NAMES.index("lowerarm01.R")] = quat_from_axis_angle(np.array([1.0, 0.0, 0.0]), angle)
    rot[:, NAMES.index("head")] = quat_from_axis_angle(np.array([0.0, 1.0, 0.0]),
                                                       np.radians(np.linspace(0, head_deg, t)))
    rot[:, NAMES.index("wrist.R")] = -rot[:, NAMES.index("wrist.R")]  # same rotation, w < 0
    return PoseTrack(fps=fps, skeleton_id=SKELETON_ID, joint_names=NAMES, rotations=rot.astype(np.float32),
                     root=np.zeros((t, 3), np.float32), face=np.zeros((t, 1), np.float32), face_channels=("x",),
                     labels=tuple("" for _ in range(t)))


def test_one_handed_entry_shape() -> None:
    e = recorded_entry(_track(), ("R",), "TEST", "Recorded from t.mp4.", lemmas=("test",), mouthing="test")
    assert list(e) == ["schema", "gloss", "lemmas", "source", "reviewed", "description", "hands", "mouthing",
                       "recording"]
    assert (e["schema"], e["source"], e["reviewed"], e["hands"]) == (2, "recorded", False, "one")
    rec = e["recording"]
    assert rec["fps"] == 25.0 and rec["skeleton"] == SKELETON_ID  # 30 fps capped at 25, duration kept
    assert len(rec["frames"]) == 25
    assert rec["joints"] == list(arm_joints("R")) and rec["joints"][0] == "clavicle.R"
    assert rec["joints"][-1] == "finger5-3.R" and "head" not in rec["joints"]
    frames = np.array(rec["frames"])
    assert frames.shape == (25, 4 * len(rec["joints"]))
    assert np.allclose(frames, np.round(frames, 4))
    q = frames.reshape(25, -1, 4)
    assert np.allclose(np.linalg.norm(q, axis=2), 1.0, atol=1e-3) and (q[..., 0] >= 0).all()
    elbow = q[:, rec["joints"].index("lowerarm01.R")]
    assert np.isclose(2 * np.arccos(elbow[-1, 0]), 1.2 * 28.8 / 29, atol=1e-3)  # frame 24 of 25 fps = 28.8 of 30


def test_two_hands_and_a_moving_head_are_recorded() -> None:
    e = recorded_entry(_track(head_deg=20.0), ("L", "R"), "TEST-ZWEI", "d")
    joints = e["recording"]["joints"]
    assert e["hands"] == "two"
    assert joints == list(arm_joints("R")) + list(arm_joints("L")) + ["neck01", "neck02", "neck03", "head"]
    still = recorded_entry(_track(head_deg=3.0), ("R",), "TEST", "d")
    assert "head" not in still["recording"]["joints"]


@pytest.mark.parametrize("gloss", ["DANKE", "FS-ß", "FS-SCH", "NUM-10", "ÖFFNEN", "E-MAIL"])
def test_valid_glosses(gloss: str) -> None:
    assert check_gloss(gloss) == gloss


@pytest.mark.parametrize("gloss", ["danke", "STRAßE", "A--B", "-A", "A-", "", "A B", "../X", "X.json"])
def test_invalid_glosses(gloss: str) -> None:
    with pytest.raises(InvalidInputError):
        check_gloss(gloss)


def test_write_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "signs").mkdir()
    e = recorded_entry(_track(), ("R",), "FS-ß", "d")
    path = write_entry(e, tmp_path)
    assert path == tmp_path / "signs" / "FS-ß.json"
    assert json.loads(path.read_text(encoding="utf-8")) == e
    with pytest.raises(EntryExistsError):
        write_entry(e, tmp_path)
    write_entry({**e, "description": "again"}, tmp_path, force=True)
    assert json.loads(path.read_text(encoding="utf-8"))["description"] == "again"
    assert [p.name for p in (tmp_path / "signs").iterdir()] == ["FS-ß.json"]  # no temporary file left


def test_too_short_tracks_are_refused() -> None:
    with pytest.raises(InvalidInputError):
        recorded_entry(_track(t=1), ("R",), "TEST", "d")
