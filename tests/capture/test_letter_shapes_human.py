"""The capture's handshape choice on a real signer's letters (the 30 DGS alphabet recordings of
spoken-to-signed), guarded near the figures README and BENCHMARKS.md publish, with
benchmarks/letter_shapes.py's own measurement: all 24 letters with a shape of their name."""

from __future__ import annotations

from types import ModuleType

import pytest

from benchmark_module import load_benchmark
from signavatar.capture.hand_bank import bank_path, load_bank
from signavatar.pipeline import Pipeline
from signavatar.settings import Settings

#: published (BENCHMARKS.md "Handshapes of real recorded letters"; re-run 2026-12-07): the share of
#: held frames with the letter's shape, and the letters whose most chosen shape is theirs; guarded
#: within SHARE_MARGIN and COUNT_MARGIN
PUBLISHED = {"bank": (0.38, 9), "angles": (0.09, 2)}
SHARE_MARGIN, COUNT_MARGIN = 0.04, 1



@pytest.fixture(scope="module")
def measured() -> tuple[ModuleType, dict[str, dict[str, dict[str, object]]]]:
    bench = load_benchmark("letter_shapes")
    pipeline = Pipeline(Settings())
    bank = load_bank(bank_path(pipeline.settings.lexicon_dir), pipeline.avatar.skeleton, pipeline.lexicon)
    return bench, bench.letter_results(pipeline, bank)


@pytest.mark.parametrize("choice", sorted(PUBLISHED))
def test_human_letters_get_the_published_share_of_right_shapes(measured, choice: str) -> None:
    bench, results = measured
    assert len(results) == 24
    share, most = bench.summary(results, choice)
    published_share, published_most = PUBLISHED[choice]
    assert abs(share - published_share) <= SHARE_MARGIN, f"{choice}: {share:.0%}, published {published_share:.0%}"
    assert abs(most - published_most) <= COUNT_MARGIN, f"{choice}: {most} letters, published {published_most}"
