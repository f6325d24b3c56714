"""The real pipeline (translate + motion) over Bürgeramt sentences passes every motion check.

The speed limits are measured on real signers (motion_checks.JOINT_SPEED_LIMITS_DEG_S, loaded from
measured_speed_limits.json, written by benchmarks/motion_speed_limits.py); the sequencer plans at a
margin under them, but this test compares with the measured figures themselves, at more than one
speed and frame rate, and on sentences and gloss strings the sequencer was not tuned on.
"""

import sys
from pathlib import Path

import pytest

from signavatar.gloss_to_pose import sequencer as sequencer_module
from signavatar.gloss_to_pose.motion_checks import (
    JOINT_SPEED_LIMITS_DEG_S,
    SPEED_LIMITS_FILE,
    bone_length_error,
    jumps,
    load_speed_limits,
    penetrations,
    speed_violations,
)
from signavatar.gloss_to_pose.sequencer import Sequencer
from signavatar.pipeline import Pipeline
from signavatar.settings import Settings
from signavatar.types import RenderOptions

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "text_to_gloss"))
from buergeramt import buergeramt_texts  # noqa: E402

#: not in the Bürgeramt set, chosen before running the checks on them
EXTRA_TEXTS = (
    "Mein Name ist Anna Schulz.",
    "Ich habe meinen Ausweis verloren.",
    "Können Sie mir bitte helfen?",
)
EXTRA_GLOSSES = ("TERMIN KOMMEN", "fs-QUARZ ICH", "WO BÜRGERAMT fs-MEIER 7")
#: (speed, fps) besides the default (1.0, 25)
SETTINGS = ((1.5, 25), (1.0, 50), (0.7, 30))


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    return Pipeline(Settings(data_dir=tmp_path_factory.mktemp("data")))


@pytest.fixture(scope="module")
def tracks(pipeline):
    sentences = buergeramt_texts()
    assert len(sentences) >= 10
    out = [(text, pipeline.motion(pipeline.translate(text), RenderOptions())) for text in sentences]
    return pipeline.avatar.skeleton, out


def _report(found: list[tuple[str, list]]) -> str:
    return "\n".join(f"{text!r}: {problem}" for text, problems in found for problem in problems)


def test_the_limits_are_the_measured_ones() -> None:
    # motion_checks holds no numbers of its own: every limit is the file's, and it says its basis
    assert JOINT_SPEED_LIMITS_DEG_S == load_speed_limits(SPEED_LIMITS_FILE)


def test_no_joint_turns_faster_than_a_signer_can(tracks) -> None:
    skeleton, found = tracks
    problems = [(text, speed_violations(track, skeleton)) for text, track in found]
    assert not any(p for _, p in problems), _report(problems)


@pytest.mark.parametrize(("speed", "fps"), SETTINGS)
def test_speed_limits_hold_at_other_speeds_frame_rates_and_new_input(pipeline, speed, fps) -> None:
    skeleton = pipeline.avatar.skeleton
    options = RenderOptions(speed=speed, fps=fps)
    seqs = [(t, pipeline.translate(t)) for t in (*buergeramt_texts()[:4], *EXTRA_TEXTS)]
    seqs += [(g, pipeline.parse_glosses(g)) for g in EXTRA_GLOSSES]
    problems = [(text, speed_violations(pipeline.motion(seq, options), skeleton)) for text, seq in seqs]
    assert not any(p for _, p in problems), _report(problems)


def test_the_speed_check_fails_a_sequencer_that_plans_faster(pipeline, monkeypatch) -> None:
    # the check can fail: a planner allowed twice the measured speeds, or one planning at 98 % of the
    # pre-measurement table it used to check itself against (wrist 900, forearm 800 deg/s), breaks them
    skeleton = pipeline.avatar.skeleton
    texts = buergeramt_texts()
    monkeypatch.setattr(sequencer_module, "SPEED_MARGIN", 2.0)
    twice = Sequencer(skeleton, pipeline.lexicon, skeleton.skeleton_id)
    assert any(speed_violations(twice.track(pipeline.translate(t), fps=25), skeleton) for t in texts)
    old = {**JOINT_SPEED_LIMITS_DEG_S, "finger": 1000.0, "hand": 900.0, "forearm": 800.0, "upper arm": 500.0}
    monkeypatch.setattr(sequencer_module, "JOINT_SPEED_LIMITS_DEG_S", old)
    monkeypatch.setattr(sequencer_module, "SPEED_MARGIN", 0.98)
    planner = Sequencer(skeleton, pipeline.lexicon, skeleton.skeleton_id)
    assert any(speed_violations(planner.track(pipeline.translate(t), fps=25), skeleton) for t in texts)


def test_no_jumps(tracks) -> None:
    _, found = tracks
    problems = [(text, jumps(track)) for text, track in found]
    assert not any(p for _, p in problems), _report(problems)


def test_hands_touch_but_never_pass_through_the_body(tracks) -> None:
    skeleton, found = tracks
    problems = [(text, penetrations(track, skeleton)) for text, track in found]
    assert not any(p for _, p in problems), _report(problems)


def test_bones_keep_their_lengths(tracks) -> None:
    skeleton, found = tracks
    assert max(bone_length_error(track, skeleton) for _, track in found) < 1e-6
