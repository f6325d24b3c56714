"""The mouth read-back's calibration (benchmarks/mouth_readback.py, BENCHMARKS.md "issue 20: mouth read-back")
on real renders: Face Mesh reads the avatar's lips pressed together below the closed threshold, the jaw
open above the open threshold, and pressing thins the lips below the pressed threshold while the rest
mouth does not. If the rig's mouth targets or the renderer change so that these no longer hold, the
benchmark's verdicts mean nothing until it is calibrated again. The verdict rules are checked on
made-up gap sequences."""

from __future__ import annotations

import math
from types import ModuleType

import numpy as np
import pytest

from benchmark_module import load_benchmark
from signavatar.pipeline import Pipeline
from signavatar.settings import Settings

pytestmark = [pytest.mark.render, pytest.mark.slow]


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_benchmark("mouth_readback")


@pytest.fixture(scope="module")
def calibration(bench: ModuleType) -> dict[str, dict[str, list[float]]]:
    from dataclasses import replace

    pipeline = Pipeline(replace(Settings(), render_processes=1))
    reader = bench.FaceReader()
    try:
        table: dict[str, dict[str, list[float]]] = bench.calibrate(pipeline, reader)
    finally:
        reader.close()
        pipeline.close()
    return table


def gaps(row: dict[str, list[float]]) -> list[float]:
    return [v for k, vs in row.items() if k.startswith("gap") for v in vs]


def test_face_mesh_finds_the_face_in_every_calibration_render(calibration: dict[str, dict[str, list[float]]]) -> None:
    for name, row in calibration.items():
        assert not any(math.isnan(v) for v in gaps(row)), name


def test_closed_lips_read_below_and_an_open_jaw_above_the_thresholds(
    bench: ModuleType, calibration: dict[str, dict[str, list[float]]]
) -> None:
    assert max(gaps(calibration["lips_closed=1"])) < bench.CLOSED_GAP
    assert min(gaps(calibration["mouth_open=1"])) > bench.OPEN_GAP
    # the other vowel shapes stay below "open", and a rounded mouth counts as apart
    for name in ("neutral", "mouth_spread=1", "mouth_round=1"):
        assert max(gaps(calibration[name])) < bench.OPEN_GAP, name
    assert min(gaps(calibration["mouth_round=1"])) > bench.CLOSED_GAP


def test_pressing_thins_the_lips(bench: ModuleType, calibration: dict[str, dict[str, list[float]]]) -> None:
    assert max(calibration["lips_closed=1"]["thickness"]) < bench.PRESSED_THICKNESS
    assert min(calibration["neutral"]["thickness"]) > bench.PRESSED_THICKNESS


def test_the_rules(bench: ModuleType) -> None:
    closed, opened, thin, thick = 0.5 * bench.CLOSED_GAP, 1.2 * bench.OPEN_GAP, 0.2, 0.5
    apart = 2 * bench.CLOSED_GAP
    assert bench.verdict("closed", [apart, closed, apart], [thick, thin, thick]) == {"rule": True, "pressed": True}
    assert bench.verdict("closed", [apart, closed, apart], [thick] * 3) == {"rule": True, "pressed": False}
    assert bench.verdict("closed", [apart] * 3, [thin] * 3)["rule"] is False
    assert bench.verdict("open", [closed, opened, closed], [thick] * 3)["rule"] is True
    assert bench.verdict("open", [closed, apart, closed], [thick] * 3)["rule"] is False
    # neither: only the middle third must be apart
    assert bench.verdict("neither", [closed] * 3 + [apart] * 3 + [closed] * 3, [thick] * 9)["rule"] is True
    assert bench.verdict("neither", [closed] * 3 + [apart, closed, apart] + [closed] * 3, [thick] * 9)["rule"] is False
    assert bench.verdict("open", [float("nan")] * 3, [float("nan")] * 3)["rule"] is None


def test_word_classes(bench: ModuleType) -> None:
    assert bench.word_class("termin") == "closed"     # m in the stressed syllable
    assert bench.word_class("wann") == "open"
    assert bench.word_class("kind") == "neither"
    assert np.isnan(bench.lip_gap(np.zeros((478, 2))))  # no width: no gap, not a division error


#: BENCHMARKS.md "issue 20: mouth read-back", after the mouthing landed: words right by the rules,
#: median over the benchmark's methods, and the share the fixed sample below must reach
PUBLISHED_RIGHT = 0.972  # 35 of 36, every method
RIGHT_MARGIN = 0.15  # one miss in the six of the sample (5/6 = 0.83) passes, two (0.67) do not
SAMPLE_EVERY = 6  # every sixth word of the benchmark's list (36 words, 12 per class, in class order)


def test_a_fixed_sample_of_the_benchmarks_words_reads_back_right(bench: ModuleType) -> None:
    """Every sixth of the benchmark's words (a rule, not a choice: two of each class), one-sign clips at
    25 fps through the real pipeline, read by Face Mesh with the benchmark's first crop and gap: at
    most one of the six may miss its class's rule (the benchmark publishes PUBLISHED_RIGHT over 36)."""
    from dataclasses import replace

    pipeline = Pipeline(replace(Settings(), render_processes=1))
    reader = bench.FaceReader()
    try:
        words = bench.choose_words(pipeline, bench.WORDS_PER_CLASS)[::SAMPLE_EVERY]
        assert sorted(c for _, _, c in words) == sorted(bench.CLASSES * 2), words
        verdicts = {}
        for gloss, _, cls in words:
            reading = bench.read_sign(pipeline, reader, gloss, 25, crops=bench.CROPS[:1])[bench.CROPS[0].name]
            gap = reading.gaps[bench.GAPS[0].name]
            verdicts[gloss] = (cls, bench.verdict(cls, gap, reading.thickness)["rule"], [round(g, 3) for g in gap])
    finally:
        reader.close()
        pipeline.close()
    wrong = {g: v for g, v in verdicts.items() if v[1] is not True}
    assert 1 - len(wrong) / len(verdicts) >= PUBLISHED_RIGHT - RIGHT_MARGIN, wrong
