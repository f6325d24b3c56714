"""The opposed thumb: it rolls about its own axis with opposition, so in a fist it lies across the
fingers instead of standing out of the hand toward the palm's side (glosses/HANDSHAPES.md, "Known
problems"); the left hand is the mirror image of the right."""

from __future__ import annotations

import numpy as np
import pytest

from signavatar.kinematics import hand_model
from signavatar.kinematics.hand_model import HandModel, hand_frame


def _thumb(avatar, lexicon, side: str, shape: str) -> tuple[float, float]:
    """(cm from the thumb tip to the middle finger's middle joint, cm the tip stands out of the palm)."""
    p = HandModel(avatar.skeleton, side).points(lexicon.handshapes[shape])
    palm = hand_frame(avatar.skeleton, side).palm
    return 100 * float(np.linalg.norm(p[4] - p[10])), 100 * float((p[4] - p[0]) @ palm)


@pytest.mark.parametrize("side", ["R", "L"])
def test_the_thumb_of_a_fist_lies_across_the_fingers(avatar, lexicon, side: str) -> None:
    to_middle, out = _thumb(avatar, lexicon, side, "S")
    assert to_middle < 7.0 and out < 7.0, (to_middle, out)  # without the roll: 8.8 and 8.6 cm


def test_without_the_roll_the_thumb_stands_out(avatar, lexicon, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hand_model, "THUMB_OPPOSITION_ROLL", 0.0)
    to_middle, out = _thumb(avatar, lexicon, "R", "S")
    assert to_middle > 8.0 and out > 8.0


def test_both_hands_are_mirror_images_and_an_unopposed_thumb_does_not_roll(avatar, lexicon,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    for shape in ("S", "O", "1", "B"):
        assert _thumb(avatar, lexicon, "R", shape) == pytest.approx(_thumb(avatar, lexicon, "L", shape), abs=0.05)
    flat = _thumb(avatar, lexicon, "R", "B")
    monkeypatch.setattr(hand_model, "THUMB_OPPOSITION_ROLL", 0.0)
    assert _thumb(avatar, lexicon, "R", "B") == pytest.approx(flat)


#: shapes whose description says the thumb tip meets fingertips: the fingers it meets
CONTACT = {"O": ("index", "middle"), "F": ("index",), "baby-O": ("index",), "flat-O": ("index", "middle"),
           "D": ("middle",)}
TIP = {"index": 8, "middle": 12, "ring": 16, "pinky": 20}


@pytest.mark.parametrize("shape", sorted(CONTACT))
def test_the_thumb_tip_meets_the_fingertips_it_should(avatar, lexicon, shape: str) -> None:
    """O, F, baby-O, flat-O and D close their circle: thumb tip within 2 cm of the fingertips it
    meets (the tip points sit inside the fingertips; before 2026-11-25 they were 3.6-5.8 cm apart)."""
    p = HandModel(avatar.skeleton, "R").points(lexicon.handshapes[shape])
    target = p[[TIP[f] for f in CONTACT[shape]]].mean(axis=0)
    assert np.linalg.norm(p[4] - target) < 0.02
