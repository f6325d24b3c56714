"""The real pipeline (translate + motion) over Bürgeramt sentences passes every motion check.

The limits live in motion_checks.py with their sources; they are not tuned to the sequencer. A check
that fails on the current sequencer is marked xfail(strict) with what fails, so fixing the sequencer
turns it into a pass that must then be unmarked.
"""

import sys
from pathlib import Path

import pytest

from signavatar.gloss_to_pose.motion_checks import bone_length_error, jumps, penetrations, speed_violations
from signavatar.pipeline import Pipeline
from signavatar.settings import Settings
from signavatar.types import RenderOptions

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "text_to_gloss"))
from buergeramt import buergeramt_texts  # noqa: E402


@pytest.fixture(scope="module")
def tracks(tmp_path_factory):
    pipeline = Pipeline(Settings(data_dir=tmp_path_factory.mktemp("data")))
    sentences = buergeramt_texts()
    assert len(sentences) >= 10
    out = [(text, pipeline.motion(pipeline.translate(text), RenderOptions())) for text in sentences]
    return pipeline.avatar.skeleton, out


def _report(found: list[tuple[str, list]]) -> str:
    return "\n".join(f"{text!r}: {problem}" for text, problems in found for problem in problems)


def test_no_joint_turns_faster_than_a_signer_can(tracks) -> None:
    skeleton, found = tracks
    problems = [(text, speed_violations(track, skeleton)) for text, track in found]
    assert not any(p for _, p in problems), _report(problems)


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
