"""Real headless OpenGL renders of the avatar (EGL in-process, OSMesa in a subprocess)."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from signavatar.avatar.rig import load_avatar
from signavatar.errors import RenderError
from signavatar.gloss_to_pose.poser import REST, Poser
from signavatar.lexicon import HandPose, load_lexicon
from signavatar.pose_to_frames.gl_platform import select_platform
from signavatar.pose_to_frames.renderer import Camera, OffscreenRenderer

ROOT = Path(__file__).resolve().parents[2]
BG = (236, 239, 243)


@pytest.fixture(scope="module")
def avatar():
    return load_avatar()


@pytest.fixture(scope="module")
def renderer(avatar):
    r = OffscreenRenderer(avatar, 128, 128, platform="egl", background=BG)
    yield r
    r.close()


def _frame(avatar, renderer, right=REST):
    sk = avatar.skeleton
    poser = Poser(sk, load_lexicon())
    q = sk.identity(1)[0]
    for side, pose in (("R", right), ("L", REST)):
        for j, rot in poser.pose(pose, side).items():
            q[j] = rot
    r, p = sk.forward(q)
    return renderer.render(*avatar.deform(r, p, None)), r, p


def test_frame_is_rgb_uint8_contiguous_and_shows_the_avatar(avatar, renderer) -> None:
    img, _, _ = _frame(avatar, renderer)
    assert img.shape == (128, 128, 3) and img.dtype == np.uint8 and img.flags["C_CONTIGUOUS"]
    figure = np.abs(img.astype(int) - BG).sum(axis=2) > 30
    assert 0.15 < figure.mean() < 0.7  # a sensible part of the frame, not empty, not all avatar
    # the corners are background
    assert not figure[:8, :8].any() and not figure[:8, -8:].any()


def test_raised_hand_appears_where_the_camera_projects_it(avatar, renderer) -> None:
    img, _, pos = _frame(avatar, renderer, HandPose("B", "neutral_high", (0.0, 0.0, 0.0), "forward", "up"))
    sk = avatar.skeleton
    palm = pos[sk.index("finger3-1.R")] * 0.6 + pos[sk.index("wrist.R")] * 0.4
    x, y = Camera().project(palm[None], 128, 128)[0].round().astype(int)
    patch = img[y - 2 : y + 3, x - 2 : x + 3].reshape(-1, 3).astype(int)
    # skin tone: red above green above blue, bright
    assert (patch[:, 0] > patch[:, 1]).all() and (patch[:, 1] > patch[:, 2]).all() and patch[:, 0].min() > 150


def test_pose_changes_change_the_frame(avatar, renderer) -> None:
    a, _, _ = _frame(avatar, renderer)
    b, _, _ = _frame(avatar, renderer, HandPose("A", "chin", (0.0, 0.0, 0.0), "back", "up"))
    assert np.abs(a.astype(int) - b.astype(int)).sum(axis=2).astype(bool).mean() > 0.02


def test_unknown_platform_is_a_clear_error() -> None:
    with pytest.raises(RenderError, match="egl, osmesa"):
        select_platform("vulkan")


def test_osmesa_fallback_renders_the_same_figure(avatar, renderer) -> None:
    code = (
        "import numpy as np, sys\n"
        "from signavatar.avatar.rig import load_avatar\n"
        "from signavatar.pose_to_frames.renderer import OffscreenRenderer\n"
        "a = load_avatar(); sk = a.skeleton\n"
        "r, p = sk.forward(sk.identity(1)[0])\n"
        "img = OffscreenRenderer(a, 128, 128, platform='osmesa', background=(236, 239, 243))"
        ".render(*a.deform(r, p, None))\n"
        "sys.stdout.buffer.write(img.tobytes())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, timeout=120, check=True)
    osmesa = np.frombuffer(out.stdout, dtype=np.uint8).reshape(128, 128, 3)
    sk = avatar.skeleton
    r, p = sk.forward(sk.identity(1)[0])
    egl = renderer.render(*avatar.deform(r, p, None))
    # same scene on two rasterisers: silhouettes agree, pixels within a tolerance
    diff = np.abs(osmesa.astype(int) - egl.astype(int)).sum(axis=2)
    assert (diff > 60).mean() < 0.03


def test_two_renderers_in_one_process_do_not_mix_their_frames(avatar) -> None:
    """Regression: vertex updates went into whichever GL context was current (off-by-one frames)."""
    sk = avatar.skeleton
    poser = Poser(sk, load_lexicon())

    def posed(pose):
        q = sk.identity(1)[0]
        for j, rot in poser.pose(pose, "R").items():
            q[j] = rot
        r, p = sk.forward(q)
        return avatar.deform(r, p, None)

    a, b = posed(REST), posed(HandPose("B", "neutral_high", (0.0, 0.0, 0.0), "forward", "up"))
    one = OffscreenRenderer(avatar, 64, 64)
    two = OffscreenRenderer(avatar, 64, 64)
    try:
        one.render(*a), two.render(*a)
        first = one.render(*b)
        second = two.render(*b)  # must show b, not the last pose written through the other context
        assert np.abs(first.astype(int) - second.astype(int)).max() <= 2
    finally:
        one.close()
        two.close()


@pytest.mark.parametrize("channel", ["brows_up", "brows_down", "mouth_open", "mouth_round", "eyes_closed"])
def test_face_channels_are_visible_at_512(avatar, channel) -> None:
    """Each non-manual face channel changes the face in a 512x512 frame by enough pixels to see."""
    from signavatar.avatar.face_channels import FACE_CHANNELS

    r = OffscreenRenderer(avatar, 512, 512)
    try:
        sk = avatar.skeleton
        rot, pos = sk.forward(sk.identity(1)[0])
        neutral = r.render(*avatar.deform(rot, pos, np.zeros(len(FACE_CHANNELS)))).astype(int)
        w = np.zeros(len(FACE_CHANNELS))
        w[FACE_CHANNELS.index(channel)] = 1.0
        moved = r.render(*avatar.deform(rot, pos, w)).astype(int)
    finally:
        r.close()
    changed = np.abs(moved - neutral).sum(axis=2) > 40
    assert changed.sum() > 40, f"{channel}: only {changed.sum()} pixels change"
    ys, _ = np.nonzero(changed)
    assert ys.max() < 200  # all in the face, the upper part of the frame
