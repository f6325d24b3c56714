"""Phonological definitions compile to keyframes: each movement type makes the path it names."""

from __future__ import annotations

import math

import pytest

from signavatar.lexicon.model import Definition, FrozenMap, HandPose, Movement
from signavatar.lexicon.movement import compile_definition

HAND = HandPose(handshape="B", location="neutral", offset=(0.0, 0.0, 0.0), palm="down", fingers="forward")
UP, OUT, FORWARD = (0.0, 1.0, 0.0), (1.0, 0.0, 0.0), (0.0, 0.0, 1.0)


def compiled(*moves: Movement, left: HandPose | str | None = None, end: dict | None = None):
    keys, duration = compile_definition(Definition(HAND, left, tuple(moves), FrozenMap(end or {}), FrozenMap()))
    assert keys[0].t == 0.0 and keys[-1].t == 1.0
    assert all(a.t < b.t for a, b in zip(keys, keys[1:]))
    return keys, duration


def offsets(keys, side: str = "right") -> list[tuple[float, float, float]]:
    return [getattr(k, side).offset for k in keys]


def test_held_sign_stays_put() -> None:
    keys, duration = compiled()
    assert len(keys) == 2 and offsets(keys)[0] == offsets(keys)[1]
    assert 0.25 < duration < 0.4


def test_straight_moves_by_its_size_and_a_tap_comes_back() -> None:
    keys, _ = compiled(Movement("straight", direction=UP, size=0.08))
    assert offsets(keys)[-1] == pytest.approx((0.0, 0.08, 0.0))
    tap, _ = compiled(Movement("straight", direction=FORWARD, size=0.04, ret=True, repeat=2))
    assert offsets(tap)[-1] == pytest.approx((0.0, 0.0, 0.0))
    assert sum(1 for o in offsets(tap) if o[2] == pytest.approx(0.04)) == 2
    assert not any(k.through for k in tap), "a tap stops at both ends"


def test_circle_passes_through_points_on_a_circle_and_closes() -> None:
    keys, _ = compiled(Movement("circle", size=0.1, plane="front"))
    path = offsets(keys)[1:]
    centre = (0.0, -0.05, 0.0)
    assert all(math.dist(p, centre) == pytest.approx(0.05, abs=1e-3) for p in path)
    assert path[-1] == pytest.approx(path[0], abs=1e-3)
    assert sum(k.through for k in keys) >= 8
    flat, _ = compiled(Movement("circle", size=0.1, plane="flat"))
    assert max(abs(o[1]) for o in offsets(flat)) < 1e-6, "a flat circle stays at one height"


def test_arc_bows_toward_its_bulge() -> None:
    keys, _ = compiled(Movement("arc", direction=OUT, size=0.1, bulge=UP))
    path = offsets(keys)
    assert path[-1] == pytest.approx((0.1, 0.0, 0.0))
    assert max(p[1] for p in path) > 0.02


def test_zigzag_wobbles_sideways_along_its_direction() -> None:
    keys, _ = compiled(Movement("zigzag", direction=FORWARD, size=0.12))
    path = offsets(keys)
    assert path[-1][2] == pytest.approx(0.12)
    assert len({round(p[0], 4) for p in path}) >= 3


def test_twist_turns_the_wrist_and_wiggle_bends_fingers_in_turn() -> None:
    keys, _ = compiled(Movement("twist", angle=60.0, repeat=2, ret=True))
    assert [k.right.twist for k in keys] == [0.0, 0.0, 60.0, 0.0, 60.0, 0.0]
    wiggle, _ = compiled(Movement("wiggle", repeat=1))
    bends = [k.right.bend for k in wiggle]
    assert bends[2][0] > 0 and bends[2][1] == 0 and bends[3][1] > 0 and bends[3][0] == 0


def test_to_moves_to_another_location_and_end_changes_the_handshape() -> None:
    keys, _ = compiled(Movement("to", target=("chin", (0.0, 0.0, 0.02))), end={"handshape": "S"})
    assert keys[-1].right.location == "chin" and keys[-1].right.offset == (0.0, 0.0, 0.02)
    assert keys[-1].right.handshape == "S" and keys[0].right.handshape == "B"


def test_two_hands_mirror_parallel_alternate_or_hold_a_base_hand() -> None:
    move = Movement("straight", direction=OUT, size=0.1)
    mirror, _ = compiled(move, left="mirror")
    assert offsets(mirror, "left") == offsets(mirror), "the same offsets mirror across the midline"
    parallel, _ = compiled(move, left="parallel")
    assert offsets(parallel, "left")[-1] == pytest.approx((-0.1, 0.0, 0.0)), "both hands go the same way"
    alternate, _ = compiled(Movement("straight", direction=UP, size=0.1, repeat=2), left="alternate")
    right_y = [o[1] for o in offsets(alternate)][1:]
    left_y = [o[1] for o in offsets(alternate, "left")][1:]
    assert all(ry + ly == pytest.approx(0.1) for ry, ly in zip(right_y, left_y)), "one up while the other is down"
    base = HandPose(handshape="B", location="neutral", offset=(0.0, -0.05, 0.0), palm="up", fingers="forward")
    held, _ = compiled(move, left=base)
    assert all(k.left == base for k in held)


def test_speed_and_repeats_scale_the_duration_and_a_given_duration_rescales() -> None:
    _, normal = compiled(Movement("straight", direction=UP, size=0.08))
    _, slow = compiled(Movement("straight", direction=UP, size=0.08, speed=1.5))
    _, twice = compiled(Movement("circle", size=0.08, repeat=2))
    _, once = compiled(Movement("circle", size=0.08))
    assert slow > normal and twice > 1.8 * (once - 0.06)
    keys, duration = compile_definition(
        Definition(HAND, None, (Movement("straight", direction=UP),), FrozenMap(), FrozenMap()), 1.0)
    assert duration == 1.0 and keys[-1].t == 1.0
