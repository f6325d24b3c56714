"""render_clip: the one function the HTTP app, the CLI and the batch runner share."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from signavatar.errors import InvalidInputError
from signavatar.frames_to_video.encode import encode_video
from signavatar.frames_to_video.poster import write_poster, write_poster_variants
from signavatar.frames_to_video.webvtt import cues_from_labels, write_webvtt
from signavatar.jobs.metadata import GENERATOR, NOTICE, build_metadata, clip_from_metadata
from signavatar.jobs.plan import GlossPlan, plan_glosses
from signavatar.jobs.request import clip_id, prepare_request
from signavatar.jobs.stage_timeout import stage_timeout
from signavatar.jobs.store import ClipStore
from signavatar.pipeline_protocols import RenderPipeline
from signavatar.settings import Settings
from signavatar.typed import UInt8Array
from signavatar.types import Clip, ClipRequest, GlossSequence, PoseTrack, RenderOptions


class _MiddleFrame:
    """Passes (H, W, 3|4) uint8 frames through and keeps a copy of frame number `index` (or the
    last one) for the poster."""

    def __init__(self, frames: Iterable[UInt8Array], index: int) -> None:
        self._frames, self._index = frames, index
        self.frame: UInt8Array | None = None

    def __iter__(self) -> Iterator[UInt8Array]:
        last = None
        for i, frame in enumerate(self._frames):
            if i == self._index:
                self.frame = frame.copy()
            last = frame
            yield frame
        if self.frame is None and last is not None:
            self.frame = last.copy()


def render_files(
    request: ClipRequest, seq: GlossSequence, pipeline: RenderPipeline, *, video: Path, subtitles: Path,
    poster: Path | None = None, settings: Settings | None = None, pose: Path | None = None,
    motion: Path | None = None,
) -> int:
    """Motion, frames, encode the glosses of a planned request (jobs/plan.py, which checked its
    length): write the video, its WebVTT (and a poster, the motion as a .pose file, the motion as
    glTF); return the frame count."""
    options = request.options
    limit = settings.stage_timeout_s if settings is not None else None
    with stage_timeout("motion", limit):
        track = pipeline.motion(seq, options)
    with stage_timeout("render", limit):
        return render_track_files(
            track, pipeline, options, video=video, subtitles=subtitles, poster=poster, pose=pose, motion=motion
        )


def render_track_files(
    track: PoseTrack, pipeline: RenderPipeline, options: RenderOptions, *, video: Path, subtitles: Path,
    poster: Path | None = None, pose: Path | None = None, motion: Path | None = None,
) -> int:
    """Frames of a ready PoseTrack (from glosses or a recorded .pose) encoded, with WebVTT, poster
    and, when `pose` is given, the motion as a MediaPipe-Holistic .pose file of the render's size;
    when `motion` is given and the pipeline has an avatar, the motion as glTF (exports/gltf_motion.py)."""
    if pose is not None:  # first: cheap, and it fails before the render when it cannot be done
        write_motion_pose(track, pipeline, options, pose)
    if motion is not None and pipeline.avatar is not None:
        from signavatar.exports.gltf_motion import write_motion

        write_motion(track, pipeline.avatar, motion)
    tap = _MiddleFrame(pipeline.frames(track, options), track.num_frames // 2)
    count = encode_video(
        tap, video, fps=options.fps, width=options.width, height=options.height, fmt=options.format,
        metadata={"comment": NOTICE, "encoded_by": GENERATOR}, alpha=options.background is None,
    )
    write_webvtt(cues_from_labels(track.labels, track.fps), subtitles)
    if poster is not None and tap.frame is not None:
        write_poster(tap.frame, poster)
        if poster.suffix.lower() == ".png":  # the clip store's poster: its web copies beside it
            write_poster_variants(tap.frame, poster)
    return count


def write_motion_pose(track: PoseTrack, pipeline: RenderPipeline, options: RenderOptions, path: Path) -> Path:
    """`track` as a .pose file for a virtual camera of the render's size (exports/pose_file.py)."""
    from signavatar.exports.pose_file import write_pose

    skeleton = pipeline.skeleton
    if skeleton is None:
        raise InvalidInputError("this pipeline has no avatar skeleton, so it cannot export a .pose file")
    return write_pose(track, skeleton, path, width=options.width, height=options.height)


def render_clip(
    request: ClipRequest, pipeline: RenderPipeline, store: ClipStore, *, settings: Settings | None = None,
    plan: GlossPlan | None = None,
) -> Clip:
    """The stored clip for `request`, rendering it first unless it is already complete.

    `plan`: the request's glosses planned already (by the HTTP service, before it queued the job)
    with this pipeline's versions; else they are planned here. Limits: `settings` (default Settings())."""
    settings = settings if settings is not None else Settings()
    request = prepare_request(request, settings)
    versions = pipeline.versions()
    cid = clip_id(request, versions)
    meta = store.read_metadata(cid)
    if meta is not None:
        return clip_from_metadata(meta, store.folder(cid))
    if plan is None:
        with stage_timeout("glosses", settings.stage_timeout_s):
            plan = plan_glosses(request, pipeline, settings)
    seq = plan.sequence
    paths = store.paths(cid, request.options.format)
    paths.folder.mkdir(parents=True, exist_ok=True)
    pose = paths.pose if request.options.pose else None
    count = render_files(
        request, seq, pipeline, video=paths.video, subtitles=paths.subtitles, poster=paths.poster, settings=settings,
        pose=pose, motion=paths.motion,
    )
    files = {"video": paths.video.name, "subtitles": paths.subtitles.name, "poster": paths.poster.name,
             "poster_jpeg": paths.poster_jpeg.name, "poster_webp": paths.poster_webp.name}
    if pose is not None:
        files["pose"] = pose.name
    if pipeline.avatar is not None:  # render_files wrote it
        files["motion"] = paths.motion.name
    meta = build_metadata(clip_id=cid, request=request, seq=seq, versions=versions, frame_count=count, files=files)
    store.write_metadata(cid, meta)  # last: its presence marks the clip complete
    return clip_from_metadata(meta, paths.folder)
