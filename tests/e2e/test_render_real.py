"""Acceptance of the foundation issue through the installed console script and the real pipeline."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from signavatar.frames_to_video.probe import probe_video
from signavatar.pipeline import Pipeline
from signavatar.pose_to_frames.renderer import Camera
from signavatar.settings import Settings
from signavatar.types import RenderOptions

REPO = Path(__file__).resolve().parents[2]
SENTENCE = "Ich brauche einen neuen Personalausweis."
SIZE = 256


def signavatar(*args: str, cwd: Path, stdin: str | None = None,
               timeout: float = 180) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("signavatar", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "signavatar.cli"]
    env = {**os.environ, "SIGNAVATAR_DATA_DIR": str(cwd / "var")}
    return subprocess.run(
        [*cmd, *args], cwd=cwd, input=stdin, capture_output=True, text=True, timeout=timeout, env=env
    )


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("render")
    done = signavatar("render", SENTENCE, "-o", "clip.mp4", "--size", f"{SIZE}x{SIZE}", "--fps", "25", cwd=out)
    assert done.returncode == 0, done.stderr
    return out / "clip.mp4"


def _decode(path: Path) -> np.ndarray:
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.uint8).reshape(-1, SIZE, SIZE, 3)


def test_clip_is_h264_yuv420p_at_the_requested_fps_and_long_enough(clip: Path) -> None:
    info = probe_video(clip)
    assert info["codec"] == "h264" and info["pix_fmt"] == "yuv420p"
    assert abs(info["fps"] - 25) < 1e-6
    assert info["duration"] >= 1.5
    assert info["width"] == SIZE and info["height"] == SIZE


def test_subtitles_name_the_glosses_in_order(clip: Path) -> None:
    vtt = clip.with_suffix(".vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT")
    cues = [line for line in vtt.splitlines()[1:] if line.isupper() and "-->" not in line]
    assert cues == ["ICH", "NEU", "PERSONALAUSWEIS", "BRAUCHEN"]


def test_frames_change_over_time(clip: Path) -> None:
    frames = _decode(clip).astype(np.int16)
    change = np.abs(np.diff(frames, axis=0)).mean(axis=(1, 2, 3))
    assert (change > 0.5).sum() > len(frames) // 3  # the hands move in most of the clip
    assert np.abs(frames[len(frames) // 2] - frames[0]).mean() > 2.0


def test_both_hands_are_visible_in_the_signing_space(clip: Path) -> None:
    """Project the hands of the same (deterministic) motion into the image and look at the pixels
    of the encoded video there: skin tone, inside the frame, above the waist."""
    pipeline = Pipeline(Settings())
    opts = RenderOptions(width=SIZE, height=SIZE, fps=25)
    track = pipeline.motion(pipeline.translate(SENTENCE), opts)
    sk = pipeline.avatar.skeleton
    _, pos = sk.forward(track.rotations, track.root)
    frames = _decode(clip)
    assert len(frames) == track.num_frames
    waist_y = sk.rest[sk.index("spine03"), 1]
    both = 0
    for i in range(track.num_frames):
        seen = 0
        for side in ("R", "L"):
            palm = 0.5 * pos[i, sk.index(f"wrist.{side}")] + 0.5 * pos[i, sk.index(f"finger3-1.{side}")]
            if palm[1] < waist_y + 0.1:
                continue  # resting hands are not in the signing space
            x, y = Camera().project(palm[None], SIZE, SIZE)[0].round().astype(int)
            if not (3 <= x < SIZE - 3 and 3 <= y < SIZE - 3):
                continue
            patch = frames[i, y - 2 : y + 3, x - 2 : x + 3].reshape(-1, 3).astype(int)
            skin = (patch[:, 0] > 140) & (patch[:, 0] > patch[:, 2] + 30)
            seen += int(skin.mean() > 0.6)
        both += seen == 2
    assert both >= 3  # PERSONALAUSWEIS is two-handed


def test_metadata_says_machine_generated_draft(tmp_path: Path) -> None:
    done = signavatar("render", "--glosses", "TERMIN fs-AB", "-o", "c.webm", "--size", "128x128", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    info = probe_video(tmp_path / "c.webm")
    assert info["codec"] == "vp9"
    tags = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format_tags", "-of", "json", str(tmp_path / "c.webm")],
        capture_output=True, text=True, check=True,
    ).stdout
    assert "Machine-generated" in json.dumps(json.loads(tags))


def _cues(vtt: str) -> list[tuple[float, float, str]]:
    """(start s, end s, text) of every cue of a WebVTT file."""
    def seconds(stamp: str) -> float:
        h, m, s = stamp.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    blocks = [b.splitlines() for b in vtt.split("\n\n")[1:] if b.strip()]
    return [(seconds(b[1].split(" --> ")[0]), seconds(b[1].split(" --> ")[1]), b[2]) for b in blocks]


def test_captions_show_a_spelled_word_letter_by_letter_over_its_span(tmp_path: Path) -> None:
    """Viewers read M-E-I-E-R, not the gloss notation fs-MEIER, and each cue covers its token's span in
    the motion plan: from at most a transition before the sign's first pose to at most one after its end,
    never into the neighbouring signs."""
    glosses = "TERMIN fs-SCHULZE KOMMEN"
    done = signavatar("render", "--glosses", glosses, "-o", "c.mp4", "--size", "96x96", "--fps", "25", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    vtt = (tmp_path / "c.vtt").read_text(encoding="utf-8")
    assert "fs-" not in vtt
    cues = _cues(vtt)
    assert [text for _, _, text in cues] == ["TERMIN", "SCH-U-L-Z-E", "KOMMEN"]
    pipeline = Pipeline(Settings())
    plan = pipeline.sequencer.plan(pipeline.parse_glosses(glosses), speed=1.0)
    frame = 1 / 25
    spans = [(start, end) for start, end, _ in plan.spans]
    for n, ((cue_start, cue_end, text), (start, end)) in enumerate(zip(cues, spans, strict=True)):
        assert cue_start <= start + frame and cue_end >= end - frame, (text, cue_start, cue_end, start, end)
        if n > 0:
            assert cue_start >= spans[n - 1][1] - frame, text
        if n < len(spans) - 1:
            assert cue_end <= spans[n + 1][0] + frame, text
    spelled = [(start + end) / 2 for start, end, _, token in plan.letters if token == 1]
    assert len(spelled) == 5 and all(cues[1][0] <= t <= cues[1][1] for t in spelled)


def test_gloss_command_reads_stdin_line_by_line(tmp_path: Path) -> None:
    done = signavatar("gloss", "-", cwd=tmp_path, stdin="Wo ist das Bürgeramt?\n\nIch kann heute nicht kommen.\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["BÜRGERAMT WO", "", "HEUTE ICH KOMMEN KÖNNEN NICHT"]


@pytest.mark.parametrize(
    "case,args",
    [
        ("empty_text", ["render", "", "-o", "x.mp4"]),
        ("whitespace_text", ["render", "   ", "-o", "x.mp4"]),
        ("text_100000_chars", ["render", "Termin " * 14286, "-o", "x.mp4"]),
        ("control_characters_only", ["render", "\x01\x02\x03", "-o", "x.mp4"]),
        ("unknown_format", ["render", "Hallo", "-o", "x.mp4", "--format", "avi"]),
        ("unknown_gloss", ["render", "--glosses", "TERMIN QUATSCHWORT", "-o", "x.mp4"]),
        ("bad_size", ["render", "Hallo", "-o", "x.mp4", "--size", "99999x2"]),
        ("bad_fps", ["render", "Hallo", "-o", "x.mp4", "--fps", "0"]),
    ],
)
def test_bad_input_is_one_clear_line_and_no_file(tmp_path: Path, case: str, args: list[str]) -> None:
    done = signavatar(*args, cwd=tmp_path)
    assert done.returncode != 0, case
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("signavatar: error:"), done.stderr
    assert not (tmp_path / "x.mp4").exists()


def test_control_characters_inside_text_are_removed_not_fatal(tmp_path: Path) -> None:
    done = signavatar("gloss", "Ich\x07 brauche\x1b einen Termin.", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ICH TERMIN BRAUCHEN"
