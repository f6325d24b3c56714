"""The face grammar survives rendering: MediaPipe Face Mesh reads raised brows on a yes/no question
and lowered brows on a W-question, against a statement with the same signs, from real 512x512
renders, measured exactly as benchmarks/nonmanual_readback.py does (about 20 s)."""

import os

import numpy as np
import pytest

from benchmark_module import load_benchmark
from signavatar.pipeline import Pipeline
from signavatar.settings import Settings


@pytest.mark.render
@pytest.mark.slow
def test_brows_read_back_up_for_yes_no_and_down_for_wh() -> None:
    bench = load_benchmark("nonmanual_readback")
    pipeline = Pipeline(Settings.from_env(os.environ))
    try:
        statement = bench.read_sentence(pipeline, "Ich habe einen Termin.", "statement")
        yes_no = bench.read_sentence(pipeline, "Haben Sie einen Termin?", "question-yn")
        wh = bench.read_sentence(pipeline, "Wo ist der Termin?", "question-wh")
    finally:
        pipeline.close()
    for reading in (statement, yes_no, wh):
        assert reading.found > 0.9, reading.text
    # the benchmark measured about 1.2 and 0.8 (BENCHMARKS.md): well clear of 1 both ways
    assert yes_no.brow() / statement.brow() > 1.08
    assert wh.brow() / statement.brow() < 0.92
    neutral = np.nanstd(statement.yaw[statement.signed])
    assert neutral < 0.01  # no headshake read where there is none
