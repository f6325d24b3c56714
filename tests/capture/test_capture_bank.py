"""Capture with the handshape bank against capture by finger angles alone, on renders of signs.

The render's own motion is the truth: frame t of the video is frame t of the track that was drawn,
so the captured finger rotations can be compared with the drawn ones directly (the method of
benchmarks/capture_fingers.py). The sample is fixed by a rule, not by results: the round trip's
(tests/capture/test_capture_roundtrip.py), every sixth of the benchmark's 17 signs in its order:
DANKE, DU, BIS. The mean with the bank must stay within its margin of the published mean over the
sample (BENCHMARKS.md "Captured fingers", 2026-12-07), and below the angles alone."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from benchmarks.capture_fingers import finger_error
from signavatar.capture.hand_bank import bank_path, load_bank
from signavatar.capture.sign_capture import capture_sign
from signavatar.frames_to_video.encode import encode_video
from signavatar.pipeline import Pipeline
from signavatar.settings import Settings
from signavatar.types import RenderOptions

pytestmark = [pytest.mark.render, pytest.mark.slow]

SAMPLE = ("DANKE", "DU", "BIS")
# degrees, mean over SAMPLE with the bank, 512x512 (2026-12-07, after the left hand's rest moved from the
# belly to the side and the body breathes, issue 20: DANKE 7.7, DU 6.1, BIS 0.3; before 7.8)
PUBLISHED_BANK = 4.7
BANK_MARGIN = 2.0  # degrees either way


def test_the_bank_brings_the_captured_fingers_near_the_published_error(tmp_path: Path) -> None:
    pipeline = Pipeline(Settings.from_env({**os.environ, "SIGNAVATAR_DATA_DIR": str(tmp_path / "var")}))
    options = RenderOptions(width=512, height=512, fps=25, format="mp4")
    skeleton = pipeline.avatar.skeleton
    bank = load_bank(bank_path(pipeline.settings.lexicon_dir), skeleton, pipeline.lexicon)
    errors: dict[str, dict[str, float]] = {"angles": {}, "bank": {}}
    for sign in SAMPLE:
        drawn = pipeline.motion(pipeline.parse_glosses(sign), options)
        video = tmp_path / f"{sign}.mp4"
        encode_video(pipeline.frames(drawn, options), video, fps=25, width=512, height=512, fmt="mp4")
        for name, b in (("angles", None), ("bank", bank)):
            captured = capture_sign(video, f"TEST-{sign}", skeleton, pipeline.lexicon, bank=b)
            errors[name][sign] = finger_error(captured, drawn, skeleton)
    with_bank = float(np.mean(list(errors["bank"].values())))
    assert with_bank < 0.7 * float(np.mean(list(errors["angles"].values()))), errors
    assert abs(with_bank - PUBLISHED_BANK) <= BANK_MARGIN, errors
