"""capture/recording_probe.py on real files made by ffmpeg: MP4, MOV and WebM pass (a WebM written to
a pipe, as browsers record it, has no duration in its header and is timed by its packets); too big,
too long, too short, too small a picture, a still image and a non-video are refused, saying what to change."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from signavatar.capture.recording_probe import RecordingLimits, RecordingRefused, probe_recording

LIMITS = RecordingLimits(max_bytes=5 * 1024 * 1024, max_seconds=10.0)


def make(path: Path, seconds: float, *codec: str, size: str = "320x240", to_pipe: bool = False) -> Path:
    cmd = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc=duration={seconds}:size={size}:rate=25",
           *codec]
    if to_pipe:  # not seekable: the muxer cannot go back to write the duration
        with open(path, "wb") as out:
            subprocess.run([*cmd, "-f", "webm", "pipe:1"], stdout=out, check=True, timeout=120)
    else:
        subprocess.run([*cmd, str(path)], check=True, timeout=120)
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("probe")


def test_mp4_mov_and_webm_from_a_browser_pass(folder: Path) -> None:
    mp4 = probe_recording(make(folder / "a.mp4", 3, "-c:v", "libx264", "-pix_fmt", "yuv420p"), LIMITS)
    assert (mp4.container, mp4.codec, mp4.width, mp4.height) == ("MP4/MOV", "h264", 320, 240)
    assert mp4.duration == pytest.approx(3.0, abs=0.1) and mp4.fps == pytest.approx(25.0)
    mov = probe_recording(make(folder / "a.mov", 2, "-c:v", "libx264", "-pix_fmt", "yuv420p"), LIMITS)
    assert mov.container == "MP4/MOV"
    webm = folder / "browser.webm"  # the name says nothing: the content is probed
    make(webm, 2, "-c:v", "libvpx", "-b:v", "200k", to_pipe=True)
    header = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                             str(webm)], capture_output=True, text=True, check=True).stdout.strip()
    assert header in ("", "N/A")  # what MediaRecorder's files look like
    info = probe_recording(webm, LIMITS)
    assert (info.container, info.codec) == ("WebM", "vp8") and info.duration == pytest.approx(2.0, abs=0.1)


@pytest.mark.parametrize(("case", "status", "says"), [
    ("too long", 400, "lasts 12.0 s; the limit is 10 s"),
    ("too short", 400, "record the whole sign"),
    ("tiny picture", 400, "sides from 200 to 1920 pixels"),
    ("still image", 415, "send an MP4, WebM or MOV"),
    ("text", 415, "send an MP4, WebM or MOV"),
    ("gif", 415, "send an MP4, WebM or MOV"),
    ("too big", 413, "send a shorter or smaller video"),
    ("empty", 400, "empty"),
])
def test_what_is_refused_says_what_to_change(folder: Path, case: str, status: int, says: str) -> None:
    h264 = ("-c:v", "libx264", "-pix_fmt", "yuv420p")
    path, limits = folder / f"{case}.mp4", LIMITS
    if case == "too long":
        make(path, 12, *h264)
    elif case == "too short":
        make(path, 0.2, *h264)
    elif case == "tiny picture":
        make(path, 1, *h264, size="160x120")
    elif case == "still image":
        make(path, 1, "-frames:v", "1", "-f", "image2", "-c:v", "png")
    elif case == "text":
        path.write_text("not a video at all\n" * 100)
    elif case == "gif":
        make(path, 1, "-f", "gif")
    elif case == "too big":
        make(path, 2, *h264)
        limits = RecordingLimits(max_bytes=path.stat().st_size - 1, max_seconds=10.0)
    elif case == "empty":
        path.write_bytes(b"")
    with pytest.raises(RecordingRefused) as exc:
        probe_recording(path, limits)
    assert exc.value.status == status and says in str(exc.value), str(exc.value)
