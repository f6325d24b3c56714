"""One lexicon sign as a short looping video for reviewers: the avatar from rest into the sign and
back to rest, as `signavatar render --glosses GLOSS` would plan it, drawn small and encoded as H.264.

A slowed clip is slowed motion, not repeated frames: the sequencer plans the sign at `speed` (its
keyframe times and transitions stretched by 1/speed) and the clip is sampled at the full frame rate.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from signavatar.errors import InvalidInputError
from signavatar.frames_to_video.encode import encode_video
from signavatar.pipeline_protocols import Drawing
from signavatar.pose_to_frames.renderer import Camera, OffscreenRenderer
from signavatar.typed import UInt8Array
from signavatar.types import GlossSequence, GlossToken, PoseTrack, RenderOptions

CLIP_SIZE = 288  # pixels, square
CLIP_FPS = 25
SPEED_RANGE = (0.5, 1.0)  # a reviewer slows a sign down; faster than it is signed helps nobody
#: head (with room for a hand beside it) to hips: the service's clip framing, a little further back
CLIP_CAMERA = Camera(target=(0.0, 0.47, 0.0), distance=2.5, yfov_deg=21.0)


def check_speed(speed: float) -> float:
    """`speed` rounded to 0.01; InvalidInputError outside SPEED_RANGE."""
    if not SPEED_RANGE[0] <= speed <= SPEED_RANGE[1]:
        raise InvalidInputError(f"speed must be between {SPEED_RANGE[0]} and {SPEED_RANGE[1]}; got {speed}")
    return round(speed, 2)


def sign_clip_track(pipeline: Drawing, gloss: str, speed: float) -> PoseTrack:
    """The sign's motion from rest to rest at `speed` (1.0: as signed in a sentence), CLIP_FPS."""
    seq = GlossSequence(tokens=(GlossToken(gloss=gloss, kind="lexicon"),))
    return pipeline.motion(seq, RenderOptions(fps=CLIP_FPS, speed=check_speed(speed), width=CLIP_SIZE,
                                              height=CLIP_SIZE))


def write_sign_clip(pipeline: Drawing, gloss: str, speed: float, path: Path) -> int:
    """Render the sign at `speed` into the MP4 `path` (published atomically); the frame count.
    InvalidInputError when the pipeline draws no avatar or the speed is out of range."""
    avatar = pipeline.avatar
    if avatar is None:
        raise InvalidInputError("this pipeline draws no avatar: it has no clip of a sign")
    track = sign_clip_track(pipeline, gloss, speed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with OffscreenRenderer(avatar, CLIP_SIZE, CLIP_SIZE, platform=pipeline.settings.gl_platform,
                           camera=CLIP_CAMERA) as renderer:
        def frames() -> Iterator[UInt8Array]:
            world_r, world_p = avatar.skeleton.forward(track.rotations, track.root)  # (T, J, 4), (T, J, 3)
            for i in range(track.num_frames):
                yield renderer.render(*avatar.deform(world_r[i], world_p[i], track.face[i]))

        return encode_video(frames(), path, fps=CLIP_FPS, width=CLIP_SIZE, height=CLIP_SIZE, fmt="mp4",
                            metadata={"title": f"{gloss} (speed {speed:g})"})
