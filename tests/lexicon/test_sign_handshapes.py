"""The handshape read-back of lexicon signs (capture/sign_handshapes.py), on real renders read by
MediaPipe: a held hand declared as a very different shape fails, its own shape passes; the cache
reads a sign again only when its form changes; the bank's own confusions give the accepted set."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from signavatar.capture.hand_bank import HandBank, bank_path, load_bank
from signavatar.capture.sign_handshapes import BankConfusions, check_lexicon, held_shapes, load_cache, read_held
from signavatar.pipeline import Pipeline
from signavatar.settings import Settings

pytestmark = [pytest.mark.render]

GLOSSES = Path(__file__).resolve().parents[2] / "glosses"
#: a flat hand held up, palm toward the viewer: MediaPipe reads it surely (B, or B-thumb-in that the
#: bank cannot tell from it there)
SIGN = "DANKE"


def pipeline_for(root: Path, tmp_path: Path) -> Pipeline:
    return Pipeline(Settings.from_env({**os.environ, "SIGNAVATAR_DATA_DIR": str(tmp_path / "var"),
                                       "SIGNAVATAR_LEXICON_DIR": str(root)}))


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    return pipeline_for(GLOSSES, tmp_path_factory.mktemp("var"))


@pytest.fixture(scope="module")
def bank(pipeline: Pipeline) -> HandBank:
    return load_bank(bank_path(GLOSSES), pipeline.avatar.skeleton, pipeline.lexicon)


def test_a_hand_declared_as_another_shape_fails_and_its_own_passes(pipeline: Pipeline, bank: HandBank) -> None:
    [held] = held_shapes(pipeline.sequencer, pipeline.lexicon.entries[SIGN])
    assert held.handshape == "B"
    own, swapped = read_held(pipeline, bank, BankConfusions(bank), [held, replace(held, handshape="1")])
    assert own.passed and own.sure and own.read in own.allowed, own
    assert not swapped.passed, swapped
    assert swapped.read == own.read
    assert "DANKE: handshape 1 reads back as" in swapped.line()


def test_the_cache_reads_a_sign_again_only_when_its_form_changes(tmp_path: Path, bank: HandBank) -> None:
    root = tmp_path / "glosses"
    (root / "signs").mkdir(parents=True)
    shutil.copy(GLOSSES / "handshapes.json", root / "handshapes.json")
    sign = root / "signs" / f"{SIGN}.json"
    shutil.copy(GLOSSES / "signs" / f"{SIGN}.json", sign)
    pipeline = pipeline_for(root, tmp_path)
    cache = root / "handshape_readback.json"
    first = check_lexicon(pipeline, bank, root, [SIGN], cache)
    assert (first.read, first.cached) == (1, 0)
    assert set(load_cache(cache, json.loads(cache.read_text(encoding="utf-8"))["key"])) == {SIGN}
    data = json.loads(sign.read_text(encoding="utf-8"))
    data["reviewed"] = not data["reviewed"]  # not part of the form
    sign.write_text(json.dumps(data), encoding="utf-8")
    again = check_lexicon(pipeline, bank, root, [SIGN], cache)
    assert (again.read, again.cached) == (0, 1)
    assert again.checks == first.checks
    data["duration"] = round(float(data.get("duration", 0.8)) + 0.1, 3)
    sign.write_text(json.dumps(data), encoding="utf-8")
    changed = check_lexicon(pipeline, bank, root, [SIGN], cache)
    assert (changed.read, changed.cached) == (1, 0)


def test_the_accepted_set_comes_from_the_bank_s_own_confusions(bank: HandBank) -> None:
    confusions = BankConfusions(bank)
    fingers, palm = np.array([0.0, 1.0, 0.0]), np.array([0.0, 0.0, 1.0])  # fingers up, palm to the viewer
    judged = confusions.judge("B", fingers, palm)
    allowed = judged.allowed
    assert allowed[0] == "B" and np.isfinite(judged.sure_below) and np.isfinite(judged.own_below)
    near = confusions.near(fingers, palm)
    best, _ = confusions.best_without(near)
    b = bank.names.index("B")
    expected = set(best[bank.shape[near] == b].tolist()) | set(bank.shape[near][best == b].tolist())
    assert set(allowed) == {bank.names[k] for k in expected} | {"B"}
    # far apart shapes are told apart there: a fist with the index up is not a flat hand
    assert "1" not in allowed


def test_a_sign_reads_the_same_whichever_signs_are_read_with_it(tmp_path: Path, bank: HandBank) -> None:
    # read in one clip after GESTERN and DANKE (as before each sign got a clip of its own), ANTRAG's
    # flat hand read back as 5 instead of B
    root = tmp_path / "glosses"
    (root / "signs").mkdir(parents=True)
    shutil.copy(GLOSSES / "handshapes.json", root / "handshapes.json")
    for gloss in ("GESTERN", "ANTRAG", SIGN):
        shutil.copy(GLOSSES / "signs" / f"{gloss}.json", root / "signs" / f"{gloss}.json")
    local = pipeline_for(root, tmp_path)
    alone = check_lexicon(local, bank, root, ["ANTRAG"], None)
    among = check_lexicon(local, bank, root, ["GESTERN", SIGN, "ANTRAG"], None)
    assert [c for c in among.checks if c.gloss == "ANTRAG"] == alone.checks
