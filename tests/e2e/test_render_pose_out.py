"""`signavatar render ... --pose-out FILE.pose` through the installed console script."""

import subprocess
import sys
from pathlib import Path

import numpy as np
from pose_format import Pose

SCRIPT = Path(sys.executable).with_name("signavatar")


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_render_writes_the_motion_next_to_the_video(tmp_path: Path) -> None:
    done = _cli("render", "--glosses", "ICH TERMIN", "-o", "clip.mp4", "--size", "96x64", "--pose-out", "out/clip.pose",
                cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    pose = Pose.read((tmp_path / "out" / "clip.pose").read_bytes())
    assert [c.name for c in pose.header.components][:3] == [
        "POSE_LANDMARKS", "LEFT_HAND_LANDMARKS", "RIGHT_HAND_LANDMARKS"]
    assert (pose.header.dimensions.width, pose.header.dimensions.height) == (96, 64)
    assert pose.body.fps == 25 and pose.body.data.shape[1:] == (1, 108, 3) and pose.body.data.shape[0] > 25
    assert np.isfinite(pose.body.data.filled(0)).all()
    assert (tmp_path / "clip.mp4").stat().st_size > 0


def test_an_unwritable_pose_path_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    done = _cli("render", "--glosses", "ICH", "-o", "clip.mp4", "--size", "64x64", "--pose-out", "file/x.pose",
                cwd=tmp_path)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and done.stderr.startswith("signavatar: error:"), done.stderr
