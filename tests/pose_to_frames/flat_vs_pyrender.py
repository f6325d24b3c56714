"""Renders one signing frame of the avatar three ways and prints their differences as JSON:
pyrender's own FLAT | SKIP_CULL_FACES path (the reference), our flat draw with nothing culled
(flat_mesh.FlatMeshTarget, every face "open"), and our flat draw as the renderer uses it (closed
surfaces culled, hair sheets from both sides). Run in a process of its own: pyrender's EGL teardown
ends the display every context of the process shares.

usage: python flat_vs_pyrender.py SIZE GLOSS
"""

from __future__ import annotations

import json
import sys

import numpy as np

from signavatar.avatar.rig import load_avatar
from signavatar.lexicon import load_lexicon
from signavatar.pose_to_frames.gl_platform import select_platform
from signavatar.pose_to_frames.renderer import Camera, OffscreenRenderer, shade
from signavatar.types import GlossSequence, GlossToken


def main() -> None:
    size, gloss = int(sys.argv[1]), sys.argv[2]
    select_platform("egl")
    import pyrender
    import trimesh

    from signavatar.gloss_to_pose.sequencer import Sequencer
    from signavatar.pose_to_frames.flat_mesh import FlatMeshTarget

    avatar = load_avatar()
    sk = avatar.skeleton
    track = Sequencer(sk, load_lexicon(), sk.skeleton_id).track(GlossSequence((GlossToken(gloss),)), fps=25)
    i = track.num_frames // 2
    world_r, world_p = sk.forward(track.rotations[i], track.root[i])
    positions, normals = avatar.deform(world_r, world_p, track.face[i])
    colors = shade(avatar.albedo, normals)
    bg = (236, 239, 243)

    ours = OffscreenRenderer(avatar, size, size, background=bg)
    culled = ours.render(positions, normals)
    all_open = FlatMeshTarget(
        "egl", size, size, avatar.faces, len(avatar.vertices), _view_projection(size),
        (bg[0] / 255, bg[1] / 255, bg[2] / 255, 1.0), alpha=False, open_faces=np.ones(len(avatar.faces), bool),
    )
    unculled = all_open.draw(positions, colors)
    all_open.close()
    ours.close()

    mesh = trimesh.Trimesh(positions, avatar.faces, process=False)
    mesh.visual.vertex_colors = np.round(np.clip(colors, 0, 1) * 255).astype(np.uint8)
    scene = pyrender.Scene(bg_color=[c / 255 for c in bg] + [1.0], ambient_light=[1.0, 1.0, 1.0])
    scene.add(pyrender.Mesh.from_trimesh(mesh, smooth=True))
    camera = Camera()
    pose = np.eye(4)
    pose[:3, 3] = np.asarray(camera.target) + np.array([0.0, 0.0, camera.distance])
    scene.add(pyrender.PerspectiveCamera(yfov=np.radians(camera.yfov_deg), aspectRatio=1.0, znear=0.05, zfar=6.0),
              pose=pose)
    offscreen = pyrender.OffscreenRenderer(size, size)
    flags = pyrender.RenderFlags.FLAT | pyrender.RenderFlags.SKIP_CULL_FACES
    reference, _ = offscreen.render(scene, flags=flags)
    reference = np.ascontiguousarray(reference[..., :3])
    offscreen.delete()

    out = {"avatar_fraction": float((np.abs(reference.astype(int) - bg).sum(axis=2) > 30).mean())}
    for name, frame in (("unculled", unculled), ("culled", culled)):
        diff = np.abs(frame.astype(int) - reference.astype(int)).max(axis=2)
        out[name] = {"max": int(diff.max()), "differing": float((diff > 0).mean()),
                     "over_2": float((diff > 2).mean())}
    print(json.dumps(out))


def _view_projection(size: int) -> np.ndarray:
    import pyrender

    camera = Camera()
    cam = pyrender.PerspectiveCamera(yfov=np.radians(camera.yfov_deg), aspectRatio=1.0, znear=0.05, zfar=6.0)
    pose = np.eye(4)
    pose[:3, 3] = np.asarray(camera.target) + np.array([0.0, 0.0, camera.distance])
    return np.asarray(cam.get_projection_matrix(size, size) @ np.linalg.inv(pose))


if __name__ == "__main__":
    main()
