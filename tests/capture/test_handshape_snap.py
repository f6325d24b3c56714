"""Captured hands snap to the nearest inventory handshape, and only when they are near one."""

from __future__ import annotations

import numpy as np
import pytest

from signavatar.avatar.quaternions import quat_from_axis_angle, quat_mul
from signavatar.avatar.skeleton import FINGERS, finger_joints
from signavatar.capture.handshape_snap import snap_handshapes
from signavatar.gloss_to_pose.hand_model import HandModel
from signavatar.pipeline import Pipeline
from signavatar.settings import Settings
from signavatar.types import GlossSequence, GlossToken, RenderOptions


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    return Pipeline(Settings(data_dir=tmp_path_factory.mktemp("data")))


def _track_with_shape(pipeline: Pipeline, shape: str, noise_deg: float, seed: int = 0):
    """A short real track whose right fingers hold `shape`, each finger joint turned by noise."""
    track = pipeline.motion(GlossSequence(tokens=(GlossToken("ICH"),)), RenderOptions(width=64, height=64))
    skeleton = pipeline.avatar.skeleton
    model = HandModel(skeleton, "R")
    target = model.rotations(pipeline.lexicon.handshapes[shape])
    rng = np.random.default_rng(seed)
    rot = track.rotations.astype(np.float64).copy()
    joints = [skeleton.index(n) for f in FINGERS for n in finger_joints("R", f)]
    for j in joints:
        axis = rng.normal(size=3)
        wobble = quat_from_axis_angle(axis / np.linalg.norm(axis), np.radians(noise_deg))
        rot[:, j] = quat_mul(target[j], wobble)
    return track.__class__(**{**track.__dict__, "rotations": rot.astype(np.float32)}), joints, target


def test_a_noisy_reading_of_a_shape_snaps_back_to_it(pipeline: Pipeline) -> None:
    track, joints, target = _track_with_shape(pipeline, "V", noise_deg=12.0)
    snapped = snap_handshapes(track, pipeline.avatar.skeleton, pipeline.lexicon, ("R",))
    assert set(snapped.shapes["R"]) == {"V"}
    assert np.allclose(snapped.track.rotations[:, joints], np.stack([target[j] for j in joints]), atol=1e-5)


def test_a_hand_far_from_every_shape_keeps_its_fingers(pipeline: Pipeline) -> None:
    track, joints, _ = _track_with_shape(pipeline, "V", noise_deg=80.0, seed=1)
    snapped = snap_handshapes(track, pipeline.avatar.skeleton, pipeline.lexicon, ("R",), max_deg=10.0)
    assert set(snapped.shapes["R"]) == {""}
    assert np.allclose(snapped.track.rotations[:, joints], track.rotations[:, joints])


def test_only_the_active_sides_are_snapped(pipeline: Pipeline) -> None:
    track, _, _ = _track_with_shape(pipeline, "B", noise_deg=5.0)
    snapped = snap_handshapes(track, pipeline.avatar.skeleton, pipeline.lexicon, ("R",))
    left = [pipeline.avatar.skeleton.index(n) for f in FINGERS for n in finger_joints("L", f)]
    assert "L" not in snapped.shapes
    assert np.array_equal(snapped.track.rotations[:, left], track.rotations[:, left])
