"""`signavatar export-avatar -o avatar.glb`: the avatar as binary glTF for a 3D player (exports/gltf_avatar.py)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from signavatar.errors import InvalidInputError
from signavatar.settings import Settings

if TYPE_CHECKING:
    from signavatar.pipeline_protocols import Drawing


def add_export_avatar_parser(sub: Any) -> None:
    e = sub.add_parser(
        "export-avatar", help="write the avatar as glTF (.glb)",
        description="Write the avatar (skinned mesh, skeleton, face morph targets) as a binary glTF file, "
                    "the file the 3D player loads; clips' motion.glb files animate it.",
    )
    e.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.glb", help="the .glb file to write")


def cmd_export_avatar(args: argparse.Namespace, settings: Settings, factory: Callable[[Settings], Drawing]) -> int:
    out = check_glb_path(args.output, "-o")
    avatar = factory(settings).avatar
    if avatar is None:
        raise InvalidInputError("this pipeline draws no avatar: there is nothing to export")
    from signavatar.exports.gltf_avatar import avatar_glb  # pygltflib: only for this command
    from signavatar.frames_to_video.atomic import write_bytes_atomic

    data = avatar_glb(avatar)
    write_bytes_atomic(out, data)
    print(f"{out} ({len(data)} bytes, avatar version {avatar.version})")
    return 0


def check_glb_path(path: Path, option: str) -> Path:
    """A path to write a .glb to: the suffix .glb, not a folder (InvalidInputError, one line)."""
    if path.suffix.lower() != ".glb":
        raise InvalidInputError(f"{option} must name a .glb file, got {str(path)!r}")
    if path.is_dir():
        raise InvalidInputError(f"{option} {str(path)!r} is a folder; give a file name ending in .glb")
    return path
