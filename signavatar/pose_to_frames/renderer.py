"""One reusable offscreen renderer per process: pyrender, headless (EGL or OSMesa).

Speed (DESIGN.md): pyrender's lit PBR shader runs at ~24 fps on llvmpipe, its FLAT shader at ~80 fps.
So lighting is done per vertex on the CPU (Gouraud: smooth, a few ms of numpy) and the mesh is
drawn FLAT with the lit colours as vertex colours. The scene, the mesh and its GPU buffer are
built once; per frame only the vertex buffer's contents are replaced.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import numpy as np

from signavatar.avatar.rig import Avatar
from signavatar.errors import RenderError
from signavatar.pose_to_frames.gl_platform import select_platform


@dataclass(frozen=True)
class Camera:
    """A perspective camera looking along -Z at `target` from `distance` metres (the signing frame)."""

    target: tuple[float, float, float] = (0.0, 0.47, 0.0)
    distance: float = 2.4
    yfov_deg: float = 21.0

    def project(self, points: np.ndarray, width: int, height: int) -> np.ndarray:
        """Pixel coordinates (N, 2) as (x, y from the top) of world points (N, 3)."""
        eye = np.asarray(self.target) + np.array([0.0, 0.0, self.distance])
        rel = np.asarray(points, dtype=np.float64) - eye
        depth = -rel[:, 2]
        f = (height / 2.0) / np.tan(np.radians(self.yfov_deg) / 2.0)
        x = width / 2.0 + f * rel[:, 0] / depth
        y = height / 2.0 - f * rel[:, 1] / depth
        return np.stack([x, y], axis=1)


#: (direction toward the light, intensity): soft frontal key, fill from the other side, a top light.
LIGHTS: tuple[tuple[tuple[float, float, float], float], ...] = (
    ((0.35, 0.45, 1.0), 0.62),
    ((-0.6, 0.1, 0.8), 0.25),
    ((0.0, 1.0, 0.2), 0.12),
)
AMBIENT = 0.30

_LIVE: "set[OffscreenRenderer]" = set()  # renderers of this process not yet closed
_CLOSED: list = []  # pyrender renderers waiting for the last close (see OffscreenRenderer.close)


def shade(albedo: np.ndarray, normals: np.ndarray) -> np.ndarray:
    """Gouraud lighting: colours (V, 3) for albedo (V, 3) and unit normals (V, 3)."""
    light = np.full(len(normals), AMBIENT, dtype=np.float32)
    for direction, intensity in LIGHTS:
        d = np.asarray(direction, dtype=np.float32)
        d /= np.linalg.norm(d)
        light += intensity * np.clip(normals @ d, 0.0, None)
    # a gentle wrap keeps the shadow side from going black (reads as soft studio light)
    return np.clip(albedo * light[:, None], 0.0, 1.0)


class OffscreenRenderer:
    """Draws avatar frames. Build once per process and reuse for every frame and clip of one size."""

    def __init__(
        self,
        avatar: Avatar,
        width: int,
        height: int,
        *,
        platform: str = "egl",
        background: tuple[int, int, int] = (236, 239, 243),
        camera: Camera = Camera(),
    ) -> None:
        select_platform(platform)
        try:
            import pyrender  # imported here: the platform must be chosen first
        except ImportError as exc:  # pragma: no cover - dependency missing
            raise RenderError(f"pyrender is not installed: {exc}") from exc
        self._pyrender = pyrender
        self.avatar = avatar
        self.width = width
        self.height = height
        self._prim = pyrender.Primitive(
            positions=avatar.vertices.copy(),
            indices=avatar.faces,
            color_0=np.hstack([avatar.albedo, np.ones((len(avatar.albedo), 1), np.float32)]),
            material=pyrender.MetallicRoughnessMaterial(baseColorFactor=[1.0, 1.0, 1.0, 1.0], doubleSided=True),
            mode=pyrender.constants.GLTF.TRIANGLES,
        )
        self._mesh = pyrender.Mesh([self._prim])
        self._scene = pyrender.Scene(bg_color=[c / 255.0 for c in background] + [1.0], ambient_light=[1.0, 1.0, 1.0])
        self._scene.add(self._mesh)
        cam = pyrender.PerspectiveCamera(yfov=np.radians(camera.yfov_deg), aspectRatio=width / height, znear=0.05, zfar=6.0)
        pose = np.eye(4)
        pose[:3, 3] = np.asarray(camera.target) + np.array([0.0, 0.0, camera.distance])
        self._scene.add(cam, pose=pose)
        try:
            self._renderer = pyrender.OffscreenRenderer(width, height)
        except Exception as exc:  # pyrender raises bare exceptions from EGL/OSMesa
            raise RenderError(
                f"cannot create an offscreen OpenGL context with {platform!r} ({exc}); "
                "install libegl1 libegl-mesa0 libgl1-mesa-dri (EGL) or libosmesa6 and set SIGNAVATAR_GL_PLATFORM=osmesa"
            ) from exc
        self._uploaded = False
        self._closed = False
        _LIVE.add(self)
        self._flags = pyrender.RenderFlags.FLAT | pyrender.RenderFlags.SKIP_CULL_FACES

    def render(self, positions: np.ndarray, normals: np.ndarray) -> np.ndarray:
        """One frame (H, W, 3) uint8, C-contiguous, for skinned positions and normals (V, 3)."""
        colors = shade(self.avatar.albedo, normals)
        if not self._uploaded:
            # first frame: pyrender uploads the primitive's arrays when it first draws it
            self._prim.positions = positions.astype(np.float32)
            self._prim.color_0 = np.hstack([colors, np.ones((len(colors), 1), np.float32)]).astype(np.float32)
            self._uploaded = True
        else:
            self._write_vertex_buffer(positions, colors)
        color, _ = self._renderer.render(self._scene, flags=self._flags)
        return np.ascontiguousarray(color[:, :, :3])

    def _write_vertex_buffer(self, positions: np.ndarray, colors: np.ndarray) -> None:
        # pyrender has no public call to update a primitive's vertices in place; rebuilding the mesh
        # each frame costs ~3x the frame time, so we rewrite its interleaved buffer (xyz + rgba,
        # the layout Primitive._add_to_context creates when there are no normals or uvs).
        from OpenGL import GL

        # several renderers (GL contexts) may live in one process: write into ours, not into
        # whichever context the last render left current. pyrender has no public call for this.
        self._renderer._platform.make_current()
        data = np.empty((len(positions), 7), dtype=np.float32)
        data[:, :3] = positions
        data[:, 3:6] = colors
        data[:, 6] = 1.0
        buffer_id = self._prim._buffers[0]
        GL.glBindBuffer(GL.GL_ARRAY_BUFFER, buffer_id)
        GL.glBufferSubData(GL.GL_ARRAY_BUFFER, 0, data.nbytes, data)
        GL.glBindBuffer(GL.GL_ARRAY_BUFFER, 0)

    def close(self) -> None:
        """Release the GL context. pyrender's EGL teardown terminates the display that every
        context of the process shares, so contexts are torn down only when the last renderer of
        the process closes; until then a closed renderer just stops being used."""
        if self._closed:
            return
        self._closed = True
        _LIVE.discard(self)
        _CLOSED.append(self._renderer)
        if not _LIVE:
            while _CLOSED:
                # the first delete terminates the display all contexts share; the later ones then
                # fail with EGL_BAD_DISPLAY, harmlessly (their resources went with the display)
                with contextlib.suppress(Exception):
                    _CLOSED.pop().delete()

    def __enter__(self) -> "OffscreenRenderer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
