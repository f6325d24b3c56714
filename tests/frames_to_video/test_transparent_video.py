"""Transparent output: avatar frames with alpha -> WebM (VP9, yuva420p) and an RGBA PNG poster."""

import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest

from signavatar.avatar.rig import load_avatar
from signavatar.errors import InvalidInputError
from signavatar.frames_to_video.encode import encode_video
from signavatar.frames_to_video.poster import png_bytes, write_poster
from signavatar.frames_to_video.probe import probe_video
from signavatar.pose_to_frames.renderer import OffscreenRenderer

W = H = 64


@pytest.fixture(scope="module")
def frames() -> list[np.ndarray]:
    avatar = load_avatar()
    sk = avatar.skeleton
    world_r, world_p = sk.forward(sk.identity(1)[0])
    with OffscreenRenderer(avatar, W, H, background=None) as renderer:
        frame = renderer.render(*avatar.deform(world_r, world_p, None))
    return [frame] * 6


def _decode_rgba(path: Path) -> np.ndarray:
    # ffmpeg's native vp9 decoder drops the alpha side channel; libvpx keeps it
    out = subprocess.run(
        ["ffmpeg", "-v", "error", "-c:v", "libvpx-vp9", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgba", "pipe:"],
        capture_output=True, check=True,
    ).stdout
    return np.frombuffer(out, np.uint8).reshape(-1, H, W, 4)


def test_transparent_webm_keeps_the_alpha_channel(frames: list[np.ndarray], tmp_path: Path) -> None:
    out = tmp_path / "clip.webm"
    assert encode_video(iter(frames), out, fps=10, width=W, height=H, fmt="webm", alpha=True) == 6
    info = probe_video(out)
    streams = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(out)], capture_output=True, text=True, check=True
    ).stdout
    assert info["pix_fmt"] == "yuva420p" or '"alpha_mode": "1"' in streams.replace("ALPHA_MODE", "alpha_mode")
    decoded = _decode_rgba(out)
    assert len(decoded) == 6
    alpha = decoded[3, ..., 3]
    assert frames[0][:4, :4, 3].max() == 0 and frames[0][-4:, -4:, 3].max() == 0
    assert alpha[:4, :4].max() <= 3 and alpha[-4:, -4:].max() <= 3  # corners transparent (VP9 is lossy)
    solid = frames[0][..., 3] == 255
    inner = solid & np.roll(solid, 2, 0) & np.roll(solid, -2, 0) & np.roll(solid, 2, 1) & np.roll(solid, -2, 1)
    assert inner.sum() > 100 and alpha[inner].min() >= 250  # the avatar is opaque (VP9 is lossy at edges)


def test_mp4_cannot_be_transparent(frames: list[np.ndarray], tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="webm"):
        encode_video(iter(frames), tmp_path / "clip.mp4", fps=10, width=W, height=H, fmt="mp4", alpha=True)
    assert list(tmp_path.iterdir()) == []


def test_rgba_png_poster(frames: list[np.ndarray], tmp_path: Path) -> None:
    data = png_bytes(frames[0])
    assert struct.unpack(">IIBB", data[16:26]) == (W, H, 8, 6)  # 8-bit RGBA
    start = data.index(b"IDAT") + 4
    size = struct.unpack(">I", data[start - 8 : start - 4])[0]
    rows = np.frombuffer(zlib.decompress(data[start : start + size]), np.uint8).reshape(H, 1 + W * 4)
    assert np.array_equal(rows[:, 1:].reshape(H, W, 4), frames[0])
    write_poster(frames[0], tmp_path / "poster.png")
    assert (tmp_path / "poster.png").read_bytes() == data
    with pytest.raises(InvalidInputError, match="png"):
        write_poster(frames[0], tmp_path / "poster.jpg")
