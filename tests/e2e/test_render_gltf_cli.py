"""`signavatar render ... --motion FILE.glb` and `signavatar export-avatar -o FILE.glb` through the
installed console script: the two files load together (same node names), errors are one line."""

import subprocess
import sys
from pathlib import Path

import pygltflib
import pytest

SCRIPT = Path(sys.executable).with_name("signavatar")


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_render_with_motion_and_export_avatar(tmp_path: Path) -> None:
    done = _cli("render", "--glosses", "ICH", "-o", "clip.mp4", "--size", "64x64", "--motion", "out/clip.glb",
                cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    motion = pygltflib.GLTF2().load(str(tmp_path / "out" / "clip.glb"))
    assert (tmp_path / "clip.mp4").stat().st_size > 0
    exported = _cli("export-avatar", "-o", "avatar.glb", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "avatar.glb" in exported.stdout and "bytes" in exported.stdout
    avatar = pygltflib.GLTF2().load(str(tmp_path / "avatar.glb"))
    assert avatar.asset.extras["signavatar"]["avatar_version"] == motion.asset.extras["signavatar"]["avatar_version"]
    # the motion names only nodes of the avatar (those it moves): a player binds them by name
    assert {n.name for n in motion.nodes} <= {n.name for n in avatar.nodes}
    assert len(motion.nodes) > 20
    animated = {motion.nodes[c.target.node].name for c in motion.animations[0].channels}
    assert "upperarm01_R" in animated


@pytest.mark.parametrize("args,message", [
    (("export-avatar", "-o", "avatar.gltf"), "-o must name a .glb file"),
    (("export-avatar", "-o", "folder.glb"), "is a folder"),
    (("export-avatar", "-o", "file/avatar.glb"), "signavatar: error:"),
    (("render", "--glosses", "ICH", "-o", "c.mp4", "--motion", "m.json"), "--motion must name a .glb file"),
])
def test_bad_output_paths_are_one_line_errors(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    (tmp_path / "folder.glb").mkdir()
    (tmp_path / "file").write_text("not a folder")
    done = _cli(*args, cwd=tmp_path)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and done.stderr.startswith("signavatar: error:"), done.stderr
    assert message in done.stderr
