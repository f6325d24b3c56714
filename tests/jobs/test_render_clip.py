import json
from pathlib import Path

import pytest

from signavatar.errors import InvalidInputError, UnknownGlossError
from signavatar.frames_to_video.probe import probe_video
from signavatar.jobs.metadata import NOTICE
from signavatar.jobs.render import render_clip
from signavatar.jobs.store import ClipStore
from signavatar.settings import Settings
from signavatar.types import ClipRequest, RenderOptions

SMALL = RenderOptions(width=64, height=48, fps=10)


def test_render_clip_writes_everything_and_caches(tmp_path: Path, fake_pipeline) -> None:
    store = ClipStore(tmp_path)
    clip = render_clip(ClipRequest(text="Ich brauche  Termin", options=SMALL), fake_pipeline, store)
    assert clip.sequence.glosses() == ["ICH", "BRAUCHE", "TERMIN"]
    assert clip.frame_count == 18 and clip.duration == pytest.approx(1.8)
    assert clip.machine_generated and clip.review_state == "draft"
    info = probe_video(Path(clip.video_path))
    assert (info["codec"], info["pix_fmt"], info["nb_frames"]) == ("h264", "yuv420p", 18)
    assert info["tags"]["comment"] == NOTICE
    vtt = Path(clip.subtitles_path).read_text()
    assert vtt.startswith("WEBVTT") and "00:00:00.000 --> 00:00:00.500\nICH" in vtt
    assert probe_video(Path(clip.poster_path))["width"] == 64
    meta = json.loads(Path(clip.metadata_path).read_text())
    assert meta["machine_generated"] is True and meta["review_state"] == "draft" and meta["notice"] == NOTICE
    assert meta["generator"].startswith("signavatar ")
    assert meta["glosses"][0] == {"gloss": "ICH", "words": ["Ich"], "kind": "lexicon", "nonmanual": []}
    assert meta["source_text"] == "Ich brauche Termin" and meta["request"]["text"] == "Ich brauche Termin"
    assert meta["versions"] == fake_pipeline.versions() and meta["frame_count"] == 18
    assert meta["created"].endswith("+00:00")

    again = render_clip(ClipRequest(text="Ich brauche Termin", options=SMALL), fake_pipeline, store)
    assert again == clip and fake_pipeline.renders == 1


def test_glosses_and_formats(tmp_path: Path, fake_pipeline) -> None:
    store = ClipStore(tmp_path)
    for fmt in ("webm", "gif"):
        opts = RenderOptions(width=64, height=48, fps=10, format=fmt)
        clip = render_clip(ClipRequest(glosses="TERMIN ICH BRAUCHEN", options=opts), fake_pipeline, store)
        assert clip.video_path.endswith(f"video.{fmt}")
        assert probe_video(Path(clip.video_path))["nb_frames"] == 18


def test_failures_leave_no_complete_clip(tmp_path: Path, fake_pipeline) -> None:
    store = ClipStore(tmp_path)
    with pytest.raises(RuntimeError, match="midway"):
        render_clip(ClipRequest(glosses="HALLO FAIL", options=SMALL), fake_pipeline, store)
    with pytest.raises(UnknownGlossError):
        render_clip(ClipRequest(glosses="hallo", options=SMALL), fake_pipeline, store)
    files = [p.name for p in tmp_path.rglob("*") if p.is_file()]
    assert files == []


def test_limits_after_translation(tmp_path: Path, fake_pipeline) -> None:
    settings = Settings(max_glosses=2, max_duration_s=1.0)
    store = ClipStore(tmp_path)
    with pytest.raises(InvalidInputError, match="limit is 2"):
        render_clip(ClipRequest(text="eins zwei drei", options=SMALL), fake_pipeline, store, settings=settings)
    with pytest.raises(InvalidInputError, match="would last"):
        render_clip(ClipRequest(text="eins zwei", options=SMALL), fake_pipeline, store, settings=settings)


def test_a_stage_past_its_time_limit_fails_naming_the_stage_and_leaves_no_ffmpeg(tmp_path: Path,
                                                                               fake_pipeline) -> None:
    from signavatar.jobs.stage_timeout import StageTimeout

    store = ClipStore(tmp_path)
    settings = Settings(data_dir=tmp_path, stage_timeout_s=0.5)
    request = ClipRequest(glosses="SLOW SLOW SLOW", options=SMALL)  # 0.1 s per frame, ~3 s of frames
    with pytest.raises(StageTimeout, match="render stage took longer than 0.5 s"):
        render_clip(request, fake_pipeline, store, settings=settings)
    assert not list(tmp_path.rglob("video.*")) and not list(tmp_path.rglob("clip.json")), "nothing served"
    ffmpeg = [p for p in Path("/proc").iterdir() if p.name.isdigit() and _cmd(p).startswith("ffmpeg")]
    assert not [p for p in ffmpeg if _parent(p) == __import__("os").getpid()], "ffmpeg was killed"


def _cmd(proc: Path) -> str:
    try:
        return Path(proc, "cmdline").read_bytes().split(b"\0")[0].decode(errors="replace").rsplit("/", 1)[-1]
    except OSError:
        return ""


def _parent(proc: Path) -> int:
    try:
        return int(Path(proc, "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1
