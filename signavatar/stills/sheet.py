"""A contact sheet of lexicon signs: each sign rendered once, at its most characteristic moment.

For one gloss the sequencer plans the same motion `signavatar render --glosses GLOSS` would (rest,
sign, rest); of the frames labelled with the gloss we draw the one where the hands are furthest
from their rest positions (summed wrist distance), which is where the sign's form is held. One
frame per sign, rendered wide at 2.5x the tile size, cropped to the sign's hands and downsampled
(smooth edges on small tiles).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from signavatar.avatar.skeleton import Skeleton
from signavatar.errors import InvalidInputError
from signavatar.pipeline_protocols import Drawing, Planning
from signavatar.pose_to_frames.contact_sheet import BAND_FRACTION, contact_sheet
from signavatar.pose_to_frames.renderer import Camera, OffscreenRenderer
from signavatar.typed import FloatArray, UInt8Array
from signavatar.types import GlossSequence, GlossToken, PoseTrack, RenderOptions

#: The sheet's wide view: every sign of the lexicon fits it (a hand waving beside the head, both
#: arms out); each tile is cropped from it, see _crop_box.
WIDE_CAMERA = Camera(target=(0.0, 0.52, 0.0), distance=2.7, yfov_deg=21.0)
#: Most signs fit this closer view (head top to hips): the crop is never smaller.
CLOSE_DISTANCE = 2.02
HEAD_TOP = (0.0, 0.88, 0.0)  # metres, a little above the avatar's head
RENDER_SCALE = 2.5  # wide render pixels per tile pixel: a typical crop is still ~1.9x the tile
MOVED = 0.05  # metres a wrist must leave its rest position for its hand to count in the framing
SHEET_FPS = 25
WRISTS = ("wrist.R", "wrist.L")


def characteristic_frame(track: PoseTrack, gloss: str, skeleton: Skeleton) -> int:
    """The frame labelled `gloss` whose wrists are furthest from where they are in frame 0 (rest)."""
    frames = [i for i, label in enumerate(track.labels) if label == gloss]
    if not frames:
        raise ValueError(f"the track has no frame labelled {gloss!r}")
    _, positions = skeleton.forward(track.rotations[[0, *frames]], track.root[[0, *frames]])  # (1+F, J, 3)
    wrists = [skeleton.index(name) for name in WRISTS]
    away = np.linalg.norm(positions[1:, wrists] - positions[:1, wrists], axis=-1).sum(axis=1)  # (F,)
    return frames[int(np.argmax(away))]


def sign_track(pipeline: Planning, gloss: str) -> PoseTrack:
    """The motion of one lexicon sign from rest to rest, as the renderer would get it."""
    seq = GlossSequence(tokens=(GlossToken(gloss=gloss, kind="lexicon"),))
    return pipeline.motion(seq, RenderOptions(fps=SHEET_FPS))


def _hand_joints(skeleton: Skeleton, side: str) -> list[int]:
    return [i for i, name in enumerate(skeleton.names)
            if name.endswith("." + side) and name.split(".")[0].startswith(("wrist", "metacarpal", "finger"))]


def _crop_box(points: FloatArray, wide: int) -> tuple[int, int, int]:
    """(left, top, side) of the square crop of a `wide` x `wide` render that shows the close view
    and every point (N, 2) in pixels with a margin, above the label band, centred on the body."""
    side = wide * CLOSE_DISTANCE / WIDE_CAMERA.distance
    margin = 0.035 * side
    centre = wide / 2.0
    top = min(centre - side / 2.0, float(points[:, 1].min()) - margin)
    side = max(
        side,
        2.0 * (float(np.abs(points[:, 0] - centre).max()) + margin),
        (float(points[:, 1].max()) + margin - top) / (1.0 - BAND_FRACTION),
    )
    side = min(side, float(wide))
    top = float(np.clip(top, 0.0, wide - side))
    return round(centre - side / 2.0), round(top), round(side)


def render_tiles(pipeline: Drawing, glosses: Sequence[str], size: int) -> list[tuple[str, UInt8Array]]:
    """(gloss, (size, size, 3) uint8 image) for each gloss, in order; InvalidInputError when the
    pipeline draws no avatar."""
    from PIL import Image

    avatar = pipeline.avatar
    if avatar is None:
        raise InvalidInputError("this pipeline draws no avatar: it has no still of a sign")
    skeleton = avatar.skeleton
    wide = round(size * RENDER_SCALE)
    hands = {side: _hand_joints(skeleton, side) for side in ("R", "L")}
    tiles: list[tuple[str, UInt8Array]] = []
    platform = pipeline.settings.gl_platform
    with OffscreenRenderer(avatar, wide, wide, platform=platform, camera=WIDE_CAMERA) as renderer:
        for gloss in glosses:
            track = sign_track(pipeline, gloss)
            i = characteristic_frame(track, gloss, skeleton)
            _, rest_p = skeleton.forward(track.rotations[0], track.root[0])
            world_r, world_p = skeleton.forward(track.rotations[i], track.root[i])
            framed = [np.asarray([HEAD_TOP])]
            for side, joints in hands.items():
                wrist = skeleton.index(f"wrist.{side}")
                if np.linalg.norm(world_p[wrist] - rest_p[wrist]) > MOVED:
                    framed.append(world_p[joints])
            left, top, side_px = _crop_box(WIDE_CAMERA.project(np.concatenate(framed), wide, wide), wide)
            positions, normals = avatar.deform(world_r, world_p, track.face[i])
            image = Image.fromarray(renderer.render(positions, normals))
            image = image.crop((left, top, left + side_px, top + side_px))
            image = image.resize((size, size), Image.Resampling.LANCZOS)
            tiles.append((gloss, np.asarray(image)))
    return tiles


def sign_sheet(pipeline: Drawing, glosses: Sequence[str], size: int = 160, columns: int = 10) -> UInt8Array:
    """The contact sheet (rows * size, cols * size, 3) uint8 RGB of `glosses`, `columns` per row."""
    if not 64 <= size <= 1024:
        raise InvalidInputError(f"the tile size must be 64 to 1024 pixels, got {size}")
    return contact_sheet(render_tiles(pipeline, glosses, size), columns)
