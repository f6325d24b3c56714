"""The Khronos glTF validator (web/node_modules/gltf-validator, installed by scripts/setup.sh) run by
scripts/validate_gltf.mjs on the avatar and on motion files: no errors, only the expected warning."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pygltflib
import pytest

from signavatar.avatar.rig import Avatar
from signavatar.exports.gltf_avatar import avatar_glb
from signavatar.exports.gltf_motion import motion_glb
from signavatar.gloss_to_pose.sequencer import Sequencer
from signavatar.lexicon import Lexicon
from signavatar.text_to_gloss import parse_gloss_string
from signavatar.types import PoseTrack

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "validate_gltf.mjs"
#: none: the skinned mesh's node is a root node of the scene (NODE_SKINNED_MESH_NON_ROOT otherwise)
AVATAR_WARNINGS: set[str] = set()


def validate(path: Path) -> tuple[int, dict[str, Any]]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: run scripts/setup.sh (it installs nodejs and web/node_modules)")
    if not (REPO / "web" / "node_modules" / "gltf-validator").is_dir():
        pytest.fail("web/node_modules/gltf-validator is missing: run scripts/setup.sh (npm ci in web/)")
    done = subprocess.run([node, str(SCRIPT), str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return done.returncode, report


def codes(report: dict[str, Any], severity: int) -> set[str]:
    return {m["code"] for m in report["issues"]["messages"] if m["severity"] == severity}


def test_the_avatar_is_valid(avatar: Avatar, tmp_path: Path) -> None:
    path = tmp_path / "avatar.glb"
    path.write_bytes(avatar_glb(avatar))
    rc, report = validate(path)
    assert rc == 0 and report["issues"]["numErrors"] == 0, codes(report, 0)
    assert codes(report, 1) <= AVATAR_WARNINGS
    info = report["info"]
    assert info["animationCount"] == 0 and info["materialCount"] == 2 and info["hasSkins"] and info["hasMorphTargets"]


@pytest.mark.parametrize("glosses", ["TERMIN ICH BRAUCHEN", "fs-MEIER"])
def test_motion_files_are_valid(avatar: Avatar, lexicon: Lexicon, tmp_path: Path, glosses: str) -> None:
    sk = avatar.skeleton
    track = Sequencer(sk, lexicon, sk.skeleton_id).track(parse_gloss_string(glosses, lexicon), fps=25, speed=1.0)
    face = track.face.copy()
    face[:, 0] = np.linspace(0.0, 1.0, track.num_frames)  # a weights channel for sure
    path = tmp_path / "motion.glb"
    path.write_bytes(motion_glb(PoseTrack(**{**track.__dict__, "face": face}), avatar))
    rc, report = validate(path)
    assert rc == 0 and report["issues"]["numErrors"] == 0, codes(report, 0)
    assert codes(report, 1) == set()
    assert report["info"]["animationCount"] == 1


def test_the_validator_finds_a_broken_file(avatar: Avatar, lexicon: Lexicon, tmp_path: Path) -> None:
    """The check can fail: a motion file whose first key time is moved after the second."""
    sk = avatar.skeleton
    track = Sequencer(sk, lexicon, sk.skeleton_id).track(parse_gloss_string("ICH", lexicon), fps=25, speed=1.0)
    data = bytearray(motion_glb(track, avatar))
    gltf = pygltflib.GLTF2.load_from_bytes(bytes(data))
    acc = gltf.accessors[gltf.animations[0].samplers[0].input]
    blob_start = len(data) - len(gltf.binary_blob())
    at = blob_start + gltf.bufferViews[acc.bufferView].byteOffset + acc.byteOffset
    data[at : at + 4] = np.float32(99.0).tobytes()
    path = tmp_path / "broken.glb"
    path.write_bytes(bytes(data))
    rc, report = validate(path)
    assert rc == 1 and report["issues"]["numErrors"] > 0
