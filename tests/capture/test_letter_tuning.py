"""Letters tuned by reading them back (capture/letter_tuning.py): the cost of one reading."""

import numpy as np
import pytest

from signavatar.capture.legibility import HandReading, bend_angles, hand_features, world_features
from signavatar.capture.letter_references import LetterReferences
from signavatar.capture.letter_tuning import reading_cost


def _hand(curl: float) -> np.ndarray:
    """21 points of a hand in a picture (x right, y down, z away): four fingers up, bent by `curl`."""
    pts = np.zeros((21, 3))
    for f, x in enumerate((-1.5, -0.5, 0.5, 1.5, 2.5)):
        direction = np.array([0.0, -1.0, 0.0])
        at = np.array([x * 0.4, -1.0 if f else -0.3, 0.0])
        for k in range(4):
            pts[1 + 4 * f + k] = at
            turn = np.radians(curl) * (k + 1)
            at = at + 0.5 * np.array([direction[0], direction[1] * np.cos(turn), np.sin(turn)])
    return pts


def _refs(hands: dict[str, np.ndarray]) -> LetterReferences:
    return LetterReferences(
        image={k: hand_features(v) for k, v in hands.items()},
        image_angles={k: bend_angles(v[:, :2]) for k, v in hands.items()},
        world={k: world_features(v) for k, v in hands.items()},
        world_angles={k: bend_angles(v) for k, v in hands.items()},
    )


def test_a_hand_not_found_costs_most() -> None:
    refs = _refs({"B": _hand(0.0), "E": _hand(40.0)})
    assert reading_cost("B", None, refs) == (1.0, 0, False)
    assert reading_cost("B", HandReading(_hand(0.0), "Left", 0.9, None), refs) == (1.0, 0, False)


def test_the_own_letter_costs_little_and_its_neighbour_costs_more() -> None:
    hands = {"B": _hand(0.0), "C": _hand(20.0), "E": _hand(40.0)}
    refs = _refs(hands)
    seen = _hand(3.0)
    own = reading_cost("B", HandReading(seen * (50, 50, 50), "Left", 0.9, seen), refs)
    wrong = reading_cost("E", HandReading(seen * (50, 50, 50), "Left", 0.9, seen), refs)
    assert own[1] == 2 and own[2]  # right in the image plane and in 3D, with the margin
    assert wrong[1] == 0 and not wrong[2]
    assert own[0] < 0.2 < wrong[0]


def test_a_hand_found_only_at_the_lower_confidence_still_shows_the_way_but_costs_more() -> None:
    from signavatar.capture.letter_tuning import NOT_SURE

    hands = {"B": _hand(0.0), "C": _hand(20.0), "E": _hand(40.0)}
    refs = _refs(hands)
    seen = _hand(3.0)
    reading = HandReading(seen * (50, 50, 50), "Left", 0.4, seen)
    sure = reading_cost("B", reading, refs, sure=True)
    unsure = reading_cost("B", reading, refs, sure=False)
    assert unsure[0] == pytest.approx(sure[0] + NOT_SURE)
    assert unsure[1] == 2 and not unsure[2]  # read right, but never clear
    # a right reading at the lower confidence costs less than a wrong one: the tuner can follow it
    assert unsure[0] < reading_cost("E", reading, refs, sure=False)[0]
