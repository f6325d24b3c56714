"""Capture with the handshape bank against capture by finger angles alone, on a render of a sign whose
hands MediaPipe misreads (UHR: an index pointing at the other wrist, a fist seen from the knuckles).

The render's own motion is the truth: frame t of the video is frame t of the track that was drawn,
so the captured finger rotations can be compared with the drawn ones directly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmarks.capture_fingers import finger_error
from signavatar.capture.hand_bank import bank_path, load_bank
from signavatar.capture.sign_capture import capture_sign
from signavatar.frames_to_video.encode import encode_video
from signavatar.pipeline import Pipeline
from signavatar.settings import Settings
from signavatar.types import RenderOptions

pytestmark = [pytest.mark.render, pytest.mark.slow]


def test_the_bank_brings_the_captured_fingers_nearer_the_drawn_ones(tmp_path: Path) -> None:
    pipeline = Pipeline(Settings.from_env({**os.environ, "SIGNAVATAR_DATA_DIR": str(tmp_path / "var")}))
    options = RenderOptions(width=512, height=512, fps=25, format="mp4")
    drawn = pipeline.motion(pipeline.parse_glosses("UHR"), options)
    video = tmp_path / "uhr.mp4"
    encode_video(pipeline.frames(drawn, options), video, fps=25, width=512, height=512, fmt="mp4")
    skeleton = pipeline.avatar.skeleton
    bank = load_bank(bank_path(pipeline.settings.lexicon_dir), skeleton, pipeline.lexicon)
    errors = {}
    for name, b in (("angles", None), ("bank", bank)):
        captured = capture_sign(video, "TEST-UHR", skeleton, pipeline.lexicon, bank=b)
        errors[name] = finger_error(captured, drawn, skeleton)
    assert errors["bank"] < 0.7 * errors["angles"], errors
    assert errors["bank"] < 12.0, errors
