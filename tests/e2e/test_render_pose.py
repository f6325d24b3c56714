"""`signavatar render --pose FILE.pose`: a real DGS recording retargeted and rendered."""

import subprocess
import sys
from pathlib import Path

import numpy as np

from signavatar.capture.alphabet import alphabet_recordings
from signavatar.frames_to_video.probe import probe_video
from signavatar.gloss_to_pose.resample import resample_track
from signavatar.types import PoseTrack

REPO = Path(__file__).resolve().parents[2]


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "signavatar.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=180)


def test_render_a_recorded_letter(tmp_path: Path) -> None:
    done = _cli("render", "--pose", str(alphabet_recordings()["V"]), "-o", "v.mp4", "--size", "128x128", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    info = probe_video(tmp_path / "v.mp4")
    assert info["codec"] == "h264" and abs(info["fps"] - 25) < 1e-6 and info["nb_frames"] >= 10
    assert (tmp_path / "v.vtt").read_text(encoding="utf-8").startswith("WEBVTT")


def test_pose_option_errors_are_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "junk.pose"
    junk.write_bytes(b"not a pose file")
    for args in (["--pose", str(junk)], ["Hallo", "--pose", str(junk)], ["--pose", str(tmp_path / "none.pose")]):
        done = _cli("render", *args, "-o", "x.mp4", cwd=tmp_path)
        assert done.returncode != 0 and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_resampling_keeps_duration_and_unit_quaternions() -> None:
    t = 31
    angles = np.linspace(0, np.pi / 2, t)
    rot = np.zeros((t, 2, 4))
    rot[:, :, 0] = np.cos(angles / 2)[:, None]
    rot[:, :, 3] = np.sin(angles / 2)[:, None]
    track = PoseTrack(fps=30.0, skeleton_id="x", joint_names=("a", "b"), rotations=rot.astype(np.float32),
                      root=np.zeros((t, 3), np.float32), face=np.zeros((t, 1), np.float32), face_channels=("c",),
                      labels=tuple("" for _ in range(t)))
    out = resample_track(track, 25.0)
    assert out.num_frames == 26 and abs(out.duration - track.duration) < 0.05
    assert np.allclose(np.linalg.norm(out.rotations, axis=2), 1.0, atol=1e-5)
    # constant angular speed survives resampling
    assert np.isclose(2 * np.arcsin(out.rotations[13, 0, 3]), np.pi / 2 * 13 / 25, atol=1e-3)  # t = 0.52 s of 1 s
