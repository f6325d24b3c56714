"""A MediaPipe-Holistic `.pose` recording as a motion of our avatar (`signavatar render --pose`)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from signavatar.avatar.skeleton import Skeleton
from signavatar.capture.pose_file import read_holistic
from signavatar.capture.retarget import Retargeter
from signavatar.gloss_to_pose.resample import resample_track
from signavatar.lexicon import Lexicon
from signavatar.types import PoseTrack


def recorded_motion(skeleton: Skeleton, lexicon: Lexicon, path: Path, fps: float) -> PoseTrack:
    """The recording at `path` retargeted onto `skeleton`, at `fps`, every frame labelled with the
    file's name (its subtitle)."""
    track = Retargeter(skeleton, lexicon).track(read_holistic(path), skeleton.skeleton_id)
    track = resample_track(track, fps)
    return replace(track, labels=tuple(path.stem for _ in track.labels))
