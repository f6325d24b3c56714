"""render_clip: the one function the HTTP app, the CLI and the batch runner share."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

import numpy as np

from signavatar.errors import InvalidInputError
from signavatar.frames_to_video.encode import encode_video
from signavatar.frames_to_video.poster import write_poster
from signavatar.frames_to_video.webvtt import cues_from_labels, write_webvtt
from signavatar.jobs.metadata import GENERATOR, NOTICE, build_metadata, clip_from_metadata
from signavatar.jobs.request import check_limits, clip_id, normalise_request
from signavatar.jobs.stage_timeout import stage_timeout
from signavatar.jobs.store import ClipStore
from signavatar.settings import Settings
from signavatar.types import Clip, ClipRequest, GlossSequence, PoseTrack, RenderOptions


class PipelineLike(Protocol):
    """What the shells need of signavatar.pipeline.Pipeline."""

    def translate(self, text: str) -> GlossSequence: ...
    def parse_glosses(self, glosses: str) -> GlossSequence: ...
    def motion(self, seq: GlossSequence, options: RenderOptions) -> PoseTrack: ...
    def frames(self, track: PoseTrack, options: RenderOptions) -> Iterator[np.ndarray]: ...
    def versions(self) -> dict[str, str]: ...


def gloss_request(request: ClipRequest, pipeline: PipelineLike, settings: Settings | None = None) -> GlossSequence:
    """The gloss sequence of a normalised request (translated text or parsed hand-written glosses)."""
    if request.text is not None:
        seq = pipeline.translate(request.text)
    else:
        seq = pipeline.parse_glosses(request.glosses or "")
    if not seq.tokens:
        raise InvalidInputError("nothing to sign: the text gave no glosses; check the spelling or write glosses")
    if settings is not None and len(seq.tokens) > settings.max_glosses:
        raise InvalidInputError(
            f"the text gives {len(seq.tokens)} signs; the limit is {settings.max_glosses}: split it into shorter parts"
        )
    return seq


class _MiddleFrame:
    """Passes frames through and keeps a copy of frame number `index` (or the last one) for the poster."""

    def __init__(self, frames: Iterable[np.ndarray], index: int) -> None:
        self._frames, self._index = frames, index
        self.frame: np.ndarray | None = None

    def __iter__(self) -> Iterator[np.ndarray]:
        last = None
        for i, frame in enumerate(self._frames):
            if i == self._index:
                self.frame = frame.copy()
            last = frame
            yield frame
        if self.frame is None and last is not None:
            self.frame = last.copy()


def render_files(
    request: ClipRequest, seq: GlossSequence, pipeline: PipelineLike, *, video: Path, subtitles: Path,
    poster: Path | None = None, settings: Settings | None = None, pose: Path | None = None,
) -> int:
    """Motion, frames, encode: write the video, its WebVTT (and a poster, and the motion as a .pose
    file); return the frame count."""
    options = request.options
    limit = settings.stage_timeout_s if settings is not None else None
    with stage_timeout("motion", limit):
        track = pipeline.motion(seq, options)
    if settings is not None and track.duration > settings.max_duration_s:
        raise InvalidInputError(
            f"the clip would last {track.duration:.0f} s; the limit is {settings.max_duration_s:.0f} s: "
            "shorten the text or raise the speed"
        )
    with stage_timeout("render", limit):
        return render_track_files(track, pipeline, options, video=video, subtitles=subtitles, poster=poster, pose=pose)


def render_track_files(
    track: PoseTrack, pipeline: PipelineLike, options: RenderOptions, *, video: Path, subtitles: Path,
    poster: Path | None = None, pose: Path | None = None,
) -> int:
    """Frames of a ready PoseTrack (from glosses or a recorded .pose) encoded, with WebVTT, poster
    and, when `pose` is given, the motion as a MediaPipe-Holistic .pose file of the render's size."""
    if pose is not None:  # first: cheap, and it fails before the render when it cannot be done
        write_motion_pose(track, pipeline, options, pose)
    tap = _MiddleFrame(pipeline.frames(track, options), track.num_frames // 2)
    count = encode_video(
        tap, video, fps=options.fps, width=options.width, height=options.height, fmt=options.format,
        metadata={"comment": NOTICE, "encoded_by": GENERATOR}, alpha=options.background is None,
    )
    write_webvtt(cues_from_labels(track.labels, track.fps), subtitles)
    if poster is not None and tap.frame is not None:
        write_poster(tap.frame, poster)
    return count


def write_motion_pose(track: PoseTrack, pipeline: PipelineLike, options: RenderOptions, path: Path) -> Path:
    """`track` as a .pose file for a virtual camera of the render's size (avatar/pose_export.py)."""
    from signavatar.avatar.pose_export import write_pose

    avatar = getattr(pipeline, "avatar", None)  # Pipeline has one; stand-ins for the shells may not
    if avatar is None:
        raise InvalidInputError("this pipeline has no avatar skeleton, so it cannot export a .pose file")
    return write_pose(track, avatar.skeleton, path, width=options.width, height=options.height)


def render_clip(
    request: ClipRequest, pipeline: PipelineLike, store: ClipStore, *, settings: Settings | None = None
) -> Clip:
    """The stored clip for `request`, rendering it first unless it is already complete."""
    request = normalise_request(request)
    if settings is not None:
        check_limits(request, settings)
    versions = pipeline.versions()
    cid = clip_id(request, versions)
    meta = store.read_metadata(cid)
    if meta is not None:
        return clip_from_metadata(meta, store.folder(cid))
    with stage_timeout("glosses", settings.stage_timeout_s if settings is not None else None):
        seq = gloss_request(request, pipeline, settings)
    paths = store.paths(cid, request.options.format)
    paths.folder.mkdir(parents=True, exist_ok=True)
    pose = paths.pose if request.options.pose else None
    count = render_files(
        request, seq, pipeline, video=paths.video, subtitles=paths.subtitles, poster=paths.poster, settings=settings,
        pose=pose,
    )
    files = {"video": paths.video.name, "subtitles": paths.subtitles.name, "poster": paths.poster.name}
    if pose is not None:
        files["pose"] = pose.name
    meta = build_metadata(clip_id=cid, request=request, seq=seq, versions=versions, frame_count=count, files=files)
    store.write_metadata(cid, meta)  # last: its presence marks the clip complete
    return clip_from_metadata(meta, paths.folder)
