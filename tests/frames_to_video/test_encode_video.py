from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from signavatar.errors import EncodeError
from signavatar.frames_to_video.encode import encode_video
from signavatar.frames_to_video.poster import write_poster
from signavatar.frames_to_video.probe import probe_video

W, H = 64, 48


def moving_square(n: int, fail_at: int | None = None) -> Iterator[np.ndarray]:
    for i in range(n):
        if i == fail_at:
            raise RuntimeError("renderer died")
        frame = np.full((H, W, 3), 20, np.uint8)
        frame[10:26, i * 2 : i * 2 + 16] = (250, 30, 30)
        yield frame


@pytest.mark.parametrize(
    ("fmt", "codec", "pix_fmt"),
    [("mp4", "h264", "yuv420p"), ("webm", "vp9", "yuv420p"), ("gif", "gif", None)],
)
def test_encodes_real_video(tmp_path: Path, fmt: str, codec: str, pix_fmt: str | None) -> None:
    out = tmp_path / f"clip.{fmt}"
    n = encode_video(moving_square(15), out, fps=15, width=W, height=H, fmt=fmt, metadata={"comment": "draft"})
    assert n == 15
    info = probe_video(out)
    assert info["codec"] == codec
    if pix_fmt:
        assert info["pix_fmt"] == pix_fmt
    assert (info["width"], info["height"]) == (W, H)
    assert info["fps"] == pytest.approx(15, abs=0.5)
    assert info["nb_frames"] == 15
    assert info["duration"] == pytest.approx(1.0, abs=0.15)
    assert list(tmp_path.iterdir()) == [out]  # no temp file left behind


def test_mp4_carries_notice_and_faststart(tmp_path: Path) -> None:
    out = tmp_path / "clip.mp4"
    notice = "Machine-generated; [not] reviewed, 'quoted' = ok"
    encode_video(moving_square(5), out, fps=25, width=W, height=H, fmt="mp4", metadata={"comment": notice})
    assert probe_video(out)["tags"]["comment"] == notice
    data = out.read_bytes()
    assert data.find(b"moov") < data.find(b"mdat")  # +faststart: index before the media data


def test_failing_iterator_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "clip.mp4"
    with pytest.raises(RuntimeError, match="renderer died"):
        encode_video(moving_square(10, fail_at=5), out, fps=25, width=W, height=H, fmt="mp4")
    assert list(tmp_path.iterdir()) == []


def test_failure_keeps_older_file(tmp_path: Path) -> None:
    out = tmp_path / "clip.mp4"
    out.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        encode_video(moving_square(10, fail_at=3), out, fps=25, width=W, height=H, fmt="mp4")
    assert out.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [out]


def test_wrong_frame_shape_is_an_encode_error(tmp_path: Path) -> None:
    frames = [np.zeros((H, W, 3), np.uint8), np.zeros((H, W + 2, 3), np.uint8)]
    with pytest.raises(EncodeError, match="frame 1"):
        encode_video(frames, tmp_path / "x.mp4", fps=25, width=W, height=H, fmt="mp4")
    assert list(tmp_path.iterdir()) == []


def test_no_frames_is_an_encode_error(tmp_path: Path) -> None:
    with pytest.raises(EncodeError, match="no frames"):
        encode_video([], tmp_path / "x.mp4", fps=25, width=W, height=H, fmt="mp4")
    assert list(tmp_path.iterdir()) == []


def test_ffmpeg_error_reports_its_last_line(tmp_path: Path) -> None:
    # libx264 with yuv420p refuses odd sizes; ffmpeg's own message must come through.
    frames = [np.zeros((15, 15, 3), np.uint8)] * 3
    with pytest.raises(EncodeError, match="ffmpeg") as err:
        encode_video(frames, tmp_path / "x.mp4", fps=25, width=15, height=15, fmt="mp4")
    assert "divisible by 2" in str(err.value) or "ffmpeg" in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_missing_ffmpeg_is_an_encode_error(tmp_path: Path) -> None:
    with pytest.raises(EncodeError, match="not found"):
        encode_video(moving_square(2), tmp_path / "x.mp4", fps=25, width=W, height=H, fmt="mp4",
                     ffmpeg_bin="ffmpeg-does-not-exist")


def test_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(EncodeError, match="unknown video format"):
        encode_video(moving_square(2), tmp_path / "x.avi", fps=25, width=W, height=H, fmt="avi")


@pytest.mark.parametrize("suffix,codec", [(".png", "png"), (".jpg", "mjpeg")])
def test_poster(tmp_path: Path, suffix: str, codec: str) -> None:
    frame = next(moving_square(1))
    out = tmp_path / f"poster{suffix}"
    write_poster(frame, out)
    info = probe_video(out)
    assert info["codec"] == codec
    assert (info["width"], info["height"]) == (W, H)
