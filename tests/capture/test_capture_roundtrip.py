"""Round trip through the console script: render a lexicon sign, `signavatar capture` the video back,
render the captured entry, and compare what MediaPipe reads in both renders (benchmarks/roundtrip.py
has the method; BENCHMARKS.md "Capture round trip" the numbers for six signs at 512x512)."""

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks.roundtrip import roundtrip
from signavatar.settings import Settings

pytestmark = [pytest.mark.render, pytest.mark.slow]


def test_a_captured_sign_renders_like_the_original(tmp_path: Path) -> None:
    settings = Settings.from_env(os.environ)
    copy = tmp_path / "glosses"
    shutil.copytree(settings.lexicon_dir, copy)
    result = roundtrip("HALLO", copy, tmp_path, 256, replace(settings))
    assert (copy / "signs" / "HALLO.json").read_text(encoding="utf-8").count('"source": "recorded"') == 1
    assert result["hands_read"] > 0.5
    assert result["angle_diff"] <= 10.0, result
