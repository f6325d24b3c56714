"""Exemptions from the handshape read-back (capture/handshape_exemptions.py): an exempted sign whose
read-back fails is reported, never passed silently; an exemption of a sign that reads back as declared,
or of a gloss that is not a lexical sign, is itself a problem; the committed list fits the committed
read-back cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from signavatar.capture.handshape_exemptions import (
    EXEMPT_FILE,
    ExemptionFileError,
    apply_exemptions,
    load_exemptions,
)
from signavatar.capture.sign_handshapes import CACHE_FILE, ShapeCheck, load_cache
from signavatar.gloss_to_pose.sign_similarity import lexical_glosses
from signavatar.lexicon import load_lexicon

GLOSSES = Path(__file__).resolve().parents[2] / "glosses"


def check(gloss: str, passed: bool, read: str = "A") -> ShapeCheck:
    return ShapeCheck(gloss, "1", read, ("1", "G"), sure=True, passed=passed)


CHECKS = [check("GESTERN", False, "L"), check("DANKE", True, "1"), check("TERMIN", False, "Q")]
GLOSS_LIST = ["DANKE", "GESTERN", "TERMIN"]


def test_an_exempted_failure_is_reported_with_its_reason_and_the_rest_still_fail() -> None:
    result = apply_exemptions(CHECKS, {"GESTERN": "zeigt nach hinten / points back"}, GLOSS_LIST)
    assert result.problems == ["handshape: TERMIN: handshape 1 reads back as Q (accepted there: 1, G)"]
    assert result.exempted == ["not checkable from the front: GESTERN (zeigt nach hinten / points back) "
                               "[handshape 1 reads back as L (accepted there: 1, G)]"]


def test_without_exemptions_every_failure_is_a_problem() -> None:
    result = apply_exemptions(CHECKS, {}, GLOSS_LIST)
    assert len(result.problems) == 2 and result.exempted == []


def test_exempting_a_sign_that_reads_back_is_an_error() -> None:
    result = apply_exemptions(CHECKS, {"DANKE": "reason", "GESTERN": "reason"}, GLOSS_LIST)
    assert any(p.startswith("handshape exemption: DANKE: ") and "remove it" in p for p in result.problems)
    assert [e.split(" (")[0] for e in result.exempted] == ["not checkable from the front: GESTERN"]


def test_exempting_an_unknown_gloss_or_one_without_a_held_handshape_is_an_error() -> None:
    result = apply_exemptions(CHECKS, {"KEINZEICHEN": "reason", "AUFNAHME": "reason"}, [*GLOSS_LIST, "AUFNAHME"])
    assert any(p.startswith("handshape exemption: KEINZEICHEN: no such lexical sign") for p in result.problems)
    assert any(p.startswith("handshape exemption: AUFNAHME: no held handshape") for p in result.problems)
    assert len(result.problems) == 4  # and the two failures nobody exempted


@pytest.mark.parametrize("text", ["[]", '{"GESTERN": ""}', '{"GESTERN": 3}', "{nope"])
def test_a_malformed_exemption_file_is_refused(tmp_path: Path, text: str) -> None:
    (tmp_path / EXEMPT_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(ExemptionFileError, match=EXEMPT_FILE):
        load_exemptions(tmp_path)
    assert load_exemptions(tmp_path / "missing") == {}


def test_the_committed_exemptions_fit_the_committed_read_back() -> None:
    exemptions = load_exemptions(GLOSSES)
    assert 0 < len(exemptions) <= 8  # few, each explained
    assert all(" / " in reason or "; " in reason for reason in exemptions.values())  # German and English
    cache = GLOSSES / CACHE_FILE
    results = load_cache(cache, json.loads(cache.read_text(encoding="utf-8"))["key"])
    checks = [c for _, cs in results.values() for c in cs]
    result = apply_exemptions(checks, exemptions, lexical_glosses(load_lexicon(GLOSSES)))
    assert [p for p in result.problems if p.startswith("handshape exemption: ")] == []
    assert len(result.exempted) == len(exemptions)
