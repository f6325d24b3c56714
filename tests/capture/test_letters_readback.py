"""Fingerspelled letters read back from the product's clips (benchmarks/letters_readback.py)."""

import json
from pathlib import Path

import numpy as np
import pytest

from signavatar.avatar.quaternions import quat_from_axis_angle, quat_to_matrix


def _hand() -> np.ndarray:
    """21 points of a hand, fingers fanned and bent a little, in 3D."""
    hand = np.zeros((21, 3))
    for f, x in enumerate((-2.0, -1.0, 0.0, 1.0, 2.0)):
        for k in range(1, 5):
            hand[1 + 4 * f + k - 1] = (x * 0.3 * k, -k, 0.1 * k * k * (f + 1))
    return hand


def test_world_features_do_not_change_with_the_hands_size_or_turn_but_with_its_shape() -> None:
    from benchmarks.letters_readback import world_features

    hand = _hand()
    turn = quat_to_matrix(quat_from_axis_angle(np.array([0.3, 0.9, 0.2]) / np.linalg.norm([0.3, 0.9, 0.2]), 0.7))
    a, b = world_features(hand), world_features(2.5 * hand @ turn.T)
    # bend and spread angles stay; the hand's direction (and the fingertips' offsets) turn with it
    assert np.allclose(a[:19], b[:19], atol=1e-6)
    assert not np.allclose(a[19:23], b[19:23], atol=1.0)
    bent = hand.copy()
    bent[8] = bent[7] + (0.0, 0.0, 1.0)  # the index tip folded toward the camera
    assert abs(world_features(bent)[5] - a[5]) > 30


def test_movement_twins_are_counted_apart_only_in_the_strict_figure() -> None:
    from benchmarks.letters_readback import LetterResult

    read_u = LetterResult("R", "isolated", found_frames=3, frames=3, reads=["U", "U", "R"])
    assert not read_u.right and read_u.twin_right
    read_a = LetterResult("S", "isolated", found_frames=3, frames=3, reads=["A", "A", "S"])
    assert not read_a.right and not read_a.twin_right
    unseen = LetterResult("A", "isolated", found_frames=1, frames=3, reads=["A"])
    assert not unseen.right  # the hand must be found in most frames read


def test_the_movement_reading_compares_only_with_letters_of_the_same_kind() -> None:
    from benchmarks.letters_readback import MOVES_AT, LetterResult
    from signavatar.capture.letter_references import MOVING_LETTERS, LetterReferences

    assert MOVING_LETTERS == frozenset("JZÄÖÜß")
    base = np.zeros(23)
    refs = LetterReferences({"A": base, "Ä": base + 1.0, "S": base + 3.0}, {}, {}, {})
    near_a = base + 0.4  # A's hand, a little off
    assert refs.nearest(near_a, "image") == "A"
    assert refs.nearest(near_a, "image", moving=True) == "Ä"  # the hand moved: it is the umlaut
    assert refs.nearest(base + 2.9, "image", moving=False) == "S"
    still = LetterResult("Ä", "isolated", found_frames=3, frames=3, reads=["A"] * 3, moving_reads=["A"] * 3,
                         travel=MOVES_AT / 2)
    assert not still.moved and not still.right and not still.right_with_movement
    shaken = LetterResult("Ä", "isolated", found_frames=3, frames=3, reads=["A"] * 3, moving_reads=["Ä"] * 3,
                          travel=2 * MOVES_AT)
    assert shaken.moved and not shaken.right and shaken.right_with_movement


# Published (BENCHMARKS.md "Fingerspelled letters read back", 2026-12-07, after the letters became
# fitted 3D hands tuned by reading back, their last finger joints coupled to the middle ones; the
# "moving" figures: "Issue 21: the umlauts shaken, the letters read with their movement"; "words world"
# since the letters were tuned at three sizes: "Issue 21: letters tuned at three picture sizes",
# 2026-12-08, 23 before; README):
# one of the benchmark's
# 16 settings, static image mode at 512x512 with min. confidence 0.3, in the image plane and in 3D;
# letters right by majority of the frames read (isolated: middle +-2, of 30; in words: middle +-1, of
# the 31 letters of the five words, SCH has no recording of its own and is not read).
WORD_STEP = 3  # all 30 letters isolated; every third of WORDS: MEIER, BEARBEITUNG, JÖRG, XAVER, BÄCKER
PUBLISHED = {"isolated image": 30, "isolated world": 27, "words image": 31, "words world": 29,
             # reading the movement too (the letter's span; MOVING_LETTERS), since the umlauts are shaken
             "isolated image moving": 30, "isolated world moving": 28, "words image moving": 31,
             "words world moving": 29}
#: isolated letters whose signing hand is found in most frames read: all 30 (29 before the fitted letters:
#: ß's hand was found in fewer than half its frames)
FOUND_ISOLATED = 30
MARGIN = 2  # letters; confidence 0.5 instead of 0.3 moves these by up to 2 (BENCHMARKS.md)


def read_sample() -> tuple[dict[str, int], dict[str, list[str]]]:
    """The sample read back: letters right per "isolated|words image|world", and the misses."""
    import os

    from benchmarks.letters_readback import ISOLATED_OFFSETS, WORD_OFFSETS, WORDS, ReadSetting, read_clip, references
    from signavatar.pipeline import Pipeline
    from signavatar.settings import Settings

    pipeline = Pipeline(Settings.from_env(os.environ))
    refs = references(pipeline)
    settings = [ReadSetting("static", "image"), ReadSetting("static", "world")]
    got: dict[str, int] = {}
    misses: dict[str, list[str]] = {}
    for where, clips, offsets in (("isolated", [f"fs-{x}" for x in refs.image], ISOLATED_OFFSETS),
                                  ("words", [f"fs-{w}" for w in WORDS[::WORD_STEP]], WORD_OFFSETS)):
        for rs in settings:
            got[f"{where} {rs.plane}"], misses[f"{where} {rs.plane}"] = 0, []
        for clip in clips:
            for name, rows in read_clip(pipeline, refs, clip, offsets, settings, where).items():
                key = f"{where} {name.split('/')[1]}"
                got[key] += sum(r.right for r in rows)
                got[f"{key} found"] = got.get(f"{key} found", 0) + sum(r.found for r in rows)
                misses[key] += [f"{r.letter}->{r.read_as}" for r in rows if not r.right]
                got[f"{key} moving"] = got.get(f"{key} moving", 0) + sum(r.right_with_movement for r in rows)
                misses[f"{key} moving"] = misses.get(f"{key} moving", []) + [
                    f"{r.letter}->{r.read_with_movement}" for r in rows if not r.right_with_movement]
                assert all(np.isfinite(r.angle) for r in rows if r.angle_errors)
    return got, misses


def test_reference_hands_hold_the_untuned_fit_in_a_copy_of_the_lexicon(tmp_path: Path) -> None:
    """--reference-hands reads letters whose hands are fitted to the recordings and not tuned; the
    lexicon read from is not touched, and letters not asked for stay as they are."""
    from benchmarks.letters_readback import REPO, reference_hands

    lexicon = REPO / "glosses"
    before = {x: (lexicon / "signs" / f"FS-{x}.json").read_bytes() for x in "LA"}
    out = reference_hands(lexicon, tmp_path, "L")
    fitted = json.loads((out / "signs" / "FS-L.json").read_text(encoding="utf-8"))
    tuned = json.loads(before["L"])
    assert "then tuned by reading it back" in tuned["description"]
    assert "fitted by scripts/fit_letters.py" in fitted["description"]
    assert "then tuned" not in fitted["description"]
    assert not np.allclose(fitted["recording"]["frames"], tuned["recording"]["frames"], atol=1e-3)
    assert (out / "signs" / "FS-A.json").read_bytes() == before["A"]
    assert {x: (lexicon / "signs" / f"FS-{x}.json").read_bytes() for x in "LA"} == before


@pytest.mark.render
def test_letters_read_back_as_published() -> None:
    """About 20 s: a figure that moves either way fails until README and BENCHMARKS.md publish it."""
    got, misses = read_sample()
    assert got["isolated image found"] == FOUND_ISOLATED, "hand found in another number of letters"
    for key, value in PUBLISHED.items():
        assert abs(got[key] - value) <= MARGIN, f"{key}: {got[key]} right (published {value}); misses {misses[key]}"
